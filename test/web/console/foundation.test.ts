import { afterEach, describe, expect, it } from "vitest";
import { createWorld, type World } from "../../helpers/world";
import { browser } from "../browser";
import { consolePeople } from "./people";

let hub: World;
afterEach(() => hub?.close());

const navOf = (html: string) => [...html.matchAll(/<nav class="console"[\s\S]*?<\/nav>/g)].join("");

describe("the console's frame", () => {
  it("sends a visitor with no session to sign-in, coming back to the page asked for", async () => {
    hub = createWorld();
    await hub.ready;
    const res = await browser(hub).get("/policies?x=1");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/sign-in?next=${encodeURIComponent("/policies?x=1")}`);
  });

  it("shows each person the pages their level opens, and refuses the others with a page", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const owner = navOf(await (await people.owner.get("/")).text());
    const admin = navOf(await (await people.admin.get("/")).text());
    const member = navOf(await (await people.member.get("/")).text());
    expect(owner).toContain('href="/api-keys"');
    expect(admin).toContain('href="/policies"');
    expect(admin).not.toContain('href="/api-keys"');
    expect(member).toContain('href="/tasks"');
    expect(member).not.toContain('href="/policies"');
    const refused = await people.member.get("/policies");
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("Only workspace owners and Codex Admins");
  });

  it("lets an admin API key in through the sign-in form, owner-level, and refuses a wrong key", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const page = await people.key.get("/api-keys");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Signed in as the bootstrap admin key");
    const stranger = browser(hub);
    const res = await stranger.post("/sign-in/key", {
      ...(await stranger.formFields("/sign-in")),
      key: "nope",
    });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("That API key is not valid");
  });

  it("refuses the key form without this browser's form token", async () => {
    hub = createWorld();
    await hub.ready;
    const res = await browser(hub).post("/sign-in/key", { key: hub.secrets.adminToken });
    expect(res.status).toBe(403);
    expect(res.headers.getSetCookie().join()).not.toContain("hub_session=");
  });
});
