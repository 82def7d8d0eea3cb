import { type SQL, sql } from "drizzle-orm";
import {
  analyticsMemberDaily,
  analyticsUsageDaily,
  analyticsWorkspaceDaily,
} from "../../db/schema/analytics";
import { tasks } from "../../db/schema/tasks";
import type { BatchQuery, Db } from "../../db/types";
import type { NewTask, TaskOrigin, TaskUsage } from "../../tasks/types";
import { dayOf } from "./days";
import { addToRollup, oneIf, remember, type Seen, unseen } from "./rollup-sql";

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

/**
 * The rollup changes of a new task, to run before its INSERT ... ON CONFLICT (dedupe_key) DO NOTHING in one
 * batch: they apply only when no task holds the dedupe key yet, i.e. exactly when the INSERT will insert.
 */
export function taskCreatedRollups(db: Db, task: NewTask & { id: string }, now: number): BatchQuery[] {
  const day = dayOf(now);
  const ws = task.workspaceId;
  const member = task.requesterMemberId;
  const surface = task.origin.surface;
  const isNew = sql`NOT EXISTS (SELECT 1 FROM ${tasks} WHERE ${tasks.dedupeKey} = ${task.dedupeKey})`;
  const where = sql`WHERE ${isNew}`;
  const asSurface: Seen = { workspaceId: ws, day, audience: `user:${surface}`, key: member };
  const inCloud: Seen = { workspaceId: ws, day, audience: "user:cloud", key: member };
  const session: Seen = {
    workspaceId: ws,
    day: SESSION_DAY,
    audience: "session",
    key: `${member}|${conversationKey(task.origin, task.id)}`,
  };
  return [
    addToRollup(
      db,
      analyticsUsageDaily,
      { workspaceId: ws, day, surface },
      {
        activeUsers: unseen(asSurface),
        tasksStarted: task.kind === "task" ? 1 : 0,
        reviewsStarted: task.kind === "review" ? 1 : 0,
      },
      where,
    ),
    addToRollup(
      db,
      analyticsWorkspaceDaily,
      { workspaceId: ws, day },
      { cloudUsers: unseen(inCloud) },
      where,
    ),
    addToRollup(
      db,
      analyticsMemberDaily,
      { workspaceId: ws, day, memberId: member },
      { messages: 1, sessions: unseen(session) },
      where,
    ),
    remember(db, [asSurface, inCloud, session], isNew),
  ];
}

export type TaskEnd = "completed" | "failed" | "cancelled";

/**
 * The rollup change of a task ending, to run just before the conditional UPDATE that ends it, with that
 * UPDATE's own WHERE (`guard`): it counts only if the UPDATE will change the row.
 */
export function taskEndedRollup(
  db: Db,
  guard: SQL,
  end: { status: TaskEnd; finishedAt: number; usage: TaskUsage | null },
): BatchQuery {
  const isTask = sql`${tasks.kind} = 'task'`;
  const outcome = (status: TaskEnd) => (end.status === status ? oneIf(isTask) : 0);
  const usage = end.usage;
  return addToRollup(
    db,
    analyticsUsageDaily,
    {
      workspaceId: sql`${tasks.workspaceId}`,
      day: dayOf(end.finishedAt),
      surface: sql`coalesce(json_extract(${tasks.origin}, '$.surface'), 'api')`,
    },
    {
      tasksCompleted: outcome("completed"),
      tasksFailed: outcome("failed"),
      tasksCancelled: outcome("cancelled"),
      runsFinished: oneIf(sql`${tasks.startedAt} IS NOT NULL`),
      runDurationMs: sql`coalesce(max(0, ${end.finishedAt} - ${tasks.startedAt}), 0)`,
      runsWithUsage: usage ? 1 : 0,
      inputTokens: usage?.inputTokens ?? 0,
      cachedInputTokens: usage?.cachedInputTokens ?? 0,
      outputTokens: usage?.outputTokens ?? 0,
    },
    sql`FROM ${tasks} WHERE ${guard}`,
  );
}
