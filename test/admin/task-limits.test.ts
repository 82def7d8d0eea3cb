import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { groups } from "../../src/db/schema/access";
import { createWorld, type World } from "../helpers/world";
import { seedWorkspace } from "../helpers/world-seed";
import { adminClient, expectEnvelope } from "./helpers";

// Usage limits through the admin API: the workspace's, and those of its environments, groups and members.
// Every change is audited before → after; a field the API does not know is a 400, never silently dropped.

const WS = "ws_acme";
let hub: World;
let api: ReturnType<typeof adminClient>;
let groupId: string;

beforeEach(async () => {
  hub = createWorld();
  api = adminClient(hub);
  await seedWorkspace(hub.deps, {
    owner: { id: "mem_olga", email: "olga@acme.test" },
    members: [{ id: "mem_max", email: "max@acme.test", name: "Max" }],
    roles: [
      { name: "Cloud", permissions: ["codex_cloud"], group: { name: "Builders", members: ["mem_max"] } },
    ],
    environments: [{ id: "env_web", name: "web" }],
  });
  groupId = hub.rows(groups)[0]!.id;
});
afterEach(() => hub.close());

const base = `/workspaces/${WS}/task-limits`;

describe("the workspace's limits", () => {
  it("add daily task and review limits beside the concurrency ones; null removes one", async () => {
    expect(await api.ok("GET", base)).toEqual({ maxRunning: 4, maxRunningPerEnvironment: 2 });
    expect(await api.ok("PUT", base, { tasksPerDay: 50, reviewsPerDay: 20, maxRunning: 8 })).toEqual({
      maxRunning: 8,
      maxRunningPerEnvironment: 2,
      tasksPerDay: 50,
      reviewsPerDay: 20,
    });
    expect(await api.ok("PUT", base, { reviewsPerDay: null })).toEqual({
      maxRunning: 8,
      maxRunningPerEnvironment: 2,
      tasksPerDay: 50,
    });
    const audits = hub.audit("task_limits.change");
    expect(audits.map((a) => [a.actor, a.target, a.before, a.after])).toEqual([
      [
        "api_key:bootstrap",
        WS,
        { maxRunning: 4, maxRunningPerEnvironment: 2 },
        { maxRunning: 8, maxRunningPerEnvironment: 2, tasksPerDay: 50, reviewsPerDay: 20 },
      ],
      [
        "api_key:bootstrap",
        WS,
        { maxRunning: 8, maxRunningPerEnvironment: 2, tasksPerDay: 50, reviewsPerDay: 20 },
        { maxRunning: 8, maxRunningPerEnvironment: 2, tasksPerDay: 50 },
      ],
    ]);
  });

  it("refuses an unknown field and a value out of range with a 400, saving nothing", async () => {
    const unknown = await api.call("PUT", base, { tasksPerDay: 10, tasksPerWeek: 70 });
    expect(unknown.status).toBe(400);
    expectEnvelope(unknown.body, "invalid_body");
    expect(JSON.stringify(unknown.body)).toContain("tasksPerWeek");
    const zero = await api.call("PUT", base, { reviewsPerDay: 0 });
    expect(zero.status).toBe(400);
    expect(await api.ok("GET", base)).toEqual({ maxRunning: 4, maxRunningPerEnvironment: 2 });
    expect(hub.audit("task_limits.change")).toEqual([]);
  });

  it("answers 404 for a workspace that does not exist", async () => {
    expect((await api.call("GET", "/workspaces/ws_nope/task-limits")).status).toBe(404);
    expect((await api.call("PUT", "/workspaces/ws_nope/task-limits", { maxRunning: 2 })).status).toBe(404);
  });
});

describe("limits of environments, groups and members", () => {
  it("are set, listed with names, changed and removed, each change audited", async () => {
    expect(await api.ok("PUT", `${base}/environments/env_web`, { maxRunning: 1 })).toEqual({
      scope: "environment",
      id: "env_web",
      name: "web",
      maxRunning: 1,
    });
    await api.ok("PUT", `${base}/groups/${groupId}`, { reviewsPerDay: 5 });
    await api.ok("PUT", `${base}/members/mem_max`, { tasksPerDay: 3, maxRunning: 1 });
    expect((await api.ok("GET", `${base}/overrides`)).items).toEqual([
      { scope: "environment", id: "env_web", name: "web", maxRunning: 1 },
      { scope: "group", id: groupId, name: "Builders", reviewsPerDay: 5 },
      { scope: "member", id: "mem_max", name: "Max", maxRunning: 1, tasksPerDay: 3 },
    ]);

    expect(await api.ok("PUT", `${base}/members/mem_max`, { maxRunning: null })).toMatchObject({
      tasksPerDay: 3,
    });
    // Clearing the last limit removes the override.
    expect(await api.ok("PUT", `${base}/groups/${groupId}`, { reviewsPerDay: null })).toBeNull();
    expect((await api.call("DELETE", `${base}/environments/env_web`)).status).toBe(204);
    expect((await api.call("DELETE", `${base}/environments/env_web`)).status).toBe(404);
    expect((await api.ok("GET", `${base}/overrides`)).items).toEqual([
      { scope: "member", id: "mem_max", name: "Max", tasksPerDay: 3 },
    ]);

    const audit = hub
      .audit()
      .filter((a) => a.action.startsWith("task_limits.override"))
      .map((a) => [a.action, a.target, a.before, a.after]);
    expect(audit).toEqual([
      ["task_limits.override.set", "environment:env_web", null, { maxRunning: 1 }],
      ["task_limits.override.set", `group:${groupId}`, null, { reviewsPerDay: 5 }],
      ["task_limits.override.set", "member:mem_max", null, { maxRunning: 1, tasksPerDay: 3 }],
      ["task_limits.override.set", "member:mem_max", { maxRunning: 1, tasksPerDay: 3 }, { tasksPerDay: 3 }],
      ["task_limits.override.clear", `group:${groupId}`, { reviewsPerDay: 5 }, null],
      ["task_limits.override.clear", "environment:env_web", { maxRunning: 1 }, null],
    ]);
  });

  it("refuses an unknown field (400), an unknown scope (400) and someone not in the workspace (404)", async () => {
    const unknown = await api.call("PUT", `${base}/members/mem_max`, { tasksPerDay: 3, timeoutSeconds: 60 });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain("timeoutSeconds");
    expect((await api.call("PUT", `${base}/teams/t1`, { maxRunning: 1 })).status).toBe(400);
    const nobody = await api.call("PUT", `${base}/members/mem_nobody`, { maxRunning: 1 });
    expect(nobody.status).toBe(404);
    expectEnvelope(nobody.body, "not_found");
    expect((await api.ok("GET", `${base}/overrides`)).items).toEqual([]);
    expect(hub.audit().filter((a) => a.action.startsWith("task_limits"))).toEqual([]);
  });
});
