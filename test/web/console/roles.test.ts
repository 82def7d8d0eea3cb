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

const roles = async () => (await api("GET", "/roles")).items as any[];
const groups = async () => (await api("GET", "/groups")).items as any[];
const member = (id: string) => api("GET", `/members/${id}`);
const lastAudit = async () => (await api("GET", "/audit?limit=1")).items[0];

/** Submits a form of the roles page as `who`, with the page's token. */
async function submit(who: Browser, path: string, fields: Record<string, string> = {}) {
  return who.post(path, { ...(await who.formFields("/roles")), ...fields });
}

async function setUp() {
  hub = createWorld();
  people = await consolePeople(hub);
}

describe("the roles page", () => {
  it("lists roles with their permissions, groups with members and roles, the default role and owners", async () => {
    await setUp();
    const res = await people.owner.get("/roles");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Codex Admins");
    expect(html).toContain("Allow members to administer Codex");
    expect(html).toContain("view Codex workspace analytics");
    for (const p of ["codex_local", "codex_cloud", "codex_admin", "agent_internet"]) {
      expect(html).toContain(`name="perm_${p}"`);
    }
    expect(html).toContain("Platform");
    expect(html).toContain("Ada (ada@example.com)");
    expect(html).toContain("No default role");
    expect(html).toContain("admin@example.com");
    expect(html).toContain("The last active owner");
  });

  it("creates a role, changes its permissions and deletes it, each audited with the owner's name", async () => {
    await setUp();
    const created = await submit(people.owner, "/roles/role", {
      name: "Codex Users",
      perm_codex_local: "on",
      perm_codex_cloud: "on",
    });
    expect(created.status).toBe(303);
    expect(created.headers.get("location")).toBe("/roles?saved=1#roles");
    const role = (await roles()).find((r) => r.name === "Codex Users");
    expect(role.permissions).toEqual(["codex_cloud", "codex_local"]);
    expect(await lastAudit()).toMatchObject({ action: "role.create", actor: `member:${LOCAL_OWNER_ID}` });

    await submit(people.owner, `/roles/role/${role.id}`, { name: "Codex Users", perm_agent_internet: "on" });
    expect((await roles()).find((r) => r.id === role.id).permissions).toEqual(["agent_internet"]);
    expect(await lastAudit()).toMatchObject({
      action: "role.update",
      before: { permissions: ["codex_cloud", "codex_local"] },
      after: { permissions: ["agent_internet"] },
    });

    await submit(people.owner, `/roles/role/${role.id}/delete`);
    expect((await roles()).some((r) => r.id === role.id)).toBe(false);
    expect((await lastAudit()).action).toBe("role.delete");
  });

  it("shows a refused role back with the reason and what was typed, saving nothing", async () => {
    await setUp();
    const res = await submit(people.owner, "/roles/role", { name: "Codex Admins", perm_codex_local: "on" });
    expect(res.status).toBe(409);
    const html = await res.text();
    expect(html).toContain("A role named Codex Admins already exists.");
    expect(html).toContain('value="Codex Admins"');
    expect((await roles()).filter((r) => r.name === "Codex Admins")).toHaveLength(1);
    const empty = await submit(people.owner, "/roles/role", { name: "  " });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain("Name: enter a value.");
  });

  it("chooses the default role and clears it", async () => {
    await setUp();
    const { adminRoleId } = people.ids;
    await submit(people.owner, "/roles/default-role", { roleId: adminRoleId });
    expect((await api("GET", "")).defaultRoleId).toBe(adminRoleId);
    expect(await (await people.owner.get("/roles")).text()).toMatch(
      new RegExp(`<option value="${adminRoleId}" selected="">Codex Admins</option>`),
    );
    await submit(people.owner, "/roles/default-role", { roleId: "" });
    expect((await api("GET", "")).defaultRoleId).toBeNull();
    const unknown = await submit(people.owner, "/roles/default-role", { roleId: "role_nope" });
    expect(unknown.status).toBe(404);
  });

  it("creates a group, assigns and takes away a role, adds and removes a member by email", async () => {
    await setUp();
    await submit(people.owner, "/roles/groups", { name: "Codex Users" });
    const group = (await groups()).find((g) => g.name === "Codex Users");
    const { adminRoleId, memberId } = people.ids;

    const assigned = await submit(people.owner, `/roles/groups/${group.id}/roles`, { roleId: adminRoleId });
    expect(assigned.headers.get("location")).toBe(`/roles?saved=1#group-${group.id}`);
    expect((await groups()).find((g) => g.id === group.id).roleIds).toEqual([adminRoleId]);

    await submit(people.owner, `/roles/groups/${group.id}/members`, { email: "MAX@example.com" });
    expect((await member(memberId)).groupIds).toEqual([group.id]);
    // Max is a Codex Admin now: the level follows the role at once.
    expect((await people.member.get("/policies")).status).toBe(200);

    const nobody = await submit(people.owner, `/roles/groups/${group.id}/members`, {
      email: "nobody@example.com",
    });
    expect(nobody.status).toBe(404);
    expect(await nobody.text()).toContain("No member has the email nobody@example.com in this workspace");

    await submit(people.owner, `/roles/groups/${group.id}/roles/${adminRoleId}/remove`);
    expect((await groups()).find((g) => g.id === group.id).roleIds).toEqual([]);
    await submit(people.owner, `/roles/groups/${group.id}/members/${memberId}/remove`);
    expect((await member(memberId)).groupIds).toEqual([]);
    expect((await lastAudit()).action).toBe("group.members");

    await submit(people.owner, `/roles/groups/${group.id}/delete`);
    expect((await groups()).some((g) => g.id === group.id)).toBe(false);
  });

  it("makes and unmakes owners, but never removes the last active owner", async () => {
    await setUp();
    const last = await submit(people.owner, `/roles/owners/${LOCAL_OWNER_ID}/remove`);
    expect(last.status).toBe(409);
    expect(await last.text()).toContain(
      "This is the workspace&#39;s last active owner; make someone else an owner first.",
    );
    expect((await member(LOCAL_OWNER_ID)).isOwner).toBe(true);

    await submit(people.owner, "/roles/owners", { email: "ada@example.com" });
    expect((await member(people.ids.adminId)).isOwner).toBe(true);
    expect((await people.admin.get("/settings")).status).toBe(200);

    await submit(people.owner, `/roles/owners/${LOCAL_OWNER_ID}/remove`);
    expect((await member(LOCAL_OWNER_ID)).isOwner).toBe(false);
    expect(await lastAudit()).toMatchObject({ action: "member.update", after: { isOwner: false } });
  });

  it("is for owners only", async () => {
    await setUp();
    expect((await people.admin.get("/roles")).status).toBe(403);
    const res = await people.admin.post("/roles/role", {
      ...(await people.admin.formFields("/")),
      name: "Sneaky",
      perm_codex_admin: "on",
    });
    expect(res.status).toBe(403);
    const owners = await people.admin.post(`/roles/owners`, {
      ...(await people.admin.formFields("/")),
      email: "ada@example.com",
    });
    expect(owners.status).toBe(403);
    expect((await roles()).some((r) => r.name === "Sneaky")).toBe(false);
    expect((await member(people.ids.adminId)).isOwner).toBe(false);
  });
});
