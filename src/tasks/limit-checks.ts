import { type SQL, sql } from "drizzle-orm";
import { preparedWrite } from "../db/prepared";
import { taskDayCounts } from "../db/schema/task-limits";
import { tasks } from "../db/schema/tasks";
import type { BatchQuery, Database } from "../db/types";
import type { TaskLimits } from "../workspace/task-limits";
import { utcDay } from "./usage-day";

// The limits as SQL, for the statement that claims a task: it takes a task only when every limit that applies
// has room, counted by that same statement, so two runners can never both take the last slot. The TypeScript
// reading of the same rules, which explains a wait to people, is in standing.ts; both check, for the task `t`:
//   - running in the workspace < task_settings.max_running (default 4);
//   - running in its environment < the environment's own max_running, else the workspace's per-environment one;
//   - running by its requester < the member's own max_running, if any; the same for each of their groups;
//   - started today (task_day_counts, of its kind) < tasks_per_day / reviews_per_day of the workspace, its
//     environment, its requester and each of their groups, where set.

type Defaults = Pick<TaskLimits, "maxRunning" | "maxRunningPerEnvironment">;

/** Running tasks of `t`'s workspace for which `where` holds (over `r`). */
const running = (where: SQL) =>
  sql`(SELECT count(*) FROM tasks r WHERE r.workspace_id = t.workspace_id AND r.status = 'running' AND ${where})`;

/** The daily limit of `t`'s kind in a limits row (task_settings or task_scope_limits) aliased `alias`. */
const dailyLimit = (alias: string) =>
  sql`(CASE t.kind WHEN 'review' THEN ${sql.raw(alias)}.reviews_per_day ELSE ${sql.raw(alias)}.tasks_per_day END)`;

/** Tasks of `t`'s kind started today in one scope. */
const startedToday = (day: number, scope: string, scopeId: SQL) =>
  sql`coalesce((SELECT c.started FROM task_day_counts c WHERE c.workspace_id = t.workspace_id AND c.scope = ${scope} AND c.scope_id = ${scopeId} AND c.day = ${day} AND c.kind = t.kind), 0)`;

const underDaily = (alias: string, day: number, scope: string, scopeId: SQL) =>
  sql`(${dailyLimit(alias)} IS NULL OR ${startedToday(day, scope, scopeId)} < ${dailyLimit(alias)})`;

/**
 * Workspaces, and environments, running as many tasks as they may: the same limits as the checks per task
 * below, counted once per claim rather than once per queued task. Once a busy workspace is full, every
 * queued task of it fails those checks, and a claim that counted the running tasks again for each of
 * thousands of queued ones took tens of milliseconds; these lists turn each of those rows into one lookup.
 */
const fullWorkspaces = (defaults: Defaults) => sql`(
    SELECT r.workspace_id FROM tasks r LEFT JOIN task_settings fs ON fs.workspace_id = r.workspace_id
    WHERE r.status = 'running'
    GROUP BY r.workspace_id
    HAVING count(*) >= coalesce(max(fs.max_running), ${defaults.maxRunning}))`;

const fullEnvironments = (defaults: Defaults) => sql`(
    SELECT r.environment_id FROM tasks r
      LEFT JOIN task_settings fs ON fs.workspace_id = r.workspace_id
      LEFT JOIN task_scope_limits fl
        ON fl.workspace_id = r.workspace_id AND fl.scope = 'environment' AND fl.scope_id = r.environment_id
    WHERE r.status = 'running' AND r.environment_id IS NOT NULL
    GROUP BY r.workspace_id, r.environment_id
    HAVING count(*) >= coalesce(max(fl.max_running), max(fs.max_running_per_environment), ${defaults.maxRunningPerEnvironment}))`;

/**
 * The id of the oldest due queued task that every limit lets start now, or NULL. The limits rows are joined
 * as `s` (workspace), `el` (environment) and `ml` (member); groups are checked through the requester's
 * memberships.
 */
