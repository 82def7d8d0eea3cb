import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decide } from "../../src/access/decide";
import type { AccessRequest } from "../../src/access/types";
import { getSnapshot } from "../../src/workspace/snapshot";
import { LOCAL_WORKSPACE_ID } from "../../src/workspace/workspaces";
import { adminClient, storedKey } from "../admin/helpers";
import { createWorld, type World } from "../helpers/world";

// SCIM as an identity provider drives it: look the user up, create it, create the group, add the member,
// and later deactivate the user. The workspace's own rules (a role on the group) then decide access.

let hub: World;
const ws = LOCAL_WORKSPACE_ID;

beforeEach(async () => {
  hub = createWorld();
  await hub.ready;
});
afterEach(() => hub.close());

async function scim(method: string, path: string, body?: unknown, token = hub.secrets.adminToken) {
  const res = await hub.request(`/scim/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    body: text ? (JSON.parse(text) as any) : null,
  };
}

const runTask = (memberId: string): AccessRequest => ({
  actor: { memberId, platform: "slack" },
  surface: "slack",
  action: "task.run",
  environmentId: "env_sandbox_hello_world",
  repoPermission: "read",
});

describe("SCIM provisioning", () => {
  it("create user, create group, add member, deactivate user: access follows at each step", async () => {
    // The workspace admin has already given the IdP-backed group its role.
    const api = adminClient(hub);
    const role = await api.ok("POST", `/workspaces/${ws}/roles`, {
      name: "Codex Users",
      permissions: ["codex_cloud"],
    });

    const lookup = await scim("GET", `/Users?filter=${encodeURIComponent('userName eq "grace@acme.test"')}`);
    expect(lookup.body).toMatchObject({ totalResults: 0, Resources: [] });

    const user = await scim("POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "Grace@acme.test",
      externalId: "okta-00u1",
      name: { givenName: "Grace", familyName: "Hopper" },
      emails: [{ value: "Grace@acme.test", primary: true, type: "work" }],
      active: true,
    });
    expect(user.status).toBe(201);
    expect(user.type).toContain("application/scim+json");
    expect(user.body).toMatchObject({ userName: "grace@acme.test", active: true, externalId: "okta-00u1" });
    const memberId: string = user.body.id;
    expect(decide(runTask(memberId), await getSnapshot(hub.deps, ws)).code).toBe("NO_ROLE_PERMISSION");

    const group = await scim("POST", "/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Engineering",
      members: [],
    });
    expect(group.status).toBe(201);
    await api.ok("PUT", `/workspaces/${ws}/roles/${role.id}/groups/${group.body.id}`);

    const added = await scim("PATCH", `/Groups/${group.body.id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "add", path: "members", value: [{ value: memberId }] }],
    });
    expect(added.status).toBe(200);
    expect(added.body.members).toEqual([expect.objectContaining({ value: memberId })]);
    expect(decide(runTask(memberId), await getSnapshot(hub.deps, ws)).code).toBe("ALLOWED");

    // Entra's spelling: capitalised op, boolean as a string.
    const deactivated = await scim("PATCH", `/Users/${memberId}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "Replace", path: "active", value: "False" }],
    });
    expect(deactivated.body.active).toBe(false);
    expect(decide(runTask(memberId), await getSnapshot(hub.deps, ws)).code).toBe("MEMBER_DEACTIVATED");

    const audit = await api.ok("GET", `/workspaces/${ws}/audit?limit=1`);
    expect(audit.items[0]).toMatchObject({
      actor: "scim:bootstrap",
      action: "member.deactivate",
      before: { status: "active" },
      after: { status: "deactivated" },
    });
  });

  it("finds users and groups by filter, replaces them, removes members and deletes", async () => {
    const a = (await scim("POST", "/Users", { userName: "a@acme.test" })).body;
    const b = (await scim("POST", "/Users", { userName: "b@acme.test", externalId: "ext-b" })).body;
    const byName = await scim("GET", `/Users?filter=${encodeURIComponent('userName eq "A@ACME.test"')}`);
    expect(byName.body.Resources.map((u: { id: string }) => u.id)).toEqual([a.id]);
    const byExternal = await scim("GET", `/Users?filter=${encodeURIComponent('externalId eq "ext-b"')}`);
    expect(byExternal.body.Resources.map((u: { id: string }) => u.id)).toEqual([b.id]);

    const group = (
      await scim("POST", "/Groups", { displayName: "Ops", members: [{ value: a.id }, { value: b.id }] })
    ).body;
    const found = await scim(
      "GET",
      `/Groups?filter=${encodeURIComponent('displayName eq "Ops"')}&excludedAttributes=members`,
    );
    expect(found.body.Resources).toEqual([expect.not.objectContaining({ members: expect.anything() })]);
    expect(found.body.Resources[0].id).toBe(group.id);

    const removed = await scim("PATCH", `/Groups/${group.id}`, {
      Operations: [
        { op: "remove", path: `members[value eq "${a.id}"]` },
        { op: "replace", value: { id: group.id, displayName: "Operations" } },
      ],
    });
    expect(removed.body).toMatchObject({ displayName: "Operations", members: [{ value: b.id }] });

    const replaced = await scim("PUT", `/Users/${b.id}`, {
      userName: "b@acme.test",
      displayName: "Bee",
      active: false,
    });
    expect(replaced.body).toMatchObject({ displayName: "Bee", active: false });

    expect((await scim("DELETE", `/Users/${a.id}`)).status).toBe(204);
    expect((await scim("GET", `/Users/${a.id}`)).status).toBe(404);
    expect((await scim("DELETE", `/Groups/${group.id}`)).status).toBe(204);
    expect((await scim("GET", `/Groups/${group.id}`)).status).toBe(404);
  });

  it("answers in the SCIM error format", async () => {
    await scim("POST", "/Users", { userName: "dup@acme.test" });
    const dup = await scim("POST", "/Users", { userName: "DUP@acme.test" });
    expect(dup.status).toBe(409);
    expect(dup.type).toContain("application/scim+json");
    expect(dup.body).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "409",
      scimType: "uniqueness",
      detail: expect.stringContaining("dup@acme.test"),
    });
    expect((await scim("GET", "/Users/mem_nope")).body).toMatchObject({ status: "404" });
    expect((await scim("GET", `/Users?filter=${encodeURIComponent('title co "x"')}`)).body).toMatchObject({
      status: "400",
      scimType: "invalidFilter",
    });
    expect((await scim("POST", "/Users", { displayName: "no userName" })).body).toMatchObject({
      status: "400",
      scimType: "invalidValue",
    });
    expect((await scim("PATCH", "/Groups/x", { Operations: [{ op: "frobnicate" }] })).body).toMatchObject({
      status: "400",
    });
    const unknownMember = await scim("POST", "/Groups", {
      displayName: "G",
      members: [{ value: "mem_nope" }],
    });
    expect(unknownMember.body).toMatchObject({ status: "400", scimType: "invalidValue" });

    expect((await scim("GET", "/Nope")).body).toMatchObject({ status: "404" });

    const anonymous = await hub.request("/scim/v2/Users");
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
      status: "401",
    });
    const key = await storedKey(hub, ["analytics.read"]);
    expect((await scim("GET", "/Users", undefined, key)).body).toMatchObject({ status: "403" });
  });

  it("serves a named workspace under /scim/v2/workspaces/{id} once there are several", async () => {
    const api = adminClient(hub);
    const other = await api.ok("POST", "/workspaces", { name: "Second", ownerEmail: "boss@second.test" });
    const ambiguous = await scim("GET", "/Users");
    expect(ambiguous.status).toBe(400);
    const users = await scim("GET", `/workspaces/${other.id}/Users`);
    expect(users.body.Resources.map((u: { userName: string }) => u.userName)).toEqual(["boss@second.test"]);
    expect(users.body.Resources[0].meta.location).toContain(`/scim/v2/workspaces/${other.id}/Users/`);
  });
});
