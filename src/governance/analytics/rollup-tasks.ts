import { type SQL, sql } from "drizzle-orm";
import { preparedWrite } from "../../db/prepared";
import {
  analyticsMemberDaily,
  analyticsUsageDaily,
  analyticsWorkspaceDaily,
} from "../../db/schema/analytics";
import { tasks } from "../../db/schema/tasks";
import type { BatchQuery, Database, Db } from "../../db/types";
import type { NewTask, TaskOrigin, TaskUsage } from "../../tasks/types";
import { dayOf } from "./days";
import { addToRollup, literal, oneIf, remember, unseen } from "./rollup-sql";

// The usage rollups of tasks, written in the batch of the two task writes that matter: the INSERT that
// creates a task (asked for: tasks or reviews started, active users, sessions and messages) and the
// conditional UPDATE that ends it (completed, failed or cancelled; run time and tokens). Both are the only
// places those happen (tasks/service.ts createTask, tasks/transitions.ts transitionTask).

/** The conversation a request belongs to: a session starts with its first request. */
export function conversationKey(origin: TaskOrigin, taskId: string): string {
  switch (origin.surface) {
    case "slack":
      return `slack:${origin.teamId}:${origin.channel}:${origin.threadTs}`;
    case "github":
      return `github:${origin.repository.toLowerCase()}#${origin.prNumber}`;
    case "linear":
      return `linear:${origin.agentSessionId ?? origin.issueId ?? origin.commentId ?? taskId}`;
    default:
      return `api:${taskId}`;
  }
}

/** Day 0 of `session` keys: a conversation starts once (see analyticsSeen). */
export const SESSION_DAY = 0;

interface CreatedValues extends Record<string, unknown> {
  workspaceId: string;
  memberId: string;
  day: number;
  surface: string;
  surfaceAudience: string;
  sessionDay: number;
  sessionKey: string;
  dedupeKey: string;
  tasksStarted: number;
  reviewsStarted: number;
}

// The four statements are the same for every new task (prepared once; see db/prepared.ts): they apply only
// when no task holds the dedupe key yet, i.e. exactly when the INSERT after them will insert.
const isNewTask = (v: CreatedValues) =>
  sql`NOT EXISTS (SELECT 1 FROM ${tasks} WHERE ${tasks.dedupeKey} = ${v.dedupeKey})`;
const seenAs = (v: CreatedValues) => ({
  surface: { workspaceId: v.workspaceId, day: v.day, audience: v.surfaceAudience, key: v.memberId },
  cloud: { workspaceId: v.workspaceId, day: v.day, audience: "user:cloud", key: v.memberId },
  session: { workspaceId: v.workspaceId, day: v.sessionDay, audience: "session", key: v.sessionKey },
});
const createdShapes = [
  preparedWrite((db, v: CreatedValues) =>
    addToRollup(
      db,
      analyticsUsageDaily,
      { workspaceId: v.workspaceId, day: v.day, surface: v.surface },
      {
        activeUsers: unseen(seenAs(v).surface),
        tasksStarted: v.tasksStarted,
        reviewsStarted: v.reviewsStarted,
      },
      sql`WHERE ${isNewTask(v)}`,
    ),
  ),
  preparedWrite((db, v: CreatedValues) =>
    addToRollup(
      db,
      analyticsWorkspaceDaily,
      { workspaceId: v.workspaceId, day: v.day },
      { cloudUsers: unseen(seenAs(v).cloud) },
      sql`WHERE ${isNewTask(v)}`,
    ),
  ),
  preparedWrite((db, v: CreatedValues) =>
    addToRollup(
      db,
      analyticsMemberDaily,
      { workspaceId: v.workspaceId, day: v.day, memberId: v.memberId },
      { messages: literal(1), sessions: unseen(seenAs(v).session) },
      sql`WHERE ${isNewTask(v)}`,
    ),
  ),
  preparedWrite((db, v: CreatedValues) => {
    const seen = seenAs(v);
    return remember(db, [seen.surface, seen.cloud, seen.session], isNewTask(v));
  }),
];

/**
 * The rollup changes of a new task, to run before its INSERT ... ON CONFLICT (dedupe_key) DO NOTHING in one
 * batch: they apply only when no task holds the dedupe key yet, i.e. exactly when the INSERT will insert.
 */
export function taskCreatedRollups(
  database: Database,
  task: NewTask & { id: string },
  now: number,
): BatchQuery[] {
  const values: CreatedValues = {
    workspaceId: task.workspaceId,
    memberId: task.requesterMemberId,
    day: dayOf(now),
    surface: task.origin.surface,
    surfaceAudience: `user:${task.origin.surface}`,
    sessionDay: SESSION_DAY,
    sessionKey: `${task.requesterMemberId}|${conversationKey(task.origin, task.id)}`,
    dedupeKey: task.dedupeKey,
    tasksStarted: task.kind === "task" ? 1 : 0,
    reviewsStarted: task.kind === "review" ? 1 : 0,
  };
  return createdShapes.map((shape) => shape(database, values));
}

export type TaskEnd = "completed" | "failed" | "cancelled";

/**
 * The rollup change of a task ending, to run just before the conditional UPDATE that ends it, with that
 * UPDATE's own WHERE (`guard`): it counts only if the UPDATE will change the row.
 */
export function taskEndedRollup(db: Db, guard: SQL, status: TaskEnd, end: TaskEndValues): BatchQuery {
  const isTask = sql`${tasks.kind} = 'task'`;
  const outcome = (counted: TaskEnd) => (status === counted ? oneIf(isTask) : 0);
  return addToRollup(
    db,
    analyticsUsageDaily,
    {
      workspaceId: sql`${tasks.workspaceId}`,
      day: end.day,
      surface: sql`coalesce(json_extract(${tasks.origin}, '$.surface'), 'api')`,
    },
    {
      tasksCompleted: outcome("completed"),
      tasksFailed: outcome("failed"),
      tasksCancelled: outcome("cancelled"),
      runsFinished: oneIf(sql`${tasks.startedAt} IS NOT NULL`),
      runDurationMs: sql`coalesce(max(0, ${end.finishedAt} - ${tasks.startedAt}), 0)`,
      runsWithUsage: end.runsWithUsage,
      inputTokens: end.inputTokens,
      cachedInputTokens: end.cachedInputTokens,
      outputTokens: end.outputTokens,
    },
    sql`FROM ${tasks} WHERE ${guard}`,
  );
}

/**
 * The values `taskEndedRollup` counts, worked out here so that the rollup uses them only as values: the
 * statement can then be prepared once per ending and reused with each task's values.
 */
export interface TaskEndValues extends Record<string, unknown> {
  day: number;
  finishedAt: number;
  runsWithUsage: number;
  inputTokens: number;
  cachedInputTokens: number;
  outputTokens: number;
}

export function taskEndValues(finishedAt: number, usage: TaskUsage | null): TaskEndValues {
  return {
    day: dayOf(finishedAt),
    finishedAt,
    runsWithUsage: usage ? 1 : 0,
    inputTokens: usage?.inputTokens ?? 0,
    cachedInputTokens: usage?.cachedInputTokens ?? 0,
    outputTokens: usage?.outputTokens ?? 0,
  };
}
