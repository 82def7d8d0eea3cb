import { and, eq, isNull, lte, sql } from "drizzle-orm";
import { preparedQuery, preparedWrite } from "../db/prepared";
import { type TaskRow, tasks } from "../db/schema/tasks";
import type { Database } from "../db/types";
import { taskEventQuery } from "../governance/compliance-events";
import { newId } from "../lib/ids";
import { defaultTaskLimits, type TaskLimits } from "../workspace/task-limits";
import type { ExecutorName } from "./executors/types";
import { countStartQueries, type JustClaimed, nextStartable } from "./limit-checks";
import type { ExecutorState } from "./rows";
import { utcDay } from "./usage-day";

// The durable queue. Every step is one conditional statement, so it works the same on better-sqlite3 and on
// D1 (no interactive transactions) and two runners never both win a task.

/** Lease holder of a task handed to a remote (http) runner: the callback route settles it. */
export const callbackOwner = "callback";

export interface ClaimOptions {
  now: number;
  owner: string;
  leaseMs: number;
  executor: ExecutorName;
  defaultTimeoutMs: number;
  limits?: Pick<TaskLimits, "maxRunning" | "maxRunningPerEnvironment">;
}

/**
 * Claims up to `count` tasks, each the oldest due queued task that every limit lets start (limit-checks.ts:
 * running at once in the workspace, its environment, its requester and their groups; started today by kind),
 * and counts each start for the daily limits. One batch: each claim takes the counts in the same statement that
 * takes its task, and the start is counted with it, so limits hold with any number of runners (no interactive
 * transaction). The claims run one after another in that batch, each seeing the tasks the ones before it took,
 * so every limit holds as if they had been claimed one by one, and a busy queue starts many tasks for one commit
 * instead of one commit each. Returns the tasks taken, in order; fewer than `count` when fewer could start.
 */
export async function claimNextTasks(
  database: Database,
  options: ClaimOptions,
  count: number,
): Promise<TaskRow[]> {
  const { now, owner, leaseMs } = options;
  const limits = options.limits ?? defaultTaskLimits;
  const shared = {
    now,
    day: utcDay(now),
    owner,
    leaseUntil: now + leaseMs,
    executor: options.executor,
    defaultTimeoutMs: options.defaultTimeoutMs,
    maxRunning: limits.maxRunning,
    maxRunningPerEnvironment: limits.maxRunningPerEnvironment,
  };
  const claims = Array.from({ length: count }, () => {
    // Each claim's own transition id: its event and its counts find the task it took (and only that one) by it.
    const values: ClaimValues = { ...shared, transitionId: newId("trn") };
    return [claim(database, values), started(database, values), ...countStartQueries(database, values)];
  });
  const results = await database.batch(claims.flat());
  // Each claim's first write is the UPDATE that took (or did not take) a task.
  const rows: TaskRow[] = [];
  let at = 0;
  for (const writes of claims) {
    rows.push(...(results[at] as TaskRow[]));
    at += writes.length;
  }
  return rows;
}

interface ClaimValues extends JustClaimed, Record<string, unknown> {
  now: number;
  owner: string;
  executor: ExecutorName;
  defaultTimeoutMs: number;
  maxRunning: number;
  maxRunningPerEnvironment: number;
}

const claim = preparedWrite((db, v: ClaimValues) =>
  db
    .update(tasks)
    .set({
      status: "running",
      leaseOwner: v.owner,
      leaseUntil: v.leaseUntil,
      attempts: sql`${tasks.attempts} + 1`,
      startedAt: v.now,
      deadlineAt: sql`${v.now} + coalesce((SELECT ts.timeout_seconds FROM task_settings ts WHERE ts.workspace_id = "tasks"."workspace_id") * 1000, ${v.defaultTimeoutMs})`,
      executor: v.executor,
      executorState: null,
      transitionId: v.transitionId,
    })
    .where(and(sql`"tasks"."id" = ${nextStartable(v.now, v.day, v)}`, eq(tasks.status, "queued")))
    .returning(),
);

/** The claimed task is found again by its new lease (the tasks_lease index) and this claim's transition id. */
const started = preparedWrite((db, v: ClaimValues) =>
  taskEventQuery(
    { db },
    {
      type: "task.started",
      at: v.now,
      where: sql`t.status = 'running' AND t.lease_until = ${v.leaseUntil} AND t.transition_id = ${v.transitionId}`,
    },
  ),
);

/** Extends the lease of a task this runner holds; false when it no longer holds it (cancelled, taken over). */
export async function renewLease(
  database: Database,
  id: string,
  owner: string,
  now: number,
  leaseMs: number,
) {
  const rows = (await renew(database, { id, owner, leaseUntil: now + leaseMs })) as unknown[];
  return rows.length > 0;
}

const renew = preparedWrite((db, v: { id: string; owner: string; leaseUntil: number }) =>
  db
    .update(tasks)
    .set({ leaseUntil: v.leaseUntil })
    .where(and(eq(tasks.id, v.id), eq(tasks.status, "running"), eq(tasks.leaseOwner, v.owner)))
    .returning({ id: tasks.id }),
);

