import { afterEach, describe, expect, it } from "vitest";
import { createWorld, type World } from "../helpers/world";
import { browser } from "./browser";

// A hub configured for Linear only (its OAuth application): live, so no sandbox sign-in; the owner signs in
// with the admin API key and the overview's Linear step points at /setup/linear.

let hub: World;
afterEach(() => hub?.close());

describe("first run with Linear only", () => {
  it("lets the admin key in and shows the Linear step unfinished, with the way to finish it", async () => {
    hub = createWorld({ env: { LINEAR_CLIENT_ID: "lin_client", LINEAR_CLIENT_SECRET: "lin_secret" } });
    await hub.ready;
    expect(hub.deps.config.sandbox).toBe(false);
    const key = browser(hub);
    const signIn = await key.post("/sign-in/key", {
      ...(await key.formFields("/sign-in")),
      key: hub.secrets.adminToken,
    });
    expect(signIn.status).toBe(302);
    const res = await key.get("/");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).not.toContain("Sandbox mode");
    expect(html).toContain("Linear: configured");
    expect(html).toMatch(
      /<li id="step-linear\.linked"><span class="status">To do<\/span>[\s\S]*?href="\/setup\/linear"/,
    );
    expect(html).toContain("Linear: no event received yet");
    expect(html).toContain("Configure an executor");
  });
});
