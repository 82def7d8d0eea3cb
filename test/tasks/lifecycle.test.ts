import { afterEach, describe, expect, it } from "vitest";
import {
  assertTransition,
  canTransition,
  IllegalTransition,
  isTerminal,
  sourcesOf,
} from "../../src/tasks/lifecycle";
import { createTask } from "../../src/tasks/service";
import { finishTask, transitionTask } from "../../src/tasks/transitions";
import { TASK_STATUSES, type TaskStatus } from "../../src/tasks/types";
import { createWorld, type World } from "../helpers/world";
import { newTask } from "./fixtures";

const legal: [TaskStatus, TaskStatus][] = [
  ["queued", "running"],
  ["queued", "cancelled"],
  ["queued", "failed"],
  ["running", "completed"],
  ["running", "failed"],
  ["running", "cancelled"],
  ["running", "queued"],
];

describe("task lifecycle", () => {
  it("allows exactly the documented transitions", () => {
    for (const from of TASK_STATUSES) {
      for (const to of TASK_STATUSES) {
        const expected = legal.some(([f, t]) => f === from && t === to);
        expect(canTransition(from, to), `${from} → ${to}`).toBe(expected);
      }
    }
  });

  it("treats completed, failed and cancelled as final", () => {
    expect(TASK_STATUSES.filter(isTerminal)).toEqual(["completed", "failed", "cancelled"]);
    expect(sourcesOf("completed")).toEqual(["running"]);
    expect(sourcesOf("cancelled").sort()).toEqual(["queued", "running"]);
  });

  it("throws a typed IllegalTransition naming both states", () => {
    expect(() => assertTransition("tsk_1", "completed", "running")).toThrow(IllegalTransition);
    try {
      assertTransition("tsk_1", "queued", "completed");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(IllegalTransition);
      expect((error as IllegalTransition).from).toBe("queued");
      expect((error as IllegalTransition).to).toBe("completed");
      expect((error as Error).message).toBe("Task tsk_1 is queued; it cannot become completed.");
    }
  });
});

describe("transitions in the database", () => {
  let hub: World;
  afterEach(() => hub?.close());

  it("refuses to complete a task that never ran", async () => {
    hub = createWorld();
    const { task } = await createTask(hub.deps, newTask());
    await expect(finishTask(hub.deps, task, { status: "completed", answer: "hi" })).rejects.toBeInstanceOf(
      IllegalTransition,
    );
    expect((await hub.task(task.id)).status).toBe("queued");
  });

  it("lets exactly one of two racing terminal transitions win", async () => {
    hub = createWorld();
    const { task } = await createTask(hub.deps, newTask());
    await transitionTask(hub.deps, task.id, "running", { startedAt: hub.clock.now() });
    const results = await Promise.allSettled([
      finishTask(hub.deps, task, { status: "completed", answer: "first" }),
      finishTask(hub.deps, task, { status: "failed", error: "second" }),
      finishTask(hub.deps, task, { status: "cancelled", by: "admin" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(IllegalTransition);
    const row = await hub.task(task.id);
    expect(row.status).toBe("completed");
    expect(row.answer).toBe("first");
    expect(row.finishedAt).toBe(hub.clock.now());
  });

  it("ends a review whose answer is not findings JSON as failed, keeping the text", async () => {
    hub = createWorld();
    const { task } = await createTask(hub.deps, newTask({ kind: "review" }));
    await transitionTask(hub.deps, task.id, "running", {});
    const done = await finishTask(hub.deps, task, { status: "completed", answer: "Looks good to me!" });
    expect(done.status).toBe("failed");
    expect(done.error).toMatch(/^The review could not be used: the review answer is not valid JSON/);
    expect(done.answer).toBe("Looks good to me!");
  });
});
