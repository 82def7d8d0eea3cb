import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { groups } from "../../src/db/schema/access";
import { complianceEvents } from "../../src/db/schema/compliance";
import { taskDayCounts } from "../../src/db/schema/task-limits";
import { ExecutorError } from "../../src/tasks/executors/types";
import { claimNextTasks } from "../../src/tasks/queue";
import { createTask } from "../../src/tasks/service";
import type { NewTask } from "../../src/tasks/types";
import { setLimitOverride, setTaskLimits } from "../../src/workspace/task-limits";
import { createWorld, type World } from "../helpers/world";
import { seedWorkspace } from "../helpers/world-seed";
import { deferred, fakeExecutor, newTask, untilAborted, waitFor } from "./fixtures";

// Limits of environments, groups and members on top of the workspace's: a task starts only when every limit
// that applies has room, waits otherwise, and its standing names the limit it waits on and its place in line.

const WS = "ws_limits";
let hub: World;
let gates: Map<string, ReturnType<typeof deferred<void>>>;
let groupId: string;

beforeEach(async () => {
  gates = new Map();
  const fake = fakeExecutor(async (task, context) => {
    const gate = deferred<void>();
    gates.set(task.id, gate);
    await Promise.race([gate.promise, untilAborted(context)]);
    return { answer: task.kind === "review" ? JSON.stringify({ summary: "ok", findings: [] }) : "ok" };
  });
  hub = createWorld({ executor: fake.executor });
  await seedWorkspace(hub.deps, {
    id: WS,
    owner: { id: "mem_owner", email: "owner@acme.test" },
    members: [
      { id: "mem_alice", email: "alice@acme.test" },
      { id: "mem_bob", email: "bob@acme.test" },
      { id: "mem_carol", email: "carol@acme.test", name: "Carol" },
    ],
    roles: [
      {
        name: "Contract",
        permissions: ["codex_cloud"],
        group: { name: "Contractors", members: ["mem_bob", "mem_carol"] },
      },
    ],
    environments: [
      { id: "env_a", name: "alpha" },
      { id: "env_b", name: "beta" },
    ],
  });
  groupId = hub.rows(groups).find((g) => g.name === "Contractors")!.id;
});
afterEach(async () => {
  for (const gate of gates.values()) gate.resolve();
  await hub.taskRunner.shutdown();
  hub.close();
});

const ask = async (over: Partial<NewTask>) =>
  (await createTask(hub.deps, newTask({ workspaceId: WS, environmentId: "env_a", ...over }))).task.id;
const status = (id: string) => hub.task(id).status;
const standing = (id: string) => JSON.parse(hub.task(id).waitReason ?? "null");
async function finish(id: string) {
  gates.get(id)!.resolve();
  await waitFor(() => status(id) === "completed");
}

