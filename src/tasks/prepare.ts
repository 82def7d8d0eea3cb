import { OutboundError } from "../clients/types";
import type { Deps } from "../deps";
import { ExecutorError } from "./executors/types";
import { saveTaskContext } from "./queue";
import { LeaseLost } from "./transitions";
import type { Task } from "./types";

const platformNames = { slack: "Slack", github: "GitHub", linear: "Linear" } as const;

/**
 * Gives the task what its surface reads from the platform before it runs (SurfaceAdapter.prepare), stored in
 * the task's context so the executor, the task page and the reply see the same thing. A platform that cannot
 * be read now is a failure to start (retried with backoff when the platform said to try again); one that
 * refused for good ends the task with its answer.
 */
export async function prepareTask(deps: Deps, task: Task, owner: string): Promise<Task> {
  if (task.origin.surface === "api") return task;
  const surface = deps.surfaces[task.origin.surface];
  if (!surface.prepare) return task;
  let added: Record<string, unknown> | undefined;
  try {
    added = await surface.prepare(deps, task);
  } catch (error) {
    const retry = !(error instanceof OutboundError) || error.retryable;
    throw new ExecutorError(
      `What the task needs could not be read from ${platformNames[task.origin.surface]}: ${(error as Error).message}`,
      retry,
      { cause: error },
    );
  }
  if (!added || Object.keys(added).length === 0) return task;
  const context = { ...task.context, ...added };
  if (!(await saveTaskContext(deps.database, task.id, owner, context))) throw new LeaseLost(task.id, owner);
  return { ...task, context };
}
