import { and, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import { preparedWrite } from "../db/prepared";
import { type TaskRow, tasks } from "../db/schema/tasks";
import type { BatchQuery, Database } from "../db/types";
import type { Deps } from "../deps";
import {
  type TaskEnd,
  type TaskEndValues,
  taskEndedRollup,
  taskEndValues,
} from "../governance/analytics/rollup-tasks";
import { taskEventQuery } from "../governance/compliance-events";
import { eraseIfDelivered, erasureMayBeDue } from "../governance/erasure";
import { newId } from "../lib/ids";
import { notifyTaskFinished } from "../notify/finish";
import { parseReviewAnswer } from "../replies/findings";
import { canTransition, IllegalTransition, isTerminal, sourcesOf, terminalStatuses } from "./lifecycle";
import { rowToTask } from "./rows";
import type { Task, TaskStatus, TaskUsage } from "./types";

export class TaskNotFound extends Error {
  constructor(readonly taskId: string) {
    super(`No task ${taskId}.`);
    this.name = "TaskNotFound";
  }
}

/** The transition is legal but another runner holds the task now (its lease ran out and was taken over). */
export class LeaseLost extends Error {
  constructor(
    readonly taskId: string,
    readonly owner: string,
  ) {
    super(`Runner ${owner} no longer holds task ${taskId}.`);
    this.name = "LeaseLost";
  }
}

type Patch = Partial<Omit<TaskRow, "id" | "status">>;

/**
 * Moves a task to `to` with one conditional UPDATE (`WHERE status IN (<legal sources>) [AND lease_owner = ?]`),
 * so two runners, a callback and a cancel can race and exactly one wins. The loser learns why: the task is
 * gone, the transition is illegal from where the task is now, or its lease belongs to someone else.
 */
export async function transitionTask(
  deps: Pick<Deps, "database" | "clock">,
  taskId: string,
  to: TaskStatus,
  patch: Patch,
  guard: { owner?: string; from?: TaskStatus[] } = {},
): Promise<TaskRow> {
  const from = guard.from ?? sourcesOf(to);
  // A column given as undefined is left as it is, as drizzle's `set` does.
  const columns = Object.keys(patch)
    .filter((column) => patch[column as keyof Patch] !== undefined)
    .sort();
  const shape = transitionShape(to, from, guard.owner !== undefined, columns);
  const now = deps.clock.now();
  const values: Record<string, unknown> = {
    taskId,
    owner: guard.owner ?? null,
    transitionId: newId("trn"),
    at: now,
    ...(isTerminal(to) ? taskEndValues(patch.finishedAt ?? now, parsedUsage(patch.usage)) : {}),
  };
  for (const column of columns) values[`set_${column}`] = patch[column as keyof Patch] ?? null;
  // The compliance event lands with the change, and only if this change won; an ending also lands with its
  // usage analytics, counted under the same condition before it changes (rollup-tasks.ts).
  const results = await deps.database.batch([
    ...(shape.rollup ? [shape.rollup(deps.database, values)] : []),
    shape.update(deps.database, values),
    shape.event(deps.database, values),
  ]);
  const [row] = results[shape.rollup ? 1 : 0] as TaskRow[];
  if (row) return row;
  const [current] = await deps.database.db.select().from(tasks).where(eq(tasks.id, taskId));
  if (!current) throw new TaskNotFound(taskId);
  if (!canTransition(current.status, to) || (guard.from && !guard.from.includes(current.status))) {
    throw new IllegalTransition(taskId, current.status, to);
  }
  throw new LeaseLost(taskId, guard.owner ?? "");
}

const parsedUsage = (usage: string | null | undefined) => (usage ? (JSON.parse(usage) as TaskUsage) : null);

type Write = (database: Database, values: Record<string, unknown>) => BatchQuery;

/**
 * A transition's statements, built once per shape (where it goes, from where, whether a lease owner must
 * match, which columns it sets) and then run with each task's values: building drizzle's SQL for these three
 * statements cost more than running them, and was done while the batch held the write lock.
 */
const transitionShapes = new Map<string, { update: Write; event: Write; rollup?: Write }>();

function transitionShape(to: TaskStatus, from: TaskStatus[], owned: boolean, columns: string[]) {
  const key = `${to}|${from.join(",")}|${owned}|${columns.join(",")}`;
  let shape = transitionShapes.get(key);
  if (shape) return shape;
  const guarded = (v: Record<string, unknown>) =>
    and(
      eq(tasks.id, v.taskId as string),
      inArray(tasks.status, from),
      ...(owned ? [eq(tasks.leaseOwner, v.owner as string)] : []),
    )!;
  shape = {
    update: preparedWrite((db, v: Record<string, unknown>) =>
      db
        .update(tasks)
        .set({
          ...Object.fromEntries(columns.map((column) => [column, v[`set_${column}`]])),
          status: to,
          transitionId: v.transitionId as string,
        })
        .where(guarded(v))
        .returning(),
    ),
    event: preparedWrite((db, v: Record<string, unknown>) =>
      taskEventQuery(
        { db },
        {
          type: to === "queued" ? "task.requeued" : to === "running" ? "task.started" : "task.finished",
          at: v.at as number,
          where: sql`t.id = ${v.taskId} AND t.transition_id = ${v.transitionId}`,
        },
      ),
    ),
    rollup: isTerminal(to)
      ? preparedWrite((db, v: Record<string, unknown>) =>
          taskEndedRollup(db, guarded(v), to as TaskEnd, v as TaskEndValues),
        )
      : undefined,
  };
  transitionShapes.set(key, shape);
  return shape;
}

export type TaskOutcome =
  | {
      status: "completed";
      answer: string;
      prUrl?: string | null;
      usage?: TaskUsage | null;
      changedFiles?: string[] | null;
    }
  | {
      status: "failed";
      error: string;
      answer?: string | null;
      usage?: TaskUsage | null;
      changedFiles?: string[] | null;
    }
  | { status: "cancelled"; by: string };

/**
 * Records how a task ended, then tells the surfaces. The answer is written by the same statement that ends
 * the task: once it is stored, nothing runs the agent again. A review whose answer is not the findings JSON
 * (DESIGN.md §3) ends as failed, its text kept so people can see what the agent said.
 */
export async function finishTask(
  deps: Deps,
  task: Pick<Task, "id" | "kind">,
  outcome: TaskOutcome,
  guard: { owner?: string } = {},
): Promise<Task> {
  const finished = await recordOutcome(deps, task, outcome, guard);
  await notifyFinished(deps, finished);
  return finished;
}

/** The terminal transition of finishTask without the notification (for callers that act in between). */
export async function recordOutcome(
  deps: Pick<Deps, "database" | "clock" | "logger" | "metrics">,
  task: Pick<Task, "id" | "kind">,
  outcome: TaskOutcome,
  guard: { owner?: string } = {},
): Promise<Task> {
  const now = deps.clock.now();
  const base: Patch = { finishedAt: now, leaseOwner: null, leaseUntil: null };
  let to: TaskStatus = outcome.status;
  let patch: Patch;
  if (outcome.status === "cancelled") {
    patch = { ...base, cancelledBy: outcome.by, error: null };
  } else {
    const common: Patch = {
      ...base,
      answer: outcome.answer ?? null,
      usage: outcome.usage ? JSON.stringify(outcome.usage) : null,
      changedFiles: outcome.changedFiles ? JSON.stringify(outcome.changedFiles) : null,
    };
    if (outcome.status === "completed") {
      const review = task.kind === "review" ? parseReviewAnswer(outcome.answer) : null;
      if (review && !review.ok) {
        to = "failed";
        patch = { ...common, error: `The review could not be used: ${review.error}.`, prUrl: null };
      } else {
        patch = { ...common, error: null, prUrl: outcome.prUrl ?? null };
      }
    } else {
      patch = { ...common, error: outcome.error.slice(0, 4000) };
    }
  }
  const row = await transitionTask(deps, task.id, to, patch, guard);
  const finished = rowToTask(row);
  deps.logger.info({ taskId: finished.id, status: finished.status }, "task finished");
  const labels = { kind: finished.kind, outcome: finished.status };
  deps.metrics.tasksFinished.inc(labels);
  // A task cancelled (or failed) before it started has no run time to tell.
  if (row.startedAt !== null)
    deps.metrics.taskDuration.observe(labels, Math.max(0, now - row.startedAt) / 1000);
  return finished;
}

const markNotified = preparedWrite((db, v: { id: string; now: number }) =>
  db
    .update(tasks)
    .set({ notifiedAt: v.now })
    .where(eq(tasks.id, v.id))
    .returning({ erasureMayBeDue: erasureMayBeDue(sql`${v.id}`) }),
);

/** Calls notifyTaskFinished and remembers that it returned; a failure is left for the sweep to retry. */
export async function notifyFinished(deps: Deps, task: Task): Promise<boolean> {
  let notified: { erasureMayBeDue: number } | undefined;
  try {
    // Marked in the notifications' own batch: a task is notified exactly when its calls are queued.
    const [marked] = await notifyTaskFinished(deps, task, [
      markNotified(deps.database, { id: task.id, now: deps.clock.now() }),
    ]);
    [notified] = (marked ?? []) as { erasureMayBeDue: number }[];
  } catch (error) {
    deps.logger.warn({ taskId: task.id, error: (error as Error).message }, "task finish notification failed");
    return false;
  }
  // Zero data retention: a task with nothing left to send (no reply, or replies already out) loses its text
  // now; otherwise the outbox erases it after the last call goes.
  await eraseIfDelivered(deps, task.id, { mayBeDue: notified?.erasureMayBeDue === 1 }).catch((error: Error) =>
    deps.logger.warn({ taskId: task.id, error: error.message }, "zero data retention erasure failed"),
  );
  return true;
}

/**
 * Finished tasks whose notification never returned (a crash between the transition and the call, or the call
 * failed): notified again. notifyTaskFinished is idempotent, so an overlap with a live call is harmless.
 */
export async function sweepUnnotified(deps: Deps, graceMs = 5_000, limit = 50): Promise<number> {
  const rows = await deps.database.db
    .select()
    .from(tasks)
    .where(
      and(
        isNull(tasks.notifiedAt),
        inArray(tasks.status, [...terminalStatuses]),
        lte(tasks.finishedAt, deps.clock.now() - graceMs),
      ),
    )
    .limit(limit);
  let notified = 0;
  for (const row of rows) if (await notifyFinished(deps, rowToTask(row))) notified++;
  return notified;
}