describe("concurrency limits of environments, groups and members", () => {
  it("holds a group's tasks at its limit while others run, and names the group", async () => {
    await setLimitOverride(hub.deps, WS, "group", groupId, { maxRunning: 1 }, "test");
    const bob = await ask({ requesterMemberId: "mem_bob" });
    const carol = await ask({ requesterMemberId: "mem_carol", environmentId: "env_b" });
    const alice = await ask({ requesterMemberId: "mem_alice", environmentId: "env_b" });
    await hub.taskRunner.tick();
    expect([status(bob), status(carol), status(alice)]).toEqual(["running", "queued", "running"]);
    expect(standing(carol)).toEqual({
      code: "running",
      scope: { type: "group", id: groupId, name: "Contractors" },
      limit: 1,
      position: 1,
    });

    await finish(bob);
    await hub.taskRunner.tick();
    expect(status(carol)).toBe("running");
  });

  it("gives an environment its own limit instead of the workspace's per-environment one", async () => {
    await setLimitOverride(hub.deps, WS, "environment", "env_a", { maxRunning: 1 }, "test");
    const first = await ask({});
    const second = await ask({});
    const third = await ask({});
    const elsewhere = [await ask({ environmentId: "env_b" }), await ask({ environmentId: "env_b" })];
    await hub.taskRunner.tick();
    expect([first, second, third, ...elsewhere].map(status)).toEqual([
      "running",
      "queued",
      "queued",
      "running",
      "running",
    ]);
    expect(standing(third)).toMatchObject({
      code: "running",
      scope: { type: "environment", id: "env_a", name: "alpha" },
      position: 2,
    });
  });

  it("holds a member at their own limit, and places each waiting task behind those ahead of it", async () => {
    await setTaskLimits(hub.deps, WS, { maxRunning: 2 }, "test");
    await setLimitOverride(hub.deps, WS, "member", "mem_alice", { maxRunning: 1 }, "test");
    const a1 = await ask({ requesterMemberId: "mem_alice" });
    const a2 = await ask({ requesterMemberId: "mem_alice", environmentId: "env_b" });
    const b1 = await ask({ requesterMemberId: "mem_bob", environmentId: "env_b" });
    const b2 = await ask({ requesterMemberId: "mem_bob", environmentId: "env_b" });
    const c1 = await ask({ requesterMemberId: "mem_carol", environmentId: "env_b" });
    await hub.taskRunner.tick();
    expect([a1, a2, b1, b2, c1].map(status)).toEqual(["running", "queued", "running", "queued", "queued"]);
    // a2 waits on Alice's own limit (nobody of hers ahead); b2 and c1 on the workspace's, behind a2.
    expect(standing(a2)).toMatchObject({ scope: { type: "member", id: "mem_alice" }, limit: 1, position: 1 });
    expect(standing(b2)).toMatchObject({ scope: { type: "workspace" }, limit: 2, position: 2 });
    expect(standing(c1)).toMatchObject({ scope: { type: "workspace" }, limit: 2, position: 3 });
  });

  it("starts a waiting task at the next turn once its limit is raised", async () => {
    await setTaskLimits(hub.deps, WS, { maxRunning: 1 }, "test");
    const first = await ask({});
    const second = await ask({ environmentId: "env_b" });
    await hub.taskRunner.tick();
    expect(status(second)).toBe("queued");
    await setTaskLimits(hub.deps, WS, { maxRunning: 2 }, "test");
    await hub.taskRunner.tick();
    expect([status(first), status(second)]).toEqual(["running", "running"]);
  });
});

