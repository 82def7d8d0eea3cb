import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { adminClient } from "../admin/helpers";
import { createWorld, type World } from "../helpers/world";

// SCIM as Okta and Entra ID call it: their discovery reads, their PATCH spellings, their filters and
// attribute selection, with a `scim` key that opens SCIM and nothing else.

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

let hub: World;
let token: string;

beforeEach(async () => {
  hub = createWorld();
  await hub.ready;
  token = (await adminClient(hub).ok("POST", "/api-keys", { name: "Entra", scopes: ["scim"] })).key;
});
afterEach(() => hub.close());

async function scim(method: string, path: string, body?: unknown, key = token) {
  const res = await hub.request(`/scim/v2${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/scim+json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as any) : null };
}

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });
const filter = (expression: string) => `filter=${encodeURIComponent(expression)}`;
const newUser = async (userName: string, extra: Record<string, unknown> = {}) => {
  const res = await scim("POST", "/Users", { schemas: [USER], userName, active: true, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string };
};

describe("SCIM keys", () => {
  it("a `scim` key provisions over SCIM and is refused by the admin API; an `admin` key does both", async () => {
    expect((await scim("GET", "/Users")).status).toBe(200);
    const api = await hub.request("/api/v1/workspaces", { headers: { authorization: `Bearer ${token}` } });
    expect(api.status).toBe(403);
    expect(await api.json()).toMatchObject({ error: { code: "forbidden" } });
    expect((await scim("GET", "/Users", undefined, hub.secrets.adminToken)).status).toBe(200);
    expect(await adminClient(hub).ok("GET", "/api-keys")).toMatchObject({
      items: expect.arrayContaining([expect.objectContaining({ scopes: ["scim"] })]),
    });
  });
});

describe("discovery (RFC 7643 §5-7)", () => {
  it("serves the service provider config, resource types and schemas, each also by id", async () => {
    const config = await scim("GET", "/ServiceProviderConfig");
    expect(config.body).toMatchObject({ patch: { supported: true }, filter: { supported: true } });

    const types = await scim("GET", "/ResourceTypes");
    expect(types.body).toMatchObject({ totalResults: 2 });
    expect(types.body.Resources).toEqual([
      expect.objectContaining({ id: "User", endpoint: "/Users", schema: USER }),
      expect.objectContaining({ id: "Group", endpoint: "/Groups", schema: GROUP }),
    ]);
    const user = await scim("GET", "/ResourceTypes/User");
    expect(user.body).toMatchObject({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
      id: "User",
      meta: { resourceType: "ResourceType", location: "http://hub.test/scim/v2/ResourceTypes/User" },
    });

    const schemas = await scim("GET", "/Schemas");
    expect(schemas.body.Resources.map((s: { id: string }) => s.id)).toEqual([USER, GROUP]);
    const userSchema = await scim("GET", `/Schemas/${USER}`);
    expect(userSchema.body.schemas).toEqual(["urn:ietf:params:scim:schemas:core:2.0:Schema"]);
    const userName = userSchema.body.attributes.find((a: { name: string }) => a.name === "userName");
    expect(userName).toMatchObject({
      type: "string",
      required: true,
      uniqueness: "server",
      multiValued: false,
    });
    const members = (await scim("GET", `/Schemas/${GROUP}`)).body.attributes.find(
      (a: { name: string }) => a.name === "members",
    );
    expect(members.subAttributes.map((a: { name: string }) => a.name)).toEqual(["value", "$ref", "type"]);

    expect((await scim("GET", "/ResourceTypes/Device")).status).toBe(404);
    expect((await scim("GET", "/Schemas/urn:nope")).status).toBe(404);
  });
});

describe("Okta", () => {
  it("deactivates with a replace of the whole value, then deletes: the user is gone", async () => {
    const { id } = await newUser("okta@acme.test");
    const off = await scim("PATCH", `/Users/${id}`, patch({ op: "replace", value: { active: false } }));
    expect(off.body).toMatchObject({ id, active: false });
    expect((await scim("DELETE", `/Users/${id}`)).status).toBe(204);
    expect((await scim("GET", `/Users/${id}`)).status).toBe(404);
    const lookup = await scim("GET", `/Users?${filter('userName eq "okta@acme.test"')}`);
    expect(lookup.body).toMatchObject({ totalResults: 0 });
    // The email is free again: the person can be provisioned anew.
    expect((await newUser("okta@acme.test")).id).not.toBe(id);
  });
});

describe("Entra ID", () => {
  it("looks users up by userName and changes them with capitalised ops, string booleans and filtered paths", async () => {
    const { id } = await newUser("ada@acme.test", { externalId: "e-1" });
    const found = await scim("GET", `/Users?${filter('userName eq "ada@acme.test"')}`);
    expect(found.body.Resources.map((u: { id: string }) => u.id)).toEqual([id]);

    const changed = await scim(
      "PATCH",
      `/Users/${id}`,
      patch(
        { op: "Replace", path: 'emails[type eq "work"].value', value: "ada.l@acme.test" },
        { op: "Replace", path: 'emails[type eq "work"].primary', value: "True" },
        { op: "Add", path: "name.givenName", value: "Ada" },
        { op: "Replace", path: "displayName", value: "Ada L." },
        {
          op: "Add",
          path: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
          value: "R&D",
        },
        { op: "Replace", path: "active", value: "False" },
      ),
    );
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({
      userName: "ada.l@acme.test",
      emails: [{ value: "ada.l@acme.test" }],
      name: { givenName: "Ada" },
      displayName: "Ada L.",
      active: false,
    });
    const on = await scim("PATCH", `/Users/${id}`, patch({ op: "Replace", path: "active", value: "True" }));
    expect(on.body.active).toBe(true);
  });

  it("adds and removes group members with Add on members and Remove on members[value eq ...]", async () => {
    const a = await newUser("a@acme.test");
    const b = await newUser("b@acme.test");
    const group = (await scim("POST", "/Groups", { schemas: [GROUP], displayName: "Eng", members: [] })).body;
    const lookup = await scim("GET", `/Groups?${filter('displayName eq "Eng"')}&excludedAttributes=members`);
    expect(lookup.body.Resources).toEqual([
      { schemas: [GROUP], id: group.id, displayName: "Eng", meta: expect.anything() },
    ]);

    const added = await scim(
      "PATCH",
      `/Groups/${group.id}`,
      patch({ op: "Add", path: "members", value: [{ value: a.id }, { value: b.id }] }),
    );
    expect(added.body.members.map((m: { value: string }) => m.value).sort()).toEqual([a.id, b.id].sort());
    const removed = await scim(
      "PATCH",
      `/Groups/${group.id}`,
      patch({ op: "Remove", path: `members[value eq "${a.id}"]` }),
    );
    expect(removed.body.members).toEqual([expect.objectContaining({ value: b.id })]);
    const user = await scim("GET", `/Users/${b.id}`);
    expect(user.body.groups).toEqual([expect.objectContaining({ value: group.id })]);
  });
});

describe("attributes and excludedAttributes (RFC 7644 §3.4.2.5)", () => {
  it("returns only the attributes asked for, always with id and schemas", async () => {
    const { id } = await newUser("grace@acme.test", { name: { givenName: "Grace", familyName: "Hopper" } });
    const one = await scim("GET", `/Users/${id}?attributes=userName,name.givenName`);
    expect(one.body).toEqual({
      schemas: [USER],
      id,
      userName: "grace@acme.test",
      name: { givenName: "Grace" },
    });
    const list = await scim(
      "GET",
      `/Users?attributes=${encodeURIComponent(`${USER}:userName,emails.value`)}`,
    );
    expect(list.body.Resources).toHaveLength(2);
    expect(list.body.Resources).toContainEqual({
      schemas: [USER],
      id,
      userName: "grace@acme.test",
      emails: [{ value: "grace@acme.test" }],
    });
    // Case-insensitive names; id and schemas cannot be excluded.
    const without = await scim(
      "GET",
      `/Users/${id}?excludedAttributes=GROUPS,meta,name.familyName,id,schemas`,
    );
    expect(without.body).toMatchObject({ id, schemas: [USER], name: { givenName: "Grace" } });
    expect(without.body).not.toHaveProperty("groups");
    expect(without.body).not.toHaveProperty("meta");
    expect(without.body.name).not.toHaveProperty("familyName");
  });
});
