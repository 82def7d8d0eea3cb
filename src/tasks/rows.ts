import type { TaskRow } from "../db/schema/tasks";
import type { Task, TaskOrigin, TaskUsage } from "./types";

/** What an executor recorded while running (see ExecutionContext.checkpoint). */
export type ExecutorState = Record<string, unknown>;

function parseJson<T>(text: string | null, fallback: T): T {
  if (text === null || text === "") return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

export function rowToTask(row: TaskRow): Task {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    requesterMemberId: row.requesterMemberId,
    origin: parseJson<TaskOrigin>(row.origin, { surface: "api" }),
    environmentId: row.environmentId,
    kind: row.kind,
    mode: row.mode,
    title: row.title,
    prompt: row.prompt,
    context: parseJson<Record<string, unknown>>(row.context, {}),
    status: row.status,
    answer: row.answer,
    error: row.error,
    prUrl: row.prUrl,
    usage: parseJson<TaskUsage | null>(row.usage, null),
    changedFiles: parseJson<string[] | null>(row.changedFiles, null),
    attempts: row.attempts,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    contentErased:
      row.contentErasedAt !== null && row.contentErasure !== null
        ? { at: row.contentErasedAt, reason: row.contentErasure }
        : null,
  };
}

export function executorStateOf(row: TaskRow): ExecutorState {
  return parseJson<ExecutorState>(row.executorState, {});
}