describe("daily limits", () => {
  const day = () => Math.floor(hub.clock.now() / 86_400_000);
  const nextMidnight = () => (day() + 1) * 86_400_000;

  it("count tasks and reviews apart, per member, and start over at 00:00 UTC", async () => {
    await setLimitOverride(hub.deps, WS, "member", "mem_alice", { tasksPerDay: 1 }, "test");
    const first = await ask({ requesterMemberId: "mem_alice" });
    await hub.taskRunner.tick();
    await finish(first);
    const second = await ask({ requesterMemberId: "mem_alice" });
    const review = await ask({ requesterMemberId: "mem_alice", kind: "review" });
    const bobs = await ask({ requesterMemberId: "mem_bob" });
    await hub.taskRunner.tick();
    expect([status(second), status(review), status(bobs)]).toEqual(["queued", "running", "running"]);
    expect(standing(second)).toEqual({
      code: "daily",
      scope: { type: "member", id: "mem_alice" },
      kind: "task",
      limit: 1,
      used: 1,
      resetsAt: nextMidnight(),
    });

    hub.clock.set(nextMidnight() - 1);
    await hub.taskRunner.tick();
    expect(status(second)).toBe("queued");
    hub.clock.set(nextMidnight());
    await hub.taskRunner.tick();
    expect(status(second)).toBe("running");
  });

  it("of a group and an environment hold only the tasks of their kind and scope", async () => {
    await setLimitOverride(hub.deps, WS, "group", groupId, { reviewsPerDay: 1 }, "test");
    await setLimitOverride(hub.deps, WS, "environment", "env_b", { tasksPerDay: 1 }, "test");
    const bobReview = await ask({ requesterMemberId: "mem_bob", kind: "review" });
    const carolReview = await ask({ requesterMemberId: "mem_carol", kind: "review", environmentId: "env_b" });
    const beta1 = await ask({ environmentId: "env_b", requesterMemberId: "mem_alice" });
    const beta2 = await ask({ environmentId: "env_b", requesterMemberId: "mem_alice" });
    await hub.taskRunner.tick();
    expect([bobReview, carolReview, beta1, beta2].map(status)).toEqual([
      "running",
      "queued",
      "running",
      "queued",
    ]);
    expect(standing(carolReview)).toMatchObject({
      code: "daily",
      scope: { type: "group", name: "Contractors" },
      kind: "review",
      used: 1,
    });
    expect(standing(beta2)).toMatchObject({ code: "daily", scope: { type: "environment", name: "beta" } });
  });

  it("counts a start once per day, even when the task is tried again after its executor failed to start", async () => {
    let calls = 0;
    hub.close();
    hub = createWorld({
      executor: fakeExecutor(async () => {
        calls++;
        if (calls === 1) throw new ExecutorError("runner endpoint answered 503", true);
        return { answer: "ok" };
      }).executor,
    });
    await seedWorkspace(hub.deps, { id: WS, owner: { id: "mem_owner", email: "owner@acme.test" } });
    await setTaskLimits(hub.deps, WS, { tasksPerDay: 2 }, "test");
    const id = await ask({ requesterMemberId: "mem_owner" });
    await hub.taskRunner.drain();
    expect(status(id)).toBe("queued");
    hub.clock.advance(5_000);
    await hub.taskRunner.drain();
    expect(status(id)).toBe("completed");
    const counts = hub.rows(taskDayCounts).map((r) => [r.scope, r.scopeId, r.kind, r.started]);
    expect(counts).toEqual(
      expect.arrayContaining([
        ["workspace", "", "task", 1],
        ["environment", "env_a", "task", 1],
        ["member", "mem_owner", "task", 1],
      ]),
    );
    expect(counts).toHaveLength(3);
  });
});

describe("claims in one batch", () => {
  const claimUpTo = (count: number, owner = "run_batch") =>
    claimNextTasks(
      hub.database,
      { now: hub.clock.now(), owner, leaseMs: 60_000, executor: "command", defaultTimeoutMs: 60_000 },
      count,
    );

  it("take what one-by-one claims would: oldest first, every limit held, each start counted once", async () => {
    await setTaskLimits(hub.deps, WS, { maxRunning: 4, maxRunningPerEnvironment: 4, tasksPerDay: 3 }, "test");
    await setLimitOverride(hub.deps, WS, "member", "mem_bob", { maxRunning: 1 }, "test");
    const bob1 = await ask({ requesterMemberId: "mem_bob" });
    const bob2 = await ask({ requesterMemberId: "mem_bob" });
    const alice1 = await ask({ requesterMemberId: "mem_alice" });
    const alice2 = await ask({ requesterMemberId: "mem_alice" });
    const alice3 = await ask({ requesterMemberId: "mem_alice" });

    const claimed = await claimUpTo(8);
    // Bob's second waits on his own limit; the third of Alice's on the workspace's three starts a day.
    expect(claimed.map((t) => t.id)).toEqual([bob1, alice1, alice2]);
    expect([bob1, bob2, alice1, alice2, alice3].map(status)).toEqual([
      "running",
      "queued",
      "running",
      "running",
      "queued",
    ]);
    const workspaceStarts = hub.rows(taskDayCounts).find((r) => r.scope === "workspace");
    expect(workspaceStarts?.started).toBe(3);
    // Each task taken has its own task.started event in the compliance log, and only those.
    const startedEvents = hub.rows(complianceEvents).filter((e) => e.type === "task.started");
    expect(startedEvents.map((e) => e.target).sort()).toEqual([bob1, alice1, alice2].sort());
    // Nothing else may start today: another batch takes nothing and counts nothing.
    expect(await claimUpTo(8, "run_other")).toEqual([]);
    expect(hub.rows(taskDayCounts).find((r) => r.scope === "workspace")?.started).toBe(3);
  });
});
