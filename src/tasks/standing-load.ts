import { and, eq, inArray, type SQL, sql } from "drizzle-orm";
import { environments, groupMembers, groups } from "../db/schema/access";
import { taskDayCounts, taskScopeLimits } from "../db/schema/task-limits";
import { taskSettings, tasks } from "../db/schema/tasks";
import type { Deps } from "../deps";
import { defaultTaskLimits } from "../workspace/task-limits";
import { explainWait, type ScopeUsage, type Standing, type WaitScope } from "./standing";
import type { Task } from "./types";
import { nextUtcMidnight, utcDay } from "./usage-day";

// The numbers behind a waiting task's standing: the limits of its workspace, environment, requester and the
// requester's groups, what runs and what waits ahead of it in each, and what started today. A handful of
// indexed reads, made once when a task starts waiting and when its page is shown, never per claim.

type Waiting = Pick<
  Task,
  "id" | "workspaceId" | "environmentId" | "requesterMemberId" | "kind" | "createdAt"
>;
type Counts = Pick<ScopeUsage, "running" | "ahead" | "aheadOfKind">;

/** Running tasks, and queued ones ahead of `task` (all kinds and its own), among the workspace's tasks that `where` selects. */
async function counts(
  deps: Pick<Deps, "database">,
  task: Waiting,
  rowid: number,
  where: SQL,
): Promise<Counts> {
  const ahead = sql`${tasks.status} = 'queued' AND (${tasks.createdAt} < ${task.createdAt} OR (${tasks.createdAt} = ${task.createdAt} AND "tasks".rowid < ${rowid}))`;
  const [row] = await deps.database.db
    .select({
      running: sql<number>`coalesce(sum(${tasks.status} = 'running'), 0)`,
      ahead: sql<number>`coalesce(sum(${ahead}), 0)`,
      aheadOfKind: sql<number>`coalesce(sum(${ahead} AND ${tasks.kind} = ${task.kind}), 0)`,
    })
    .from(tasks)
    .where(and(eq(tasks.workspaceId, task.workspaceId), inArray(tasks.status, ["running", "queued"]), where));
  return {
    running: Number(row?.running ?? 0),
    ahead: Number(row?.ahead ?? 0),
    aheadOfKind: Number(row?.aheadOfKind ?? 0),
  };
}

async function startedToday(
  deps: Pick<Deps, "database">,
  task: Waiting,
  day: number,
  scope: WaitScope,
): Promise<number> {
  const [row] = await deps.database.db
    .select({ started: taskDayCounts.started })
    .from(taskDayCounts)
    .where(
      and(
        eq(taskDayCounts.workspaceId, task.workspaceId),
        eq(taskDayCounts.scope, scope.type),
        eq(taskDayCounts.scopeId, "id" in scope ? scope.id : ""),
        eq(taskDayCounts.day, day),
        eq(taskDayCounts.kind, task.kind),
      ),
    );
  return row?.started ?? 0;
}

const perDayOf = (
  kind: Task["kind"],
  limits: { tasksPerDay?: number | null; reviewsPerDay?: number | null },
) => (kind === "review" ? limits.reviewsPerDay : limits.tasksPerDay) ?? null;

/** The scopes whose limits apply to `task`, each with its limits and the filter that selects its tasks. */
async function scopesOf(deps: Pick<Deps, "database">, task: Waiting, defaults: typeof defaultTaskLimits) {
  const { db } = deps.database;
  const [workspace] = await db
    .select()
    .from(taskSettings)
    .where(eq(taskSettings.workspaceId, task.workspaceId));
  const memberGroups = await db
    .select({ id: groups.id, name: groups.name })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(
      and(eq(groupMembers.workspaceId, task.workspaceId), eq(groupMembers.memberId, task.requesterMemberId)),
    );
  const own = await db
    .select()
    .from(taskScopeLimits)
    .where(eq(taskScopeLimits.workspaceId, task.workspaceId));
  const ownOf = (scope: string, id: string | null) =>
    own.find((row) => row.scope === scope && row.scopeId === id);
  const scopes: { scope: WaitScope; maxRunning: number | null; perDay: number | null; where: SQL }[] = [
    {
      scope: { type: "workspace" },
      maxRunning: workspace?.maxRunning ?? defaults.maxRunning,
      perDay: workspace ? perDayOf(task.kind, workspace) : null,
      where: sql`1`,
    },
  ];
  if (task.environmentId) {
    const [env] = await db
      .select({ name: environments.name })
      .from(environments)
      .where(eq(environments.id, task.environmentId));
    const limits = ownOf("environment", task.environmentId);
    const perEnvironment = workspace?.maxRunningPerEnvironment ?? defaults.maxRunningPerEnvironment;
    scopes.push({
      scope: { type: "environment", id: task.environmentId, name: env?.name ?? task.environmentId },
      maxRunning: limits?.maxRunning ?? perEnvironment,
      perDay: limits ? perDayOf(task.kind, limits) : null,
      where: eq(tasks.environmentId, task.environmentId),
    });
  }
  for (const group of memberGroups) {
    const limits = ownOf("group", group.id);
    if (!limits) continue;
    scopes.push({
      scope: { type: "group", id: group.id, name: group.name },
      maxRunning: limits.maxRunning,
      perDay: perDayOf(task.kind, limits),
      where: sql`${tasks.requesterMemberId} IN (SELECT member_id FROM group_members WHERE group_id = ${group.id})`,
    });
  }
  const mine = ownOf("member", task.requesterMemberId);
  if (mine) {
    scopes.push({
      scope: { type: "member", id: task.requesterMemberId },
      maxRunning: mine.maxRunning,
      perDay: perDayOf(task.kind, mine),
      where: eq(tasks.requesterMemberId, task.requesterMemberId),
    });
  }
  return scopes;
}

/**
 * Where a queued task stands now: the limit it waits on and its place in that line, or null when no limit
 * holds it. `defaults` are the runner's when it was given its own (tests); a workspace's own limits win.
 */
export async function loadStanding(
  deps: Pick<Deps, "database">,
  task: Waiting,
  now: number,
  defaults: typeof defaultTaskLimits = defaultTaskLimits,
): Promise<Standing | null> {
  const [self] = await deps.database.db
    .select({ rowid: sql<number>`"tasks".rowid` })
    .from(tasks)
    .where(eq(tasks.id, task.id));
  if (!self) return null;
  const day = utcDay(now);
  const usage: ScopeUsage[] = [];
  for (const s of await scopesOf(deps, task, defaults)) {
    usage.push({
      scope: s.scope,
      maxRunning: s.maxRunning,
      perDay: s.perDay,
      startedToday: s.perDay === null ? 0 : await startedToday(deps, task, day, s.scope),
      ...(await counts(deps, task, self.rowid, s.where)),
    });
  }
  return explainWait(task.kind, usage, nextUtcMidnight(now));
}
