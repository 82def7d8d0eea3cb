import { afterEach, describe, expect, it } from "vitest";
import { githubManifest } from "../../src/surfaces/github/setup";
import { createWorld, type World } from "../helpers/world";
import { consolePeople } from "./console/people";

// /setup/github from a sandbox hub: the manifest registers every callback the hub uses, and the page warns
// before the App is created that the restart leaves sandbox mode and how the owner signs in afterwards.

let hub: World;
afterEach(() => hub?.close());

const decoded = (html: string) => html.replaceAll("&quot;", '"').replaceAll("&#39;", "'");

describe("the GitHub App manifest", () => {
  it("registers the connect and the sign-in callbacks, and the webhook and setup URLs", () => {
    hub = createWorld();
    const manifest = githubManifest(hub.deps);
    expect(manifest.callback_urls).toEqual([
      "http://hub.test/connect/github/callback",
      "http://hub.test/sign-in/github/callback",
    ]);
    expect(manifest.redirect_url).toBe("http://hub.test/setup/github/callback");
    expect(manifest.hook_attributes.url).toBe("http://hub.test/webhooks/github");
  });

  it("is posted from a page that warns about leaving sandbox mode and names the admin key's place", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const res = await people.owner.get("/setup/github");
    expect(res.status).toBe(200);
    const html = decoded(await res.text());
    expect(html).toContain("leaves sandbox mode");
    expect(html).toContain("HUB_ADMIN_TOKEN");
    expect(html).toContain("dev-secrets.json");
    expect(html).toContain('"http://hub.test/sign-in/github/callback"');
    expect(html).not.toContain("only this machine can reach");
  });

  it("warns when PUBLIC_URL is a local address", async () => {
    hub = createWorld({ env: { PUBLIC_URL: "http://127.0.0.1:8787" } });
    const people = await consolePeople(hub);
    const html = decoded(await (await people.owner.get("/setup/github")).text());
    expect(html).toContain("PUBLIC_URL is http://127.0.0.1:8787, an address only this machine can reach");
  });
});
