import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apiScopes } from "../../src/db/schema/api-keys";
import { createWorld, type World } from "../helpers/world";
import { adminClient } from "./helpers";

// A key is only given scopes some route accepts (assertScopesUsable refuses any other with a 400 naming what can
// be had): every scope the list names is served today, by the admin API, SCIM, the analytics API or the
// Compliance API.

let hub: World;
beforeEach(async () => {
  hub = createWorld();
  await hub.ready;
});
afterEach(() => hub.close());

const create = (scopes: string[]) => adminClient(hub).call("POST", "/api-keys", { name: "ci", scopes });

describe("POST /api-keys and the scopes routes accept", () => {
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
    expect(accepted.has("analytics.read")).toBe(true);
    expect(accepted.has("compliance.read") && accepted.has("compliance.delete")).toBe(true);
    const scim = await create(["scim"]);
    const users = await hub.request("/scim/v2/Users", {
      headers: { authorization: `Bearer ${(scim.body as { key: string }).key}` },
    });
    expect(users.status).toBe(200);
  });
});
