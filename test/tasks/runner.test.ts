import { afterEach, describe, expect, it } from "vitest";
import { outbox } from "../../src/db/schema/outbox";
import { subscribe } from "../../src/notify/subscriptions";
import { ExecutorError } from "../../src/tasks/executors/types";
import { runningCount } from "../../src/tasks/queue";
import { cancelTask, createTask, listTaskEvents } from "../../src/tasks/service";
import { setTaskLimits } from "../../src/workspace/task-limits";
import { createWorld, type World } from "../helpers/world";
import { seedWorkspace } from "../helpers/world-seed";
import { deferred, fakeExecutor, newTask, untilAborted, waitFor } from "./fixtures";

let hub: World;
afterEach(async () => {
  await hub?.taskRunner.shutdown();
  hub?.close();
});

/** A hub whose workspace has a Slack channel subscribed to its finished tasks, as `/codex subscribe` makes. */
async function subscribedWorld(options: Parameters<typeof createWorld>[0]) {
  const world = createWorld(options);
  await seedWorkspace(world.deps, { id: "ws_test", owner: { id: "mem_alice", email: "alice@example.com" } });
  await subscribe(world.deps, {
    workspaceId: "ws_test",
    environmentId: null,
    slackTeamId: "T_TEST",
    channelId: "C_NOTICES",
  });
  return world;
}

/** The finish notices queued for the subscribed channel: which task each is about, and how it ended. */
function notices(h: World) {
  return h
    .rows(outbox)
    .filter((row) => row.dedupeKey.startsWith("notice:"))
    .map((row) => {
      const text = (JSON.parse(row.args) as { channel: string; text: string }).text;
      return { id: row.taskId, outcome: text.split(":")[0] };
    });
}

