import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { tasks } from "../../src/db/schema/tasks";
import { ExecutorError, restartedMessage } from "../../src/tasks/executors/types";
import { claimNextTasks } from "../../src/tasks/queue";
import { createTaskRunner } from "../../src/tasks/runner";
import { createTask } from "../../src/tasks/service";
import { createWorld, type World } from "../helpers/world";
import { fakeExecutor, newTask } from "./fixtures";

// A runner that died mid-task is simulated by claiming the task for an owner that never runs it, then moving
// the clock past the lease: what a live runner finds after a crash.

let hub: World;
afterEach(async () => {
  await hub?.taskRunner.shutdown();
  hub?.close();
});

const leaseMs = 30_000;

async function abandonRunningTask(
  h: World,
  options: {
    executor: "command" | "codex" | "http";
    state?: Record<string, unknown>;
    kind?: "task" | "review";
  } = {
    executor: "command",
  },
) {
  const { task } = await createTask(h.deps, newTask({ kind: options.kind ?? "task" }));
  const [claimed] = await claimNextTasks(
    h.database,
    {
      now: h.clock.now(),
      owner: "run_dead",
      leaseMs,
      executor: options.executor,
      defaultTimeoutMs: 15 * 60_000,
    },
    1,
  );
  expect(claimed?.id).toBe(task.id);
  if (options.state) {
    await h.database.db
      .update(tasks)
      .set({ executorState: JSON.stringify(options.state) })
      .where(eq(tasks.id, task.id));
  }
  return task;
}

describe("recovery after a runner died", () => {
  it("leaves a task alone while its runner's lease lasts", async () => {
    const fake = fakeExecutor(async () => ({ answer: "again" }));
    hub = createWorld({ executor: fake.executor });
    const task = await abandonRunningTask(hub);
    hub.clock.advance(leaseMs - 1);
    await hub.taskRunner.drain();
    expect((await hub.task(task.id)).status).toBe("running");
  });

  it("fails a task its executor cannot resume, with a clear reason, without running it again", async () => {
    const fake = fakeExecutor(async () => ({ answer: "again" }));
    hub = createWorld({ executor: fake.executor });
    const task = await abandonRunningTask(hub);
    hub.clock.advance(leaseMs);
    await hub.taskRunner.drain();
    expect(fake.runs).toEqual([]);
    expect(await hub.task(task.id)).toMatchObject({ status: "failed", error: restartedMessage });
    expect(restartedMessage).toBe("The hub restarted while this task ran; ask again.");
  });

  it("keeps an answer the agent gave before the crash instead of asking again", async () => {
    const fake = fakeExecutor(async () => ({ answer: "again" }));
    hub = createWorld({ executor: fake.executor });
    const task = await abandonRunningTask(hub, {
      executor: "command",
      state: { answer: "the first answer" },
    });
    hub.clock.advance(leaseMs);
    await hub.taskRunner.drain();
    expect(fake.runs).toEqual([]);
    expect(await hub.task(task.id)).toMatchObject({ status: "completed", answer: "the first answer" });
  });

  it("resumes where the executor can, from its checkpoint, exactly once across two runners", async () => {
    const fake = fakeExecutor(async () => ({ answer: "fresh run" }), {
      name: "codex",
      resume: async (_task, state) => ({ answer: `resumed ${String(state.threadId)}` }),
    });
    hub = createWorld({ executor: fake.executor });
    const task = await abandonRunningTask(hub, { executor: "codex", state: { threadId: "thread_42" } });
    hub.clock.advance(leaseMs);
    const other = createTaskRunner(hub.deps, { executor: fake.executor, owner: "run_other" });
    await Promise.all([hub.taskRunner.drain(), other.drain()]);
    expect(fake.runs).toEqual([]);
    expect(fake.resumes).toEqual([task.id]);
    expect(await hub.task(task.id)).toMatchObject({ status: "completed", answer: "resumed thread_42" });
  });

  it("fails a resume the executor refuses, and never retries it", async () => {
    const fake = fakeExecutor(async () => ({ answer: "fresh run" }), {
      name: "codex",
      resume: async () => {
        throw new ExecutorError(restartedMessage, true);
      },
    });
    hub = createWorld({ executor: fake.executor });
    const task = await abandonRunningTask(hub, { executor: "codex", state: {} });
    hub.clock.advance(leaseMs);
    await hub.taskRunner.drain();
    hub.clock.advance(60 * 60_000);
    await hub.taskRunner.drain();
    expect(fake.runs).toEqual([]);
    expect(fake.resumes).toEqual([task.id]);
    expect(await hub.task(task.id)).toMatchObject({ status: "failed", error: restartedMessage });
  });

  it("keeps waiting for a remote runner's callback until the deadline, then fails the task", async () => {
    const fake = fakeExecutor(async () => ({ dispatched: true as const }), { name: "http" });
    hub = createWorld({ executor: fake.executor });
    const task = await abandonRunningTask(hub, { executor: "http" });
    hub.clock.advance(leaseMs);
    await hub.taskRunner.drain();
    const waiting = await hub.task(task.id);
    expect(waiting).toMatchObject({
      status: "running",
      leaseOwner: "callback",
      leaseUntil: waiting.deadlineAt,
    });
    expect(fake.runs).toEqual([]);

    hub.clock.set(waiting.deadlineAt!);
    await hub.taskRunner.drain();
    expect(await hub.task(task.id)).toMatchObject({
      status: "failed",
      error: "The runner did not answer within 15 minutes; the task was stopped.",
    });
  });

  it("hands tasks stopped by a graceful shutdown to the next start right away", async () => {
    const fake = fakeExecutor(
      (_task, context) =>
        new Promise((_, reject) =>
          context.signal.addEventListener("abort", () => reject(new Error("stopped"))),
        ),
    );
    hub = createWorld({ executor: fake.executor });
    const { task } = await createTask(hub.deps, newTask());
    await hub.taskRunner.tick();
    await hub.taskRunner.shutdown();
    const row = await hub.task(task.id);
    expect(row.status).toBe("running");
    expect(row.leaseUntil).toBe(hub.clock.now());

    const next = createTaskRunner(hub.deps, { executor: fake.executor, owner: "run_next" });
    await next.drain();
    expect(await hub.task(task.id)).toMatchObject({ status: "failed", error: restartedMessage });
    expect(fake.runs).toEqual([task.id]);
  });
});
