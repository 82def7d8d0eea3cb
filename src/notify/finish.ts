import type { Deps } from "../deps";
import type { Task } from "../tasks/types";

/**
 * Called on every terminal transition of a task (and again by the task runner's sweep if a previous call
 * did not return). Placeholder until completion replies and notices are built: it must stay idempotent.
 */
export async function notifyTaskFinished(_deps: Deps, _task: Task): Promise<void> {}
