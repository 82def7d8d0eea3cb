import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { auditLog } from "../../../src/db/schema/audit";
import { createWorld, type World } from "../../helpers/world";
import { consolePeople } from "./people";

let hub: World;
afterEach(() => hub?.close());

type KeyJson = { id: string; name: string; scopes: string[]; revokedAt: number | null };

async function keys(): Promise<KeyJson[]> {
  const res = await hub.request("/api/v1/api-keys", { headers: hub.adminHeaders });
  return (await res.json()).items;
}

/** API keys are hub-wide: their audit records belong to no workspace, so they are read from the log itself. */
const audit = (action: string) =>
  hub.deps.database.db.select().from(auditLog).where(eq(auditLog.action, action)).all();

describe("the API keys page", () => {
  it("is for owners only: Codex Admins and members get a 403 page and create nothing", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const page = await people.owner.get("/api-keys");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Create API key");
    expect(html).toContain('name="scope_admin"');
    expect(html).toContain('name="scope_analytics.read"');
    expect(html).toContain("The admin scope does not include it.");
    expect(html).toContain('name="scope_compliance.read"');
    expect(html).toContain('name="scope_compliance.delete"');
    expect(html).not.toContain("Not offered yet");
    for (const who of ["admin", "member"] as const) {
      expect((await people[who].get("/api-keys")).status).toBe(403);
      const token = await people[who].formFields("/");
      const res = await people[who].post("/api-keys", { ...token, name: "Sneaky", scope_admin: "on" });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain("Only workspace owners can use this page");
    }
    expect(await keys()).toEqual([]);
  });

  it("shows a new key once, on a 201 page that is never cached, and the key works", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const res = await people.owner.post("/api-keys", {
      ...(await people.owner.formFields("/api-keys")),
      name: "Okta SCIM",
      scope_scim: "on",
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("location")).toBeNull();
    const html = await res.text();
    expect(html).toContain("This is the only time it is shown");
    const key = /id="new-key" readonly="" value="(chub_[^"]+)"/.exec(html)?.[1];
    expect(key).toBeDefined();
    const scim = await hub.request("/scim/v2/Users", { headers: { authorization: `Bearer ${key}` } });
    expect(scim.status).toBe(200);
    const list = await (await people.owner.get("/api-keys")).text();
    expect(list).toContain("Okta SCIM");
    expect(list).toContain("admin@example.com");
    expect(list).not.toContain(key);
    const [created] = await keys();
    expect(created).toMatchObject({ name: "Okta SCIM", scopes: ["scim"] });
    const [record] = await audit("api_key.create");
    expect(record).toMatchObject({ actor: "member:mem_local_owner", target: created?.id });
  });

  it("refuses a key without scopes, explaining why, and creates nothing", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const fields = await people.owner.formFields("/api-keys");
    const none = await people.owner.post("/api-keys", { ...fields, name: "Empty" });
    expect(none.status).toBe(400);
    const noneHtml = await none.text();
    expect(noneHtml).toContain("Scopes: choose at least one scope");
    expect(noneHtml).toContain('value="Empty"');
    expect(await keys()).toEqual([]);
  });

  it("creates an analytics key, which reads the analytics API and nothing else", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const res = await people.owner.post("/api-keys", {
      ...(await people.owner.formFields("/api-keys")),
      name: "Codex Analytics API",
      "scope_analytics.read": "on",
    });
    expect(res.status).toBe(201);
    const key = /id="new-key" readonly="" value="(chub_[^"]+)"/.exec(await res.text())?.[1];
    const bearer = { authorization: `Bearer ${key}` };
    expect(
      (await hub.request("/api/v1/analytics/codex/workspaces/ws_local/usage", { headers: bearer })).status,
    ).toBe(200);
    expect((await hub.request("/api/v1/workspaces", { headers: bearer })).status).toBe(403);
    expect((await keys())[0]).toMatchObject({ name: "Codex Analytics API", scopes: ["analytics.read"] });
  });

  it("revokes a key with its danger button, audited; without the form token nothing happens", async () => {
    hub = createWorld();
    const people = await consolePeople(hub);
    const created = await hub.request("/api/v1/api-keys", {
      method: "POST",
      headers: { ...hub.adminHeaders, "content-type": "application/json" },
      body: JSON.stringify({ name: "Deploy", scopes: ["admin"] }),
    });
    const { id } = (await created.json()) as { id: string };
    expect(await (await people.owner.get("/api-keys")).text()).toContain("Revoke key Deploy");
    expect((await people.owner.post(`/api-keys/${id}/revoke`)).status).toBe(403);
    expect((await people.owner.post("/api-keys", { name: "No token", scope_admin: "on" })).status).toBe(403);
    expect((await keys()).map((k) => [k.name, k.revokedAt])).toEqual([["Deploy", null]]);
    const res = await people.key.post(`/api-keys/${id}/revoke`, await people.key.formFields("/api-keys"));
    expect(res.status).toBe(303);
    expect((await keys())[0]?.revokedAt).not.toBeNull();
    expect(await (await people.owner.get("/api-keys")).text()).toContain("Revoked");
    const [record] = await audit("api_key.revoke");
    expect(record).toMatchObject({ actor: "api_key:bootstrap", target: id });
  });
});
