import { asc, desc, eq } from "drizzle-orm";
import { taskEvents, tasks } from "../db/schema/tasks";
import type { BatchQuery } from "../db/types";
import type { Deps } from "../deps";
import { taskCreatedRollups } from "../governance/analytics/rollup-tasks";
import { newId } from "../lib/ids";
import { announceProgress } from "./announce-progress";
import { assertTransition, isTerminal } from "./lifecycle";
import { rowToTask } from "./rows";
import { notifyFinished, recordOutcome, TaskNotFound } from "./transitions";
import type { NewTask, Task, TaskOrigin, TaskProgressEvent } from "./types";

export { IllegalTransition } from "./lifecycle";
export { TaskNotFound } from "./transitions";

type StoreDeps = Pick<Deps, "database" | "clock"> & { tasks?: Pick<Deps["tasks"], "wake"> };

const maxTitle = 200;
const maxEventText = 4000;

/**
 * The writes that create a task, for one batch (createTask, or a caller that must land the task together with
 * other writes): the usage analytics of a new request, then the INSERT. A repeated dedupe key writes nothing;
 * the last query's result is the inserted row (none for a repeat).
 */
export function newTaskWrites(deps: Pick<Deps, "database" | "clock">, task: NewTask): BatchQuery[] {
  const now = deps.clock.now();
  const id = newId("tsk");
  const insert = deps.database.db
    .insert(tasks)
    .values({
      id,
      dedupeKey: task.dedupeKey,
      workspaceId: task.workspaceId,
      requesterMemberId: task.requesterMemberId,
      origin: JSON.stringify(task.origin),
      environmentId: task.environmentId,
      kind: task.kind,
      title: task.title.trim().slice(0, maxTitle) || "Untitled task",
      prompt: task.prompt,
      context: JSON.stringify(task.context ?? {}),
      status: "queued",
      createdAt: now,
      availableAt: now,
    })
    .onConflictDoNothing({ target: tasks.dedupeKey })
    .returning();
  return [...taskCreatedRollups(deps.database.db, { ...task, id }, now), insert];
}

/** Queues a task once per dedupe key: a second call with the same key returns the first task. */
export async function createTask(deps: StoreDeps, task: NewTask): Promise<{ task: Task; created: boolean }> {
  const results = await deps.database.batch(newTaskWrites(deps, task));
  const inserted = results.at(-1) as (typeof tasks.$inferSelect)[];
  if (inserted[0]) {
    deps.tasks?.wake();
    return { task: rowToTask(inserted[0]), created: true };
  }
  const [existing] = await deps.database.db.select().from(tasks).where(eq(tasks.dedupeKey, task.dedupeKey));
  if (!existing) throw new Error(`task with dedupe key ${task.dedupeKey} vanished after a conflict`);
  return { task: rowToTask(existing), created: false };
}

export async function getTask(deps: Pick<Deps, "database">, id: string): Promise<Task | null> {
  const [row] = await deps.database.db.select().from(tasks).where(eq(tasks.id, id));
  return row ? rowToTask(row) : null;
}

/** The most recent tasks of every workspace, newest first (the sandbox page and `npm run demo`). */
export async function listRecentTasks(deps: Pick<Deps, "database">, limit: number): Promise<Task[]> {
  const rows = await deps.database.db.select().from(tasks).orderBy(desc(tasks.createdAt)).limit(limit);
  return rows.map(rowToTask);
}

export async function getTaskByDedupeKey(
  deps: Pick<Deps, "database">,
  dedupeKey: string,
): Promise<Task | null> {
  const [row] = await deps.database.db.select().from(tasks).where(eq(tasks.dedupeKey, dedupeKey));
  return row ? rowToTask(row) : null;
}

export async function listTaskEvents(
  deps: Pick<Deps, "database">,
  id: string,
): Promise<(TaskProgressEvent & { seq: number })[]> {
  return deps.database.db
    .select({ seq: taskEvents.seq, at: taskEvents.at, type: taskEvents.type, text: taskEvents.text })
    .from(taskEvents)
    .where(eq(taskEvents.taskId, id))
    .orderBy(asc(taskEvents.seq));
}

/**
 * Appends one progress event. Events of a finished task are dropped (a late stream line or callback must
 * not add to a settled record); returns whether the event was kept. A kept event is also told to the
 * progress listeners (progress-listeners.ts), e.g. to show it in the Linear agent session that asked.
 */
export async function appendProgress(
  deps: Deps,
  id: string,
  event: { type: string; text: string; at?: number },
): Promise<boolean> {
  const [row] = await deps.database.db
    .select({ status: tasks.status, origin: tasks.origin })
    .from(tasks)
    .where(eq(tasks.id, id));
  if (!row || isTerminal(row.status)) return false;
  const kept: TaskProgressEvent = {
    at: event.at ?? deps.clock.now(),
    type: event.type.slice(0, 40),
    text: event.text.length > maxEventText ? `${event.text.slice(0, maxEventText)}…` : event.text,
  };
  await deps.database.db.insert(taskEvents).values({ taskId: id, ...kept });
  await announceProgress(deps, { taskId: id, origin: JSON.parse(row.origin) as TaskOrigin, event: kept });
  return true;
}

export class CancelForbidden extends Error {
  constructor(readonly taskId: string) {
    super("Only the person who asked for this task, or an admin, can cancel it.");
    this.name = "CancelForbidden";
  }
}

/**
 * Cancels a queued or running task, for its requester or an admin. A running task's executor is stopped
 * (in this process directly; other processes see the status change at their next lease renewal).
 * Throws IllegalTransition for a task that already finished.
 */
export async function cancelTask(
  deps: Deps,
  id: string,
  by: { memberId: string } | { admin: true },
): Promise<Task> {
  const task = await getTask(deps, id);
  if (!task) throw new TaskNotFound(id);
  if ("memberId" in by && by.memberId !== task.requesterMemberId) throw new CancelForbidden(id);
  assertTransition(id, task.status, "cancelled");
  const cancelled = await recordOutcome(deps, task, {
    status: "cancelled",
    by: "admin" in by ? "admin" : by.memberId,
  });
  deps.tasks.abort(id);
  await notifyFinished(deps, cancelled);
  return cancelled;
}
