import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apiScopes } from "../../src/db/schema/api-keys";
import { createWorld, type World } from "../helpers/world";
import { adminClient, expectEnvelope } from "./helpers";

// A key is only given scopes some route accepts: `compliance.*` open nothing until the compliance API is
// served, so asking for them is a 400 that says what can be had instead. `analytics.read` opens the analytics API.

let hub: World;
beforeEach(async () => {
  hub = createWorld();
  await hub.ready;
});
afterEach(() => hub.close());

const create = (scopes: string[]) => adminClient(hub).call("POST", "/api-keys", { name: "ci", scopes });

describe("POST /api-keys with scopes that open nothing", () => {
  it.each([
    [["compliance.read"], "The scope `compliance.read` cannot"],
    [["compliance.read", "compliance.delete"], "The scopes `compliance.read`, `compliance.delete` cannot"],
    [["admin", "analytics.read", "compliance.delete"], "The scope `compliance.delete` cannot"],
  ])("%j: 400 naming the unusable and the usable scopes, no key made", async (scopes, says) => {
    const res = await create(scopes);
    expect(res.status).toBe(400);
    expectEnvelope(res.body, "bad_request");
    expect(res.body.error.message).toContain(says);
    expect(res.body.error.message).toContain(
      "Scopes a key can hold today: `admin`, `scim`, `analytics.read`.",
    );
    expect(res.body.error.details).toEqual({
      unusable: scopes.filter((s) => s.startsWith("compliance.")),
      usable: ["admin", "scim", "analytics.read"],
    });
    expect((await adminClient(hub).ok("GET", "/api-keys")).items).toEqual([]);
  });

  it("a scope is given exactly when some route accepts it: a documented /api/v1 route, or SCIM for `scim`", async () => {
    const doc = (await (await hub.request("/api/v1/openapi.json")).json()) as {
      paths: Record<string, Record<string, { security?: { bearer?: string[] }[] }>>;
    };
    const accepted = new Set(
      Object.values(doc.paths).flatMap((methods) =>
        Object.values(methods).flatMap((op) => op.security?.flatMap((s) => s.bearer ?? []) ?? []),
      ),
    );
    // The SCIM routes (not part of the admin API's document) accept `scim`.
    accepted.add("scim");
    for (const scope of apiScopes) {
      const res = await create([scope]);
      expect(res.status, scope).toBe(accepted.has(scope) ? 201 : 400);
    }
    expect(accepted.has("admin")).toBe(true);
    const scim = await create(["scim"]);
    const users = await hub.request("/scim/v2/Users", {
      headers: { authorization: `Bearer ${(scim.body as { key: string }).key}` },
    });
    expect(users.status).toBe(200);
  });
});
