import { afterEach, describe, expect, it } from "vitest";
import { workspaces } from "../../src/db/schema/workspaces";
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
import { getTaskLimits } from "../../src/workspace/task-limits";
import { createWorld, type World } from "../helpers/world";
import { newTask } from "./fixtures";

let hub: World;
afterEach(() => hub?.close());

describe("createTask", () => {
  it("stores every field and is idempotent per dedupe key", async () => {
    hub = createWorld();
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
    hub = createWorld();
    const { task } = await createTask(hub.deps, newTask());
    for (const text of ["one", "two", "three"]) {
      expect(await appendProgress(hub.deps, task.id, { type: "thought", text })).toEqual({
        kept: 1,
        refused: null,
      });
    }
    await cancelTask(hub.deps, task.id, { admin: true });
    expect(await appendProgress(hub.deps, task.id, { type: "thought", text: "late" })).toEqual({
      kept: 0,
      refused: "finished",
    });
    expect((await listTaskEvents(hub.deps, task.id)).map((e) => e.text)).toEqual(["one", "two", "three"]);
  });
});

describe("cancelTask", () => {
  it("lets the requester cancel a queued task, which then never runs", async () => {
    hub = createWorld();
    const { task } = await createTask(hub.deps, newTask());
    const cancelled = await cancelTask(hub.deps, task.id, { memberId: "mem_alice" });
    expect(cancelled.status).toBe("cancelled");
    expect((await hub.task(task.id)).cancelledBy).toBe("mem_alice");
    await hub.taskRunner.drain();
    expect((await hub.task(task.id)).startedAt).toBeNull();
  });

  it("refuses someone who is neither the requester nor an admin", async () => {
    hub = createWorld();
    const { task } = await createTask(hub.deps, newTask());
    await expect(cancelTask(hub.deps, task.id, { memberId: "mem_mallory" })).rejects.toBeInstanceOf(
      CancelForbidden,
    );
    expect((await hub.task(task.id)).status).toBe("queued");
  });

  it("refuses to cancel a finished task", async () => {
    hub = createWorld();
    const { task } = await createTask(hub.deps, newTask());
    await transitionTask(hub.deps, task.id, "running", {});
    await transitionTask(hub.deps, task.id, "completed", { answer: "done" });
    await expect(cancelTask(hub.deps, task.id, { admin: true })).rejects.toBeInstanceOf(IllegalTransition);
    expect((await hub.task(task.id)).status).toBe("completed");
  });

  it("is offered to admins by the API: 200, then 409 once cancelled, 404 for no task, 401 without a key", async () => {
    hub = createWorld();
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

describe("admin API", () => {
  it("shows a task with its progress", async () => {
    hub = createWorld();
    const { task } = await createTask(hub.deps, newTask());
    await appendProgress(hub.deps, task.id, { type: "status", text: "cloning" });
    const res = await hub.request(`/api/v1/tasks/${task.id}`, { headers: hub.adminHeaders });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      id: task.id,
      status: "queued",
      events: [{ seq: expect.any(Number), type: "status", text: "cloning" }],
    });
  });

  it("reads and changes a workspace's task limits, which the queue then applies", async () => {
    hub = createWorld();
    const now = hub.clock.now();
    await hub.database.db
      .insert(workspaces)
      .values({ id: "ws_limits", name: "Limits", createdAt: now, updatedAt: now });
    const url = "/api/v1/workspaces/ws_limits/task-limits";
    const before = await hub.request(url, { headers: hub.adminHeaders });
    expect(await before.json()).toEqual({ maxRunning: 4, maxRunningPerEnvironment: 2 });
    const put = await hub.request(url, {
      method: "PUT",
      headers: { ...hub.adminHeaders, "content-type": "application/json" },
      body: JSON.stringify({ maxRunning: 1, timeoutSeconds: 120 }),
    });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ maxRunning: 1, maxRunningPerEnvironment: 2, timeoutSeconds: 120 });
    expect(await getTaskLimits(hub.deps, "ws_limits")).toEqual({
      maxRunning: 1,
      maxRunningPerEnvironment: 2,
      timeoutSeconds: 120,
    });
    const invalid = await hub.request(url, {
      method: "PUT",
      headers: { ...hub.adminHeaders, "content-type": "application/json" },
      body: JSON.stringify({ maxRunning: 0 }),
    });
    expect(invalid.status).toBe(400);
    const unknown = await hub.request("/api/v1/workspaces/ws_nope/task-limits", {
      method: "PUT",
      headers: { ...hub.adminHeaders, "content-type": "application/json" },
      body: JSON.stringify({ maxRunning: 2 }),
    });
    expect(unknown.status).toBe(404);
  });
});
