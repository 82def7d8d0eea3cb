import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apiScopes } from "../../src/db/schema/api-keys";
import { ROUTED_SCOPES } from "../../src/workspace/api-key-scopes";
import { createWorld, type World } from "../helpers/world";
import { adminClient, expectEnvelope, storedKey } from "./helpers";

// Every route of the admin API, read from its own OpenAPI document so a new route cannot be forgotten:
// no key or an unknown key → 401, a key without the route's scope → 403, a body that does not match → 400,
// each time in the JSON error envelope.

type Operation = { security?: { bearer?: string[] }[]; requestBody?: unknown };
type Route = { method: string; path: string; operation: Operation };

let hub: World;
let routes: Route[];
const keys = new Map<string, string>();

beforeEach(async () => {
  hub = createWorld();
  await hub.ready;
  const doc = (await (await hub.request("/api/v1/openapi.json")).json()) as {
    paths: Record<string, Record<string, Operation>>;
  };
  routes = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );
  const admin = adminClient(hub);
  for (const scope of apiScopes) {
    // Scopes no route accepts cannot be given through the API any more (api-key-scopes.test.ts).
    const routed = (ROUTED_SCOPES as readonly string[]).includes(scope);
    const created = routed
      ? (await admin.ok("POST", "/api-keys", { name: `only ${scope}`, scopes: [scope] })).key
      : await storedKey(hub, [scope]);
    keys.set(scope, created);
  }
});
afterEach(() => hub.close());

const concrete = (path: string) => `/api/v1${path.replace(/\{[^}]+\}/g, "x")}`;
const send = (route: Route, headers: Record<string, string>, body?: string) =>
  hub.request(concrete(route.path), {
    method: route.method,
    headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body,
  });

describe("admin API authentication, scopes and validation", () => {
  it("documents the access-control routes", () => {
    const paths = new Set(routes.map((r) => `${r.method} ${r.path}`));
    for (const expected of [
      "POST /api-keys",
      "PATCH /workspaces/{workspaceId}/toggles",
      "PUT /workspaces/{workspaceId}/members/{memberId}/identities/{platform}",
      "PUT /workspaces/{workspaceId}/roles/{roleId}/groups/{groupId}",
      "PUT /workspaces/{workspaceId}/default-role",
      "PUT /workspaces/{workspaceId}/owners/{memberId}",
      "POST /workspaces/{workspaceId}/apps",
      "PATCH /workspaces/{workspaceId}/plugins/{pluginId}",
      "PUT /workspaces/{workspaceId}/environments/{environmentId}/collaborators/{memberId}",
      "PUT /workspaces/{workspaceId}/policy-assignments",
      "GET /policies/lookup",
      "POST /access/explain",
      "GET /decisions/{decisionId}",
    ]) {
      expect(paths, expected).toContain(expected);
    }
  });

  it("answers 401 without a key or with an unknown one, on every route", async () => {
    for (const route of routes) {
      const attempts: Record<string, string>[] = [
        {},
        { authorization: "Bearer not-a-key-0123456789" },
        { authorization: "Basic abc" },
      ];
      for (const headers of attempts) {
        const res = await send(route, headers);
        expect(res.status, `${route.method} ${route.path}`).toBe(401);
        expectEnvelope(await res.json(), "unauthorized");
      }
    }
  });

  it("answers 403 to a key without the route's scope, on every route", async () => {
    for (const route of routes) {
      const declared = route.operation.security?.[0]?.bearer?.[0];
      const label = `${route.method} ${route.path}`;
      if (declared) {
        // Keys holding every scope but the required one are refused; the one with it gets past authorization.
        for (const scope of apiScopes.filter((s) => s !== declared)) {
          const res = await send(route, { authorization: `Bearer ${keys.get(scope)}` });
          expect(res.status, `${label} with ${scope}`).toBe(403);
          expectEnvelope(await res.json(), "forbidden");
        }
        const allowed = await send(route, { authorization: `Bearer ${keys.get(declared)}` });
        expect([401, 403], `${label} with ${declared}`).not.toContain(allowed.status);
      } else {
        // A route that does not name its scope must still refuse some scope.
        const statuses = await Promise.all(
          apiScopes.map(
            async (scope) => (await send(route, { authorization: `Bearer ${keys.get(scope)}` })).status,
          ),
        );
        expect(statuses, label).toContain(403);
      }
    }
  });

  it("answers 400 with the issues to a body that does not match, on every route that takes one", async () => {
    const withBody = routes.filter((r) => r.operation.requestBody);
    expect(withBody.length).toBeGreaterThan(20);
    for (const route of withBody) {
      // Neither an array, a string, a number, null nor broken JSON can be any route's object body.
      for (const body of ["[]", '"text"', "42", "null", "{not json"]) {
        const res = await send(route, hub.adminHeaders, body);
        expect(res.status, `${route.method} ${route.path} with ${body}`).toBe(400);
        const json = await res.json();
        expectEnvelope(json, (json as { error: { code: string } }).error.code);
        expect(["invalid_body", "bad_request"]).toContain((json as { error: { code: string } }).error.code);
      }
    }
  });

  it("answers 404 in the envelope for an unknown id", async () => {
    const admin = adminClient(hub);
    for (const path of [
      "/workspaces/nope",
      "/workspaces/ws_local/members/nope",
      "/decisions/nope",
      "/workspaces/ws_local/groups/nope",
    ]) {
      const res = await admin.call("GET", path);
      expect(res.status, path).toBe(404);
      expectEnvelope(res.body, "not_found");
    }
  });
});
