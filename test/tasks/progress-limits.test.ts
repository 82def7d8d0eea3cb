import { afterEach, describe, expect, it, vi } from "vitest";
import type { ProgressUpdate } from "../../src/tasks/executors/types";
import { PROGRESS_MAX_PER_TASK, PROGRESS_PER_SECOND } from "../../src/tasks/progress-limits";
import { createProgressThrottle } from "../../src/tasks/progress-throttle";
import { appendProgress, createTask, listTaskEvents } from "../../src/tasks/service";
import { createWorld, type World } from "../helpers/world";
import { newTask } from "./fixtures";

// A busy agent cannot flood the database, the task page or the Linear session: a few steps a second per task,
// a cap per task, and the last step the agent reported still shown.

let hub: World | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await hub?.taskRunner.shutdown();
  hub?.close();
  hub = undefined;
});

const steps = (n: number, from = 1): ProgressUpdate[] =>
  Array.from({ length: n }, (_, i) => ({ type: "step", text: `step ${from + i}` }));

const texts = async (world: World, id: string) => (await listTaskEvents(world.deps, id)).map((e) => e.text);

describe("progress limits in the database", () => {
  it("stores at most 5 steps a second per task, the newest of a batch, and more once the second passed", async () => {
    hub = createWorld();
    const { task } = await createTask(hub.deps, newTask());
    expect(PROGRESS_PER_SECOND).toBe(5);
    expect(await appendProgress(hub.deps, task.id, steps(8))).toEqual({ kept: 5, refused: "throttled" });
    expect(await appendProgress(hub.deps, task.id, steps(1, 9))).toEqual({ kept: 0, refused: "throttled" });
    hub.clock.advance(1_001);
    expect(await appendProgress(hub.deps, task.id, steps(1, 10))).toEqual({ kept: 1, refused: null });
    expect(await texts(hub, task.id)).toEqual(["step 4", "step 5", "step 6", "step 7", "step 8", "step 10"]);
  });

  it("caps a task's steps, and still takes the last step of an execution once", async () => {
    hub = createWorld();
    const { task } = await createTask(hub.deps, newTask());
    for (let n = 0; n < PROGRESS_MAX_PER_TASK; n += PROGRESS_PER_SECOND) {
      await appendProgress(hub.deps, task.id, steps(PROGRESS_PER_SECOND, n + 1));
      hub.clock.advance(1_001);
    }
    expect(await appendProgress(hub.deps, task.id, steps(1, 9000))).toEqual({ kept: 0, refused: "capped" });
    const last = { type: "step", text: "the very last step" };
    expect(await appendProgress(hub.deps, task.id, last, { last: true })).toEqual({ kept: 1, refused: null });
    expect(await appendProgress(hub.deps, task.id, last, { last: true })).toEqual({
      kept: 0,
      refused: "capped",
    });
    const stored = await texts(hub, task.id);
    expect(stored).toHaveLength(PROGRESS_MAX_PER_TASK + 1);
    expect(stored.at(-1)).toBe("the very last step");
  });
});

describe("progress from a running task", () => {
  it("keeps the first steps of a burst and the last one, and nothing in between", async () => {
    hub = createWorld({
      agent: (_task, context) => {
        for (const step of steps(1000)) context.onProgress(step);
        return "done";
      },
    });
    const { task } = await createTask(hub.deps, newTask());
    await hub.taskRunner.drain();
    expect((await hub.task(task.id)).status).toBe("completed");
    expect(await texts(hub, task.id)).toEqual([
      "step 1",
      "step 2",
      "step 3",
      "step 4",
      "step 5",
      "step 1000",
    ]);
  });

  it("writes a held-back step as soon as the second has room, without waiting for the task to end", async () => {
    vi.useFakeTimers();
    let now = 0;
    const written: string[] = [];
    const throttle = createProgressThrottle({
      now: () => now,
      write: async (step) => {
        written.push(step.text);
        return { kept: 1, refused: null };
      },
      onError: (error) => {
        throw error;
      },
    });
    for (const step of steps(7)) throttle.push(step);
    await vi.advanceTimersByTimeAsync(0);
    expect(written).toEqual(["step 1", "step 2", "step 3", "step 4", "step 5"]);
    now = 1_000;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(written).toEqual(["step 1", "step 2", "step 3", "step 4", "step 5", "step 7"]);
    await throttle.settle();
    expect(written).toHaveLength(6);
  });
});
