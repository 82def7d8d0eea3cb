import { z } from "@hono/zod-openapi";
import { and, asc, eq } from "drizzle-orm";
import { taskScopeLimits } from "../db/schema/task-limits";
import { taskSettings } from "../db/schema/tasks";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { commitChange } from "./change";
import {
  type LimitScope,
  type ScopeLimits,
  scopeLimitsOf,
  scopeName,
  scopeNames,
  scopeTarget,
} from "./task-limit-scopes";

export type { LimitScope, ScopeLimits } from "./task-limit-scopes";
export { LIMIT_SCOPES } from "./task-limit-scopes";

// Usage limits of a workspace: how many tasks run at once (in the workspace, per environment) and how many
// tasks and code reviews may start per UTC day; each environment, group and member may have limits of its own
// on top. A request over a limit waits in the queue (tasks/standing.ts tells the requester where it stands).
// Settings like any other: written through commitChange, so every change is audited before → after, by the
// admin API, the console and `/codex limits` alike.

type D = Pick<Deps, "database" | "clock"> & Partial<Pick<Deps, "caches" | "tasks">>;

/** The workspace's limits in force. A daily limit that is absent is no limit. */
export interface TaskLimits {
  /** Tasks and reviews running at once in the workspace. */
  maxRunning: number;
  /** Running at once in one environment (one repository checkout each), unless the environment has its own. */
  maxRunningPerEnvironment: number;
  /** Per-task time limit; absent: the hub's HUB_TASK_TIMEOUT_SECONDS. */
  timeoutSeconds?: number;
  /** Tasks that may start per UTC day. */
  tasksPerDay?: number;
  /** Code reviews that may start per UTC day. */
  reviewsPerDay?: number;
}

export const defaultTaskLimits: Pick<TaskLimits, "maxRunning" | "maxRunningPerEnvironment"> = {
  maxRunning: 4,
  maxRunningPerEnvironment: 2,
};

// Bounds shared by the admin API, the console and `/codex`, so all three refuse the same values.
const running = z.number().int().min(1).max(1000);
const perDay = z.number().int().min(1).max(100_000);
const timeout = z
  .number()
  .int()
  .min(10)
  .max(24 * 3600);

/** The workspace's limits as written: a field left out stays, null goes back to the default (or no limit). */
export const taskLimitsPatchSchema = z
  .object({
    maxRunning: running.nullable().optional(),
    maxRunningPerEnvironment: running.nullable().optional(),
    timeoutSeconds: timeout.nullable().optional(),
    tasksPerDay: perDay.nullable().optional(),
    reviewsPerDay: perDay.nullable().optional(),
  })
  .strict();
export type TaskLimitsPatch = z.infer<typeof taskLimitsPatchSchema>;

/** An environment's, group's or member's limits as written: left out stays, null removes it. */
export const scopeLimitsPatchSchema = z
  .object({
    maxRunning: running.nullable().optional(),
    tasksPerDay: perDay.nullable().optional(),
    reviewsPerDay: perDay.nullable().optional(),
  })
  .strict();
export type ScopeLimitsPatch = z.infer<typeof scopeLimitsPatchSchema>;

/** One environment's, group's or member's own limits, with its name. */
export interface LimitOverride extends ScopeLimits {
  scope: LimitScope;
  id: string;
  /** The environment's or group's name, the member's name or email; `(removed)` once it is gone. */
  name: string;
}

/** The fields that are set: a limit that is null or absent is no limit, and is left out. */
const present = <T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], null | undefined> } =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], null | undefined>;
  };

export async function getTaskLimits(deps: Pick<Deps, "database">, workspaceId: string): Promise<TaskLimits> {
  const [row] = await deps.database.db
    .select()
    .from(taskSettings)
    .where(eq(taskSettings.workspaceId, workspaceId));
  return {
    maxRunning: row?.maxRunning ?? defaultTaskLimits.maxRunning,
    maxRunningPerEnvironment: row?.maxRunningPerEnvironment ?? defaultTaskLimits.maxRunningPerEnvironment,
    ...present({
      timeoutSeconds: row?.timeoutSeconds,
      tasksPerDay: row?.tasksPerDay,
      reviewsPerDay: row?.reviewsPerDay,
    }),
  };
}

/** Whether two sets of limits say the same (an unchanged save writes nothing and audits nothing). */
const same = (a: object, b: object) => JSON.stringify(present(a)) === JSON.stringify(present(b));

