import { and, eq, inArray, isNull, lte, type SQL, sql } from "drizzle-orm";
import { preparedWrite } from "../db/prepared";
import { type TaskRow, tasks } from "../db/schema/tasks";
import type { Deps } from "../deps";
import { type TaskEnd, taskEndedRollup } from "../governance/analytics/rollup-tasks";
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
  const conditions: SQL[] = [eq(tasks.id, taskId), inArray(tasks.status, guard.from ?? sourcesOf(to))];
  if (guard.owner !== undefined) conditions.push(eq(tasks.leaseOwner, guard.owner));
  const where = and(...conditions)!;
  const transitionId = newId("trn");
  const update = deps.database.db
    .update(tasks)
    .set({ ...patch, status: to, transitionId })
    .where(where)
    .returning();
  // The compliance event lands with the change, and only if this change won.
  const event = taskEventQuery(deps.database, {
    type: to === "queued" ? "task.requeued" : to === "running" ? "task.started" : "task.finished",
    at: deps.clock.now(),
    where: sql`t.id = ${taskId} AND t.transition_id = ${transitionId}`,
  });
  // An ending also lands with its usage analytics, counted under the same condition before it changes
  // (rollup-tasks.ts).
  const [row] = isTerminal(to)
    ? ((await deps.database.batch([endedRollup(deps, where, to, patch), update, event]))[1] as TaskRow[])
    : ((await deps.database.batch([update, event]))[0] as TaskRow[]);
  if (row) return row;
  const [current] = await deps.database.db.select().from(tasks).where(eq(tasks.id, taskId));
  if (!current) throw new TaskNotFound(taskId);
  if (!canTransition(current.status, to) || (guard.from && !guard.from.includes(current.status))) {
    throw new IllegalTransition(taskId, current.status, to);
  }
  throw new LeaseLost(taskId, guard.owner ?? "");
}

function endedRollup(deps: Pick<Deps, "database" | "clock">, where: SQL, to: TaskStatus, patch: Patch) {
  return taskEndedRollup(deps.database.db, where, {
    status: to as TaskEnd,
    finishedAt: patch.finishedAt ?? deps.clock.now(),
    usage: patch.usage ? (JSON.parse(patch.usage) as TaskUsage) : null,
  });
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