describe("task runner", () => {
  it("runs a queued task, records answer, usage and progress, and notifies once", async () => {
    const fake = fakeExecutor(async (task, context) => {
      context.onProgress({ type: "thought", text: "thinking" });
      context.onProgress({ type: "command", text: "$ ls" });
      return { answer: `answer to ${task.title}`, usage: { inputTokens: 10, outputTokens: 2 } };
    });
    hub = await subscribedWorld({ executor: fake.executor });
    const { task } = await createTask(hub.deps, newTask({ title: "T" }));
    await hub.taskRunner.drain();
    const row = await hub.task(task.id);
    expect(row).toMatchObject({ status: "completed", answer: "answer to T", attempts: 1, error: null });
    expect(JSON.parse(row.usage!)).toEqual({ inputTokens: 10, outputTokens: 2 });
    expect(row.startedAt).not.toBeNull();
    expect(row.notifiedAt).not.toBeNull();
    expect((await listTaskEvents(hub.deps, task.id)).map((e) => e.text)).toEqual(["thinking", "$ ls"]);
    expect(fake.runs).toEqual([task.id]);
    expect(notices(hub)).toEqual([{ id: task.id, outcome: "✅ Completed" }]);
  });

  it("respects the per-workspace and per-environment limits, and a workspace's own override", async () => {
    const gates = new Map<string, ReturnType<typeof deferred<void>>>();
    const fake = fakeExecutor(async (task, context) => {
      const gate = deferred<void>();
      gates.set(task.id, gate);
      await Promise.race([gate.promise, untilAborted(context)]);
      return { answer: "ok" };
    });
    hub = createWorld({ executor: fake.executor });
    const a: string[] = [];
    for (const env of ["env_1", "env_1", "env_1", "env_2", "env_2", "env_2"]) {
      a.push((await createTask(hub.deps, newTask({ workspaceId: "ws_a", environmentId: env }))).task.id);
    }
    const b = (await createTask(hub.deps, newTask({ workspaceId: "ws_b", environmentId: "env_9" }))).task.id;
    const c = (await createTask(hub.deps, newTask({ workspaceId: "ws_c" }))).task.id;
    const c2 = (await createTask(hub.deps, newTask({ workspaceId: "ws_c" }))).task.id;
    await setTaskLimits(hub.deps, "ws_c", { maxRunning: 1 }, "test");

    await hub.taskRunner.tick();
    // ws_a: 2 per environment, oldest first (4 in all, its workspace limit); ws_b: its one; ws_c: 1 by its
    // override.
    expect(new Set(fake.runs)).toEqual(new Set([a[0], a[1], a[3], a[4], b, c]));
    expect(await runningCount(hub.database, { workspaceId: "ws_a" })).toBe(4);

    await hub.taskRunner.tick();
    expect(fake.runs).toHaveLength(6);

    gates.get(a[0]!)!.resolve();
    await waitFor(async () => (await hub.task(a[0]!)).status === "completed");
    await hub.taskRunner.tick();
    // The claimed task reaches its executor after the tick returns (the runner loads its environment first).
    await waitFor(() => fake.runs.length === 7);
    expect(fake.runs.at(-1)).toBe(a[2]);

    gates.get(c)!.resolve();
    await waitFor(async () => (await hub.task(c)).status === "completed");
    await hub.taskRunner.tick();
    await waitFor(() => fake.runs.length === 8);
    expect(fake.runs.at(-1)).toBe(c2);
    for (const gate of gates.values()) gate.resolve();
  });

  it("retries an executor that could not start, with backoff, at most 3 times", async () => {
    const fake = fakeExecutor(async () => {
      throw new ExecutorError("runner endpoint answered 503", true);
    });
    hub = await subscribedWorld({ executor: fake.executor });
    const { task } = await createTask(hub.deps, newTask());
    await hub.taskRunner.drain();
    expect(fake.runs).toHaveLength(1);
    let row = await hub.task(task.id);
    expect(row).toMatchObject({ status: "queued", attempts: 1, startedAt: null, leaseOwner: null });
    expect(row.error).toBe("Attempt 1 could not start: runner endpoint answered 503");
    expect(row.availableAt).toBe(hub.clock.now() + 5_000);

    hub.clock.advance(4_999);
    await hub.taskRunner.drain();
    expect(fake.runs).toHaveLength(1);
    hub.clock.advance(1);
    await hub.taskRunner.drain();
    expect(fake.runs).toHaveLength(2);
    hub.clock.advance(20_000);
    await hub.taskRunner.drain();
    expect(fake.runs).toHaveLength(3);
    row = await hub.task(task.id);
    expect(row.status).toBe("failed");
    expect(row.error).toBe("The agent could not be started after 3 attempt(s): runner endpoint answered 503");
    hub.clock.advance(10 * 60_000);
    await hub.taskRunner.drain();
    expect(fake.runs).toHaveLength(3);
    expect(notices(hub)).toEqual([{ id: task.id, outcome: "❌ Failed" }]);
  });

  it("never retries an agent that failed", async () => {
    const fake = fakeExecutor(async () => {
      throw new ExecutorError("The agent exited with code 1: boom", false);
    });
    hub = createWorld({ executor: fake.executor });
    const { task } = await createTask(hub.deps, newTask());
    await hub.taskRunner.drain();
    hub.clock.advance(60 * 60_000);
    await hub.taskRunner.drain();
    expect(fake.runs).toHaveLength(1);
    expect(await hub.task(task.id)).toMatchObject({
      status: "failed",
      error: "The agent exited with code 1: boom",
    });
  });

  it("stops a task at its time limit and says so", async () => {
    let sawAbort = false;
    const fake = fakeExecutor(async (_task, context) => {
      context.signal.addEventListener("abort", () => {
        sawAbort = true;
      });
      return untilAborted(context);
    });
    hub = createWorld({ executor: fake.executor, env: { HUB_TASK_TIMEOUT_SECONDS: "1" } });
    const { task } = await createTask(hub.deps, newTask());
    const started = Date.now();
    await hub.taskRunner.drain();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(sawAbort).toBe(true);
    expect(await hub.task(task.id)).toMatchObject({
      status: "failed",
      error: "The task took longer than its limit of 1 second and was stopped.",
    });
  });

  it("uses a workspace's own time limit", async () => {
    const fake = fakeExecutor(async (_task, context) => untilAborted(context));
    hub = createWorld({ executor: fake.executor });
    const { task } = await createTask(hub.deps, newTask({ workspaceId: "ws_fast" }));
    await setTaskLimits(hub.deps, "ws_fast", { timeoutSeconds: 1 }, "test");
    await hub.taskRunner.tick();
    const row = await hub.task(task.id);
    expect(row.deadlineAt! - row.startedAt!).toBe(1_000);
    await hub.taskRunner.drain();
    expect((await hub.task(task.id)).status).toBe("failed");
  });

  it("stops the agent of a running task cancelled by its requester", async () => {
    const started = deferred<void>();
    let reason: unknown;
    const fake = fakeExecutor(async (_task, context) => {
      started.resolve();
      try {
        return await untilAborted(context);
      } finally {
        reason = context.signal.reason;
      }
    });
    hub = await subscribedWorld({ executor: fake.executor });
    const { task } = await createTask(hub.deps, newTask());
    const draining = hub.taskRunner.drain();
    await started.promise;
    await cancelTask(hub.deps, task.id, { memberId: task.requesterMemberId });
    await draining;
    expect((reason as { reason?: string }).reason).toBe("cancel");
    expect(await hub.task(task.id)).toMatchObject({
      status: "cancelled",
      cancelledBy: "mem_alice",
      error: null,
    });
    expect(notices(hub)).toEqual([{ id: task.id, outcome: "🚫 Cancelled" }]);
  });

  it("keeps the answer when notifying fails, and notifies again later", async () => {
    const fake = fakeExecutor(async () => ({ answer: "kept" }));
    hub = await subscribedWorld({ executor: fake.executor });
    // The storage refuses to queue any call, as a full disk would.
    hub.database.sqlite.exec(
      `CREATE TEMP TRIGGER refuse_calls BEFORE INSERT ON outbox
       BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`,
    );
    const { task } = await createTask(hub.deps, newTask());
    await hub.taskRunner.drain();
    expect(await hub.task(task.id)).toMatchObject({ status: "completed", answer: "kept", notifiedAt: null });
    expect(notices(hub)).toEqual([]);

    hub.database.sqlite.exec("DROP TRIGGER refuse_calls");
    hub.clock.advance(60_000);
    await hub.taskRunner.tick();
    expect((await hub.task(task.id)).notifiedAt).not.toBeNull();
    expect(notices(hub)).toEqual([{ id: task.id, outcome: "✅ Completed" }]);
    expect(fake.runs).toHaveLength(1);
  });

  it("treats an unexpected error as a failure of the task, not of the hub", async () => {
    const fake = fakeExecutor(async () => {
      throw new TypeError("cannot read properties of undefined");
    });
    hub = createWorld({ executor: fake.executor });
    const { task } = await createTask(hub.deps, newTask());
    await hub.taskRunner.drain();
    expect(await hub.task(task.id)).toMatchObject({
      status: "failed",
      error: "The task failed: cannot read properties of undefined",
    });
  });
});
