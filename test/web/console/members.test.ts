import { afterEach, describe, expect, it } from "vitest";
import { LOCAL_OWNER_ID, LOCAL_WORKSPACE_ID } from "../../../src/workspace/workspaces";
import { createWorld, type World } from "../../helpers/world";
import type { Browser } from "../browser";
import { type ConsolePeople, consolePeople } from "./people";

let hub: World;
let people: ConsolePeople;
afterEach(() => hub?.close());

const ws = LOCAL_WORKSPACE_ID;

async function api(method: string, path: string, body?: unknown) {
  const res = await hub.request(`/api/v1/workspaces/${ws}${path}`, {
    method,
    headers: { ...hub.adminHeaders, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return (await res.json()) as any;
}

const member = (id: string) => api("GET", `/members/${id}`);
const lastAudit = async () => (await api("GET", "/audit?limit=1")).items[0];

/** Submits a form of a member's page (or the list) as `who`, with the page's token only. */
async function submit(who: Browser, path: string, fields: Record<string, string> = {}) {
  const { form_token } = await who.formFields("/members");
  return who.post(path, { form_token: form_token!, ...fields });
}

async function setUp() {
  hub = createWorld();
  people = await consolePeople(hub);
}

describe("the members page", () => {
  it("lists members with their status, owner flag, groups and linked accounts", async () => {
    await setUp();
    const res = await people.owner.get("/members");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("admin@example.com");
    expect(html).toContain(">owner<");
    // The sandbox owner's Slack, GitHub and Linear accounts.
    expect(html).toContain("<code>U0ADMIN</code>");
    expect(html).toContain("<code>Codertocat</code>");
    expect(html).toContain("<code>lin-user-admin</code>");
    expect(html).toMatch(/Ada<\/a><span class="help">ada@example.com<\/span>/);
    expect(html).toContain("Platform");
    expect(html).toContain(`href="/members/${people.ids.memberId}"`);
    expect(html).not.toContain("You signed in with an API key");

    const found = await (await people.owner.get("/members?q=MAX")).text();
    expect(found).toContain("max@example.com");
    expect(found).not.toContain("ada@example.com");
  });

  it("adds a member by email, audited with the owner's name, and refuses a second one with that email", async () => {
    await setUp();
    const res = await submit(people.owner, "/members", { email: "Grace@Example.com", displayName: "Grace" });
    expect(res.status).toBe(303);
    const [, id] = /^\/members\/([^?#]+)\?saved=1/.exec(res.headers.get("location") ?? "") ?? [];
    expect(await member(id!)).toMatchObject({
      email: "grace@example.com",
      displayName: "Grace",
      status: "active",
    });
    expect(await lastAudit()).toMatchObject({ action: "member.create", actor: `member:${LOCAL_OWNER_ID}` });
    expect(await (await people.owner.get(`/members/${id}?saved=1`)).text()).toContain("Saved.");

    const again = await submit(people.owner, "/members", { email: "grace@example.com", displayName: "G2" });
    expect(again.status).toBe(409);
    const html = await again.text();
    expect(html).toContain("A member with the email grace@example.com already exists.");
    expect(html).toContain('value="G2"');

    const bad = await submit(people.owner, "/members", { email: "not an email" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("Email: enter an email address.");
  });

  it("deactivates a member, whose session ends at once, and reactivates them", async () => {
    await setUp();
    const { memberId } = people.ids;
    expect((await people.member.get("/")).status).toBe(200);
    const page = await (await people.owner.get(`/members/${memberId}`)).text();
    expect(page).toContain('name="status" value="deactivated"');
    const res = await submit(people.owner, `/members/${memberId}/status`, { status: "deactivated" });
    expect(res.headers.get("location")).toBe(`/members/${memberId}?saved=1#status`);
    expect((await member(memberId)).status).toBe("deactivated");
    expect(await lastAudit()).toMatchObject({
      action: "member.deactivate",
      actor: `member:${LOCAL_OWNER_ID}`,
    });
    expect((await people.member.get("/")).status).toBe(302);

    await submit(people.owner, `/members/${memberId}/status`, { status: "active" });
    expect((await member(memberId)).status).toBe("active");
    expect(await lastAudit()).toMatchObject({ action: "member.update", after: { status: "active" } });
  });

  it("never deactivates the last active owner", async () => {
    await setUp();
    const res = await submit(people.owner, `/members/${LOCAL_OWNER_ID}/status`, { status: "deactivated" });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain("last active owner; make someone else an owner first.");
    expect((await member(LOCAL_OWNER_ID)).status).toBe("active");
  });

  it("maps a GitHub login as an admin, refuses one already linked to someone else, and unlinks it", async () => {
    await setUp();
    const { memberId } = people.ids;
    const res = await submit(people.owner, `/members/${memberId}/github`, { login: "@Max-GH" });
    expect(res.headers.get("location")).toBe(`/members/${memberId}?saved=1#github`);
    expect((await member(memberId)).identities).toEqual([
      { platform: "github", externalId: "max-gh", display: "Max-GH", source: "admin" },
    ]);
    expect(await lastAudit()).toMatchObject({ action: "identity.link", target: memberId });
    expect(await (await people.owner.get(`/members/${memberId}`)).text()).toContain("mapped by an admin");

    const taken = await submit(people.owner, `/members/${memberId}/github`, { login: "codertocat" });
    expect(taken.status).toBe(409);
    expect(await taken.text()).toContain("already linked to another member");
    const bad = await submit(people.owner, `/members/${memberId}/github`, { login: "not a login" });
    expect(bad.status).toBe(400);

    await submit(people.owner, `/members/${memberId}/github/unlink`);
    expect((await member(memberId)).identities).toEqual([]);
    expect((await lastAudit()).action).toBe("identity.unlink");
  });

  it("tells a viewer signed in with an API key that changes carry the key's name", async () => {
    await setUp();
    const html = await (await people.key.get("/members")).text();
    expect(html).toContain("You signed in with an API key");
    expect(html).toContain("<code>api_key:bootstrap</code>");
    expect(html).toContain("sign in with Slack or GitHub");
    await submit(people.key, `/members/${people.ids.memberId}/status`, { status: "deactivated" });
    expect((await lastAudit()).actor).toBe("api_key:bootstrap");
  });

  it("answers 404 for a member of no workspace of the viewer, and is for owners only", async () => {
    await setUp();
    expect((await people.owner.get("/members/mem_nope")).status).toBe(404);
    expect((await submit(people.owner, "/members/mem_nope/status", { status: "active" })).status).toBe(404);
    expect((await people.admin.get("/members")).status).toBe(403);
    const res = await people.admin.post(`/members/${people.ids.memberId}/status`, {
      ...(await people.admin.formFields("/")),
      status: "deactivated",
    });
    expect(res.status).toBe(403);
    expect((await member(people.ids.memberId)).status).toBe("active");
  });
});
