import { and, asc, eq, isNull, lte, sql } from "drizzle-orm";
import { tasks } from "../db/schema/tasks";
import type { Deps } from "../deps";
import { notifyTaskWaiting } from "../notify/waiting";
import type { TaskLimits } from "../workspace/task-limits";
import { rowToTask } from "./rows";
import { loadStanding } from "./standing-load";

/** Tasks looked at per turn; the rest are looked at in the turns that follow. */
const perTurn = 20;

/**
 * After the runner has started what it could: the due tasks left queued wait for a limit. Each one not told
 * yet is told once where it stands (notify/waiting.ts); a task no limit holds (the runner was full, or a slot
 * just freed up) is left for the next turn. One indexed read when nobody new waits. Never throws: telling is
 * a courtesy, and the runner's turn goes on whatever happens here.
 */
export async function tellWaitingTasks(
  deps: Deps,
  now: number,
  defaults?: Pick<TaskLimits, "maxRunning" | "maxRunningPerEnvironment">,
): Promise<number> {
  try {
    return await tellEach(deps, now, defaults);
  } catch (error) {
    deps.logger.warn({ error: (error as Error).message }, "telling waiting tasks where they stand failed");
    return 0;
  }
}

async function tellEach(
  deps: Deps,
  now: number,
  defaults?: Pick<TaskLimits, "maxRunning" | "maxRunningPerEnvironment">,
): Promise<number> {
  const rows = await deps.database.db
    .select()
    .from(tasks)
    .where(and(eq(tasks.status, "queued"), lte(tasks.availableAt, now), isNull(tasks.waitReason)))
    .orderBy(asc(tasks.createdAt), sql`"tasks".rowid`)
    .limit(perTurn);
  let told = 0;
  for (const row of rows) {
    const task = rowToTask(row);
    const standing = await loadStanding(deps, task, now, defaults);
    if (standing && (await notifyTaskWaiting(deps, task, standing))) told++;
  }
  return told;
}