/** Changes the workspace's limits; returns those in force after. Waiting tasks are looked at again at once. */
export async function setTaskLimits(
  deps: D,
  workspaceId: string,
  patch: TaskLimitsPatch,
  actor: string,
): Promise<TaskLimits> {
  const before = await getTaskLimits(deps, workspaceId);
  const [row] = await deps.database.db
    .select()
    .from(taskSettings)
    .where(eq(taskSettings.workspaceId, workspaceId));
  const stored = {
    maxRunning: row?.maxRunning ?? null,
    maxRunningPerEnvironment: row?.maxRunningPerEnvironment ?? null,
    timeoutSeconds: row?.timeoutSeconds ?? null,
    tasksPerDay: row?.tasksPerDay ?? null,
    reviewsPerDay: row?.reviewsPerDay ?? null,
    ...patch,
  };
  const after: TaskLimits = {
    maxRunning: stored.maxRunning ?? defaultTaskLimits.maxRunning,
    maxRunningPerEnvironment: stored.maxRunningPerEnvironment ?? defaultTaskLimits.maxRunningPerEnvironment,
    ...present({
      timeoutSeconds: stored.timeoutSeconds,
      tasksPerDay: stored.tasksPerDay,
      reviewsPerDay: stored.reviewsPerDay,
    }),
  };
  if (same(before, after)) return before;
  const values = { ...stored, updatedAt: deps.clock.now() };
  await commitChange(deps, {
    workspaceId,
    actor,
    action: "task_limits.change",
    target: workspaceId,
    before,
    after,
    writes: [
      deps.database.db
        .insert(taskSettings)
        .values({ workspaceId, ...values })
        .onConflictDoUpdate({ target: taskSettings.workspaceId, set: values }),
    ],
  });
  deps.tasks?.wake();
  return after;
}

/** Every environment, group and member of the workspace with limits of its own, by scope then name. */
export async function listLimitOverrides(
  deps: Pick<Deps, "database">,
  workspaceId: string,
): Promise<LimitOverride[]> {
  const rows = await deps.database.db
    .select()
    .from(taskScopeLimits)
    .where(eq(taskScopeLimits.workspaceId, workspaceId))
    .orderBy(asc(taskScopeLimits.scope), asc(taskScopeLimits.scopeId));
  const names = await scopeNames(deps, workspaceId);
  return rows
    .map((row) => ({
      scope: row.scope,
      id: row.scopeId,
      name: names.get(`${row.scope}:${row.scopeId}`) ?? "(removed)",
      ...scopeLimitsOf(row),
    }))
    .sort((a, b) => a.scope.localeCompare(b.scope) || a.name.localeCompare(b.name));
}

async function overrideRow(deps: Pick<Deps, "database">, workspaceId: string, scope: LimitScope, id: string) {
  const [row] = await deps.database.db
    .select()
    .from(taskScopeLimits)
    .where(
      and(
        eq(taskScopeLimits.workspaceId, workspaceId),
        eq(taskScopeLimits.scope, scope),
        eq(taskScopeLimits.scopeId, id),
      ),
    );
  return row ?? null;
}

/**
 * Sets an environment's, group's or member's own limits (which must exist in the workspace). Returns them
 * after the change; null when none is left (the override is then gone).
 */
export async function setLimitOverride(
  deps: D,
  workspaceId: string,
  scope: LimitScope,
  id: string,
  patch: ScopeLimitsPatch,
  actor: string,
): Promise<LimitOverride | null> {
  const name = await scopeName(deps, workspaceId, scope, id);
  const row = await overrideRow(deps, workspaceId, scope, id);
  const before = row ? scopeLimitsOf(row) : {};
  const stored = {
    maxRunning: before.maxRunning ?? null,
    tasksPerDay: before.tasksPerDay ?? null,
    reviewsPerDay: before.reviewsPerDay ?? null,
    ...patch,
  };
  const after: ScopeLimits = present(stored);
  const result = Object.keys(after).length > 0 ? { scope, id, name, ...after } : null;
  if (same(before, after)) return result;
  const where = and(
    eq(taskScopeLimits.workspaceId, workspaceId),
    eq(taskScopeLimits.scope, scope),
    eq(taskScopeLimits.scopeId, id),
  );
  const values = { ...stored, updatedAt: deps.clock.now() };
  await commitChange(deps, {
    workspaceId,
    actor,
    action: result ? "task_limits.override.set" : "task_limits.override.clear",
    target: scopeTarget(scope, id),
    before: row ? before : null,
    after: result ? after : null,
    writes: [
      result
        ? deps.database.db
            .insert(taskScopeLimits)
            .values({ workspaceId, scope, scopeId: id, ...values })
            .onConflictDoUpdate({
              target: [taskScopeLimits.workspaceId, taskScopeLimits.scope, taskScopeLimits.scopeId],
              set: values,
            })
        : deps.database.db.delete(taskScopeLimits).where(where),
    ],
  });
  deps.tasks?.wake();
  return result;
}

/** Removes an environment's, group's or member's own limits; the workspace's then apply alone. */
export async function clearLimitOverride(
  deps: D,
  workspaceId: string,
  scope: LimitScope,
  id: string,
  actor: string,
): Promise<void> {
  const row = await overrideRow(deps, workspaceId, scope, id);
  if (!row) throw new AppError("not_found", `The ${scope} ${id} has no limits of its own.`);
  await commitChange(deps, {
    workspaceId,
    actor,
    action: "task_limits.override.clear",
    target: scopeTarget(scope, id),
    before: scopeLimitsOf(row),
    after: null,
    writes: [
      deps.database.db
        .delete(taskScopeLimits)
        .where(
          and(
            eq(taskScopeLimits.workspaceId, workspaceId),
            eq(taskScopeLimits.scope, scope),
            eq(taskScopeLimits.scopeId, id),
          ),
        ),
    ],
  });
  deps.tasks?.wake();
}
