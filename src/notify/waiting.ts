import { and, eq, isNull } from "drizzle-orm";
import type { OutboundRequest } from "../clients/types";
import { tasks } from "../db/schema/tasks";
import type { Deps } from "../deps";
import { insertedRow, queueTaskCalls } from "../outbox/enqueue";
import { type Standing, standingKey } from "../tasks/standing";
import type { Task } from "../tasks/types";
import { taskUrl } from "../web/task-url";

export const queuedKey = (taskId: string, standing: Standing) => `queued:${taskId}:${standingKey(standing)}`;

/**
 * Tells the person who asked that their task waits, where they asked (the surface builds the message), and
 * records why on the task. The record is a conditional write (only a queued task not told yet) and the calls
 * have fixed outbox keys, in one batch: however many runners look at the task, the notice goes out once.
 * Returns whether this call recorded it.
 */
export async function notifyTaskWaiting(deps: Deps, task: Task, standing: Standing): Promise<boolean> {
  let requests: OutboundRequest[] = [];
  if (task.origin.surface !== "api") {
    const surface = deps.surfaces[task.origin.surface];
    try {
      requests = (await surface.queued?.(deps, task, standing, { taskUrl: taskUrl(deps, task.id) })) ?? [];
    } catch (error) {
      // Telling is a courtesy: the task page still shows the standing, and the task still starts in turn.
      deps.logger.warn(
        { taskId: task.id, error: (error as Error).message },
        "the waiting notice could not be built; the task page still shows why the task waits",
      );
    }
  }
  const key = queuedKey(task.id, standing);
  const record = deps.database.db
    .update(tasks)
    .set({ waitReason: JSON.stringify(standing) })
    .where(and(eq(tasks.id, task.id), eq(tasks.status, "queued"), isNull(tasks.waitReason)))
    .returning({ id: tasks.id });
  const calls = requests.map((request, i) => ({ key: i === 0 ? key : `${key}:${i}`, request }));
  const {
    also: [recorded],
  } = await queueTaskCalls(deps, task.id, calls, [record]);
  const told = insertedRow(recorded) !== undefined;
  if (told) deps.logger.info({ taskId: task.id, standing: standingKey(standing) }, "task waits for a limit");
  return told;
}
