import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { adminClient, expectEnvelope } from "../../admin/helpers";
import type { World } from "../../helpers/world";
import { consolePeople } from "../../web/console/people";
import { analytics, analyticsWorld, keyFor, WS } from "./helpers";

// Who reads the analytics API. The product gives analytics their own key ("scoped to
// codex.enterprise.analytics.read only") and shows them to Codex Admins: here a key with `analytics.read`,
// or an owner or Codex Admin signed in to the console. The scope opens nothing else, and `admin` does not
// open analytics: an admin key manages the hub, a reporting pipeline reads analytics, and neither gets the
// other's power by accident.

let world: World;
beforeEach(async () => {
  world = await analyticsWorld();
});
afterEach(() => world.close());

const ENDPOINTS = ["usage", "code_reviews", "code_review_responses", "exports/cloud_users"];

describe("the analytics.read scope", () => {
  it("opens every analytics endpoint and export", async () => {
    for (const endpoint of ENDPOINTS) {
      const res = await analytics(world, `/${endpoint}`);
      expect(res.status, endpoint).toBe(200);
    }
  });

  it("opens nothing of the admin API or SCIM", async () => {
    const key = await keyFor(world, ["analytics.read"]);
    const api = adminClient(world, key);
    for (const [method, path] of [
      ["GET", "/workspaces"],
      ["GET", `/workspaces/${WS}/members`],
      ["GET", `/workspaces/${WS}/audit`],
      ["GET", "/api-keys"],
      ["POST", "/api-keys"],
      ["GET", "/inbox"],
    ] as const) {
      const res = await api.call(
        method,
        path,
        method === "POST" ? { name: "x", scopes: ["admin"] } : undefined,
      );
      expect(res.status, `${method} ${path}`).toBe(403);
      expectEnvelope(res.body, "forbidden");
      expect(res.body.error.message).toContain("lacks the `admin` scope");
    }
    const scim = await world.request("/scim/v2/Users", { headers: { authorization: `Bearer ${key}` } });
    expect(scim.status).toBe(403);
  });

  it("is not held by an admin-only key, nor by a SCIM or compliance key", async () => {
    for (const scopes of [["admin"], ["scim"], ["compliance.read"]] as const) {
      for (const endpoint of ENDPOINTS) {
        const res = await analytics(world, `/${endpoint}`, [...scopes]);
        expect(res.status, `${scopes} ${endpoint}`).toBe(403);
        expectEnvelope(res.body, "forbidden");
        expect(res.body.error.message).toBe("This API key lacks the `analytics.read` scope.");
      }
    }
    // The bootstrap key (HUB_ADMIN_TOKEN) holds every scope, so it reads analytics too.
    const bootstrap = await world.request(`/api/v1/analytics/codex/workspaces/${WS}/usage`, {
      headers: world.adminHeaders,
    });
    expect(bootstrap.status).toBe(200);
  });

  it("can be given to a new key, alone", async () => {
    const created = await adminClient(world).call("POST", "/api-keys", {
      name: "Codex Analytics API",
      scopes: ["analytics.read"],
    });
    expect(created.status).toBe(201);
    expect(created.body.scopes).toEqual(["analytics.read"]);
    const res = await world.request(`/api/v1/analytics/codex/workspaces/${WS}/code_reviews`, {
      headers: { authorization: `Bearer ${created.body.key}` },
    });
    expect(res.status).toBe(200);
  });

  it("answers 401 without a key and 404 for a workspace that does not exist", async () => {
    const anonymous = await world.request(`/api/v1/analytics/codex/workspaces/${WS}/usage`);
    expect(anonymous.status).toBe(401);
    expectEnvelope(await anonymous.json(), "unauthorized");
    const key = await keyFor(world, ["analytics.read"]);
    const missing = await world.request("/api/v1/analytics/codex/workspaces/ws_nope/usage", {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(missing.status).toBe(404);
    expectEnvelope(await missing.json(), "not_found");
  });
});

describe("a console session", () => {
  it("reads analytics for owners and Codex Admins, not for members", async () => {
    const people = await consolePeople(world);
    for (const who of [people.owner, people.admin]) {
      for (const endpoint of ENDPOINTS) {
        expect((await who.get(`/api/v1/analytics/codex/workspaces/${WS}/${endpoint}`)).status, endpoint).toBe(
          200,
        );
      }
    }
    const refused = await people.member.get(`/api/v1/analytics/codex/workspaces/${WS}/usage`);
    expect(refused.status).toBe(403);
    const body = await refused.json();
    expectEnvelope(body, "forbidden");
    expect(body.error.message).toContain("which a session holds only for workspace owners and Codex Admins");
    // A Codex Admin still holds no admin scope.
    expect((await people.admin.get("/api/v1/workspaces")).status).toBe(403);
  });

  it("reads only workspaces the person belongs to", async () => {
    const people = await consolePeople(world);
    const other = await adminClient(world).ok("POST", "/workspaces", {
      name: "Other",
      ownerEmail: "boss@other.test",
    });
    const res = await people.admin.get(`/api/v1/analytics/codex/workspaces/${other.id}/usage`);
    expect(res.status).toBe(403);
    expect((await res.json()).error.message).toBe("You are not an active member of this workspace.");
  });

  it("opened with a key acts with the key's scopes: the bootstrap key reads analytics", async () => {
    const people = await consolePeople(world);
    expect((await people.key.get(`/api/v1/analytics/codex/workspaces/${WS}/usage`)).status).toBe(200);
  });
});
