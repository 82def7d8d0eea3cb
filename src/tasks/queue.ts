import { and, eq, isNull, lte, sql } from "drizzle-orm";
import { type TaskRow, taskSettings, tasks } from "../db/schema/tasks";
import type { Database } from "../db/types";
import type { Deps } from "../deps";
import { taskEventQuery } from "../governance/compliance-events";
import { newId } from "../lib/ids";
import type { ExecutorName } from "./executors/types";
import type { ExecutorState } from "./rows";

// The durable queue. Every step is one conditional statement, so it works the same on better-sqlite3 and on
// D1 (no interactive transactions) and two runners never both win a task.

/** Lease holder of a task handed to a remote (http) runner: the callback route settles it. */
export const callbackOwner = "callback";

export interface TaskLimits {
  /** Tasks running at once in one workspace. */
  maxRunning: number;
  /** Tasks running at once in one environment (one repository checkout each). */
  maxRunningPerEnvironment: number;
  /** Per-task time limit; undefined: the hub's HUB_TASK_TIMEOUT_SECONDS. */
  timeoutSeconds?: number;
}

export const defaultTaskLimits: TaskLimits = { maxRunning: 4, maxRunningPerEnvironment: 2 };

export interface ClaimOptions {
  now: number;
  owner: string;
  leaseMs: number;
  executor: ExecutorName;
  defaultTimeoutMs: number;
  limits?: Pick<TaskLimits, "maxRunning" | "maxRunningPerEnvironment">;
}

/**
 * Claims the oldest due queued task whose workspace and environment are below their concurrency limits
 * (per-workspace overrides from task_settings, else the defaults). One task per statement: the counts are
 * taken by the same statement that takes the task, so limits hold with any number of runners.
 */
export async function claimNextTask(database: Database, options: ClaimOptions): Promise<TaskRow | null> {
  const { now, owner, leaseMs } = options;
  const limits = options.limits ?? defaultTaskLimits;
  const pick = sql`(
    SELECT t.id FROM tasks t LEFT JOIN task_settings s ON s.workspace_id = t.workspace_id
    WHERE t.status = 'queued' AND t.available_at <= ${now}
      AND (SELECT count(*) FROM tasks r WHERE r.workspace_id = t.workspace_id AND r.status = 'running')
          < coalesce(s.max_running, ${limits.maxRunning})
      AND (t.environment_id IS NULL OR
          (SELECT count(*) FROM tasks r
            WHERE r.environment_id = t.environment_id AND r.workspace_id = t.workspace_id AND r.status = 'running')
          < coalesce(s.max_running_per_environment, ${limits.maxRunningPerEnvironment}))
    ORDER BY t.created_at, t.rowid
    LIMIT 1)`;
  const transitionId = newId("trn");
  const claim = database.db
    .update(tasks)
    .set({
      status: "running",
      leaseOwner: owner,
      leaseUntil: now + leaseMs,
      attempts: sql`${tasks.attempts} + 1`,
      startedAt: now,
      deadlineAt: sql`${now} + coalesce((SELECT ts.timeout_seconds FROM task_settings ts WHERE ts.workspace_id = "tasks"."workspace_id") * 1000, ${options.defaultTimeoutMs})`,
      executor: options.executor,
      executorState: null,
      transitionId,
    })
    .where(and(sql`"tasks"."id" = ${pick}`, eq(tasks.status, "queued")))
    .returning();
  // The claimed task is found again by its new lease (the tasks_lease index) and this claim's transition id.
  const started = taskEventQuery(database, {
    type: "task.started",
    at: now,
    where: sql`t.status = 'running' AND t.lease_until = ${now + leaseMs} AND t.transition_id = ${transitionId}`,
  });
  const [rows] = (await database.batch([claim, started])) as [TaskRow[]];
  return rows[0] ?? null;
}

/** Extends the lease of a task this runner holds; false when it no longer holds it (cancelled, taken over). */
export async function renewLease(
  database: Database,
  id: string,
  owner: string,
  now: number,
  leaseMs: number,
) {
  const rows = await database.db
    .update(tasks)
    .set({ leaseUntil: now + leaseMs })
    .where(and(eq(tasks.id, id), eq(tasks.status, "running"), eq(tasks.leaseOwner, owner)))
    .returning({ id: tasks.id });
  return rows.length > 0;
}

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

/** Hands a running task over to the callback route until its deadline (the remote runner answers there). */
export async function detachForCallback(database: Database, id: string, owner: string) {
  const rows = await database.db
    .update(tasks)
    .set({ leaseOwner: callbackOwner, leaseUntil: sql`coalesce(${tasks.deadlineAt}, ${tasks.leaseUntil})` })
    .where(and(eq(tasks.id, id), eq(tasks.status, "running"), eq(tasks.leaseOwner, owner)))
    .returning({ id: tasks.id });
  return rows.length > 0;
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

export async function getTaskLimits(deps: Pick<Deps, "database">, workspaceId: string): Promise<TaskLimits> {
  const [row] = await deps.database.db
    .select()
    .from(taskSettings)
    .where(eq(taskSettings.workspaceId, workspaceId));
  return {
    maxRunning: row?.maxRunning ?? defaultTaskLimits.maxRunning,
    maxRunningPerEnvironment: row?.maxRunningPerEnvironment ?? defaultTaskLimits.maxRunningPerEnvironment,
    ...(row?.timeoutSeconds ? { timeoutSeconds: row.timeoutSeconds } : {}),
  };
}

/** Overrides a workspace's limits; a field set to null goes back to the default. */
export async function setTaskLimits(
  deps: Pick<Deps, "database" | "clock">,
  workspaceId: string,
  patch: {
    maxRunning?: number | null;
    maxRunningPerEnvironment?: number | null;
    timeoutSeconds?: number | null;
  },
): Promise<TaskLimits> {
  const values = { ...patch, updatedAt: deps.clock.now() };
  await deps.database.db
    .insert(taskSettings)
    .values({ workspaceId, ...values })
    .onConflictDoUpdate({ target: taskSettings.workspaceId, set: values });
  return getTaskLimits(deps, workspaceId);
}