/** Gives up a task's lease now (graceful shutdown): recovery at the next start need not wait for it to expire. */
export async function releaseLease(database: Database, id: string, owner: string, now: number) {
  await database.db
    .update(tasks)
    .set({ leaseUntil: now })
    .where(and(eq(tasks.id, id), eq(tasks.status, "running"), eq(tasks.leaseOwner, owner)));
}

/** Backoff before retrying a task whose executor could not start: 5 s, 20 s, 80 s... capped at 5 minutes. */
export function retryDelayMs(attempt: number): number {
  return Math.min(5_000 * 4 ** Math.max(0, attempt - 1), 5 * 60_000);
}

/** Stores the executor's checkpoint (the whole merged state); false when the runner lost the task. */
export async function saveExecutorState(database: Database, id: string, owner: string, state: ExecutorState) {
  const rows = await database.db
    .update(tasks)
    .set({ executorState: JSON.stringify(state) })
    .where(and(eq(tasks.id, id), eq(tasks.status, "running"), eq(tasks.leaseOwner, owner)))
    .returning({ id: tasks.id });
  return rows.length > 0;
}

/** Stores what a running task was given at its start (prepare.ts); false when this runner lost its lease. */
export async function saveTaskContext(
  database: Database,
  id: string,
  owner: string,
  context: Record<string, unknown>,
) {
  const rows = await database.db
    .update(tasks)
    .set({ context: JSON.stringify(context) })
    .where(and(eq(tasks.id, id), eq(tasks.status, "running"), eq(tasks.leaseOwner, owner)))
    .returning({ id: tasks.id });
  return rows.length > 0;
}

/** Hands a running task over to the callback route until its deadline (the remote runner answers there). */
export async function detachForCallback(database: Database, id: string, owner: string) {
  const rows = (await detach(database, { id, owner })) as unknown[];
  return rows.length > 0;
}

const detach = preparedWrite((db, v: { id: string; owner: string }) =>
  db
    .update(tasks)
    .set({ leaseOwner: callbackOwner, leaseUntil: sql`coalesce(${tasks.deadlineAt}, ${tasks.leaseUntil})` })
    .where(and(eq(tasks.id, v.id), eq(tasks.status, "running"), eq(tasks.leaseOwner, v.owner)))
    .returning({ id: tasks.id }),
);

const dueWork = preparedQuery((db, v: { now: number }) =>
  db
    .select({
      queued: sql<number>`EXISTS (SELECT 1 FROM tasks q WHERE q.status = 'queued' AND q.available_at <= ${v.now})`,
      expired: sql<number>`EXISTS (SELECT 1 FROM tasks r WHERE r.status = 'running' AND r.lease_until <= ${v.now})`,
    })
    // One row whenever there is a task at all; none (neither kind of work) when there is none.
    .from(tasks)
    .limit(1),
);

/**
 * What a round of the task runner can find, in one read of two index probes: queued tasks that are due, and
 * running tasks whose lease ran out. Most rounds find neither (a wake for a task an earlier round already
 * claimed, a slot freed with nothing waiting) and then skip the claim, which is a write and so takes the
 * write lock, and the listings.
 */
export async function dueTaskWork(
  database: Database,
  now: number,
): Promise<{ queued: boolean; expired: boolean }> {
  const [row] = await dueWork(database.db).all({ now });
  return { queued: row?.queued === 1, expired: row?.expired === 1 };
}

/** Running tasks whose lease ran out: their runner died (or, for callback tasks, their deadline passed). */
export async function expiredLeases(database: Database, now: number, limit = 20): Promise<TaskRow[]> {
  return database.db
    .select()
    .from(tasks)
    .where(and(eq(tasks.status, "running"), lte(tasks.leaseUntil, now)))
    .limit(limit);
}

/** Takes over a task whose lease expired; exactly one runner wins it. */
export async function takeOver(
  database: Database,
  row: TaskRow,
  owner: string,
  now: number,
  leaseMs: number,
): Promise<TaskRow | null> {
  const [taken] = await database.db
    .update(tasks)
    .set({ leaseOwner: owner, leaseUntil: now + leaseMs })
    .where(
      and(
        eq(tasks.id, row.id),
        eq(tasks.status, "running"),
        lte(tasks.leaseUntil, now),
        row.leaseOwner === null ? isNull(tasks.leaseOwner) : eq(tasks.leaseOwner, row.leaseOwner),
      ),
    )
    .returning();
  return taken ?? null;
}

/** Counts running tasks (for /metrics and tests). */
export async function runningCount(database: Database, filter: { workspaceId?: string } = {}) {
  const [row] = await database.db
    .select({ n: sql<number>`count(*)` })
    .from(tasks)
    .where(
      and(
        eq(tasks.status, "running"),
        filter.workspaceId ? eq(tasks.workspaceId, filter.workspaceId) : undefined,
      ),
    );
  return Number(row?.n ?? 0);
}