export function nextStartable(now: number, day: number, defaults: Defaults): SQL {
  const groupFull = sql`EXISTS (
    SELECT 1 FROM group_members gm
      JOIN task_scope_limits gl ON gl.workspace_id = gm.workspace_id AND gl.scope = 'group' AND gl.scope_id = gm.group_id
    WHERE gm.workspace_id = t.workspace_id AND gm.member_id = t.requester_member_id AND (
      (gl.max_running IS NOT NULL AND ${running(
        sql`r.requester_member_id IN (SELECT g2.member_id FROM group_members g2 WHERE g2.group_id = gl.scope_id)`,
      )} >= gl.max_running)
      OR NOT ${underDaily("gl", day, "group", sql`gl.scope_id`)}))`;
  return sql`(
    SELECT t.id FROM tasks t
      LEFT JOIN task_settings s ON s.workspace_id = t.workspace_id
      LEFT JOIN task_scope_limits el
        ON el.workspace_id = t.workspace_id AND el.scope = 'environment' AND el.scope_id = t.environment_id
      LEFT JOIN task_scope_limits ml
        ON ml.workspace_id = t.workspace_id AND ml.scope = 'member' AND ml.scope_id = t.requester_member_id
    WHERE t.status = 'queued' AND t.available_at <= ${now}
      AND t.workspace_id NOT IN ${fullWorkspaces(defaults)}
      AND (t.environment_id IS NULL OR t.environment_id NOT IN ${fullEnvironments(defaults)})
      AND ${running(sql`1`)} < coalesce(s.max_running, ${defaults.maxRunning})
      AND (t.environment_id IS NULL OR ${running(sql`r.environment_id = t.environment_id`)}
          < coalesce(el.max_running, s.max_running_per_environment, ${defaults.maxRunningPerEnvironment}))
      AND (ml.max_running IS NULL OR ${running(sql`r.requester_member_id = t.requester_member_id`)} < ml.max_running)
      AND ${underDaily("s", day, "workspace", sql`''`)}
      AND (t.environment_id IS NULL OR ${underDaily("el", day, "environment", sql`t.environment_id`)})
      AND ${underDaily("ml", day, "member", sql`t.requester_member_id`)}
      AND NOT ${groupFull}
    ORDER BY t.created_at, t.rowid
    LIMIT 1)`;
}

/**
 * The task a claim has just taken and not yet counted today: found by the lease and the transition id the claim
 * gave it (the tasks_lease index, so one row is read, not every running task). These statements count it and
 * mark it counted. A task started again the same day (a retry after its executor could not start) is already
 * marked and not counted twice.
 */
export interface JustClaimed extends Record<string, unknown> {
  leaseUntil: number;
  transitionId: string;
  day: number;
}

const justClaimed = ({ leaseUntil, transitionId, day }: JustClaimed) =>
  sql`t.status = 'running' AND t.lease_until = ${leaseUntil} AND t.transition_id = ${transitionId} AND (t.started_day IS NULL OR t.started_day <> ${day})`;

/** The writes that count a claimed task's start in every scope it belongs to; run in the claim's batch. */
export function countStartQueries(database: Database, claim: JustClaimed): BatchQuery[] {
  return [countStart(database, claim), markCounted(database, claim)];
}

const countStart = preparedWrite((db, v: JustClaimed) =>
  db
    .insert(taskDayCounts)
    .select(
      sql`SELECT workspace_id, scope, scope_id, ${v.day}, kind, 1 FROM (
        SELECT t.workspace_id, 'workspace' AS scope, '' AS scope_id, t.kind FROM tasks t WHERE ${justClaimed(v)}
        UNION ALL SELECT t.workspace_id, 'environment', t.environment_id, t.kind FROM tasks t
          WHERE ${justClaimed(v)} AND t.environment_id IS NOT NULL
        UNION ALL SELECT t.workspace_id, 'member', t.requester_member_id, t.kind FROM tasks t WHERE ${justClaimed(v)}
        UNION ALL SELECT t.workspace_id, 'group', gm.group_id, t.kind FROM tasks t
          JOIN group_members gm ON gm.workspace_id = t.workspace_id AND gm.member_id = t.requester_member_id
          WHERE ${justClaimed(v)}
      ) WHERE true`,
    )
    .onConflictDoUpdate({
      target: [
        taskDayCounts.workspaceId,
        taskDayCounts.scope,
        taskDayCounts.scopeId,
        taskDayCounts.day,
        taskDayCounts.kind,
      ],
      set: { started: sql`${taskDayCounts.started} + 1` },
    }),
);

const markCounted = preparedWrite((db, v: JustClaimed) =>
  db
    .update(tasks)
    .set({ startedDay: v.day })
    .where(sql`"tasks"."id" IN (SELECT t.id FROM tasks t WHERE ${justClaimed(v)})`),
);

/** Days of counts kept: the daily limits read only today's; a month stays for people to look back on. */
const keptDays = 35;

/** Drops the counts of days long past (an index range on `day`). */
export async function sweepDayCounts(database: Database, now: number): Promise<void> {
  await database.db.delete(taskDayCounts).where(sql`${taskDayCounts.day} < ${utcDay(now) - keptDays}`);
}
