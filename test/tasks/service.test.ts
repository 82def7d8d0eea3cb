import { afterEach, describe, expect, it } from "vitest";
import { IllegalTransition } from "../../src/tasks/lifecycle";
import {
  appendProgress,
  CancelForbidden,
  cancelTask,
  createTask,
  getTask,
  listTaskEvents,
} from "../../src/tasks/service";
import { transitionTask } from "../../src/tasks/transitions";
import { createTaskHub, newTask, type TaskHub } from "./harness";

let hub: TaskHub;
afterEach(() => hub?.close());

describe("createTask", () => {
  it("stores every field and is idempotent per dedupe key", async () => {
    hub = createTaskHub();
    const input = newTask({
      origin: {
        surface: "slack",
        teamId: "T1",
        channel: "C1",
        threadTs: "1.1",
        messageTs: "1.2",
        externallyShared: false,
      },
      environmentId: "env_1",
      context: { thread: ["hello", "world"] },
    });
    const first = await createTask(hub.deps, input);
    const second = await createTask(hub.deps, { ...input, title: "a different title" });
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.task.id).toBe(first.task.id);
    expect(second.task.title).toBe(input.title);
    const stored = await getTask(hub.deps, first.task.id);
    expect(stored).toMatchObject({
      status: "queued",
      origin: input.origin,
      environmentId: "env_1",
      context: { thread: ["hello", "world"] },
      attempts: 0,
      createdAt: hub.clock.now(),
      answer: null,
      startedAt: null,
    });
    expect(first.task.id).toMatch(/^tsk_/);
  });
});

describe("progress", () => {
  it("keeps events in the order they were appended and drops them once the task finished", async () => {
    hub = createTaskHub();
    const { task } = await createTask(hub.deps, newTask());
    for (const text of ["one", "two", "three"]) {
      expect(await appendProgress(hub.deps, task.id, { type: "thought", text })).toBe(true);
    }
    await cancelTask(hub.deps, task.id, { admin: true });
    expect(await appendProgress(hub.deps, task.id, { type: "thought", text: "late" })).toBe(false);
    expect((await listTaskEvents(hub.deps, task.id)).map((e) => e.text)).toEqual(["one", "two", "three"]);
  });
});

describe("cancelTask", () => {
  it("lets the requester cancel a queued task, which then never runs", async () => {
    hub = createTaskHub();
    const { task } = await createTask(hub.deps, newTask());
    const cancelled = await cancelTask(hub.deps, task.id, { memberId: "mem_alice" });
    expect(cancelled.status).toBe("cancelled");
    expect((await hub.row(task.id)).cancelledBy).toBe("mem_alice");
    await hub.taskRunner.drain();
    expect((await hub.row(task.id)).startedAt).toBeNull();
  });

  it("refuses someone who is neither the requester nor an admin", async () => {
    hub = createTaskHub();
    const { task } = await createTask(hub.deps, newTask());
    await expect(cancelTask(hub.deps, task.id, { memberId: "mem_mallory" })).rejects.toBeInstanceOf(
      CancelForbidden,
    );
    expect((await hub.row(task.id)).status).toBe("queued");
  });

  it("refuses to cancel a finished task", async () => {
    hub = createTaskHub();
    const { task } = await createTask(hub.deps, newTask());
    await transitionTask(hub.deps, task.id, "running", {});
    await transitionTask(hub.deps, task.id, "completed", { answer: "done" });
    await expect(cancelTask(hub.deps, task.id, { admin: true })).rejects.toBeInstanceOf(IllegalTransition);
    expect((await hub.row(task.id)).status).toBe("completed");
  });

  it("is offered to admins by the API: 200, then 409 once cancelled, 404 for no task, 401 without a key", async () => {
    hub = createTaskHub();
    const { task } = await createTask(hub.deps, newTask());
    const ok = await hub.request(`/api/v1/tasks/${task.id}/cancel`, {
      method: "POST",
      headers: hub.adminHeaders,
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ id: task.id, status: "cancelled" });
    const again = await hub.request(`/api/v1/tasks/${task.id}/cancel`, {
      method: "POST",
      headers: hub.adminHeaders,
    });
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe("conflict");
    const missing = await hub.request("/api/v1/tasks/tsk_nope/cancel", {
      method: "POST",
      headers: hub.adminHeaders,
    });
    expect(missing.status).toBe(404);
    const anonymous = await hub.request(`/api/v1/tasks/${task.id}/cancel`, { method: "POST" });
    expect(anonymous.status).toBe(401);
  });
});
