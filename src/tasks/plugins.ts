import { z } from "zod";
import { NO_PLUGINS, pluginsForTask, type TaskPlugins } from "../access/task-plugins";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { getSnapshot } from "../workspace/snapshot";
import type { Task } from "./types";

// The plugins a task got, stored on the task when it is created (`context.plugins`) so that what reached the
// agent, and what was left out and why, can be explained later from the task alone: the task page shows it and
// every executor hands the same skills to its agent (executors/skill-files.ts).

export const PLUGINS_CONTEXT_KEY = "plugins";

const taskPluginsSchema = z.object({
  installed: z.array(
    z.object({ id: z.string(), name: z.string(), skills: z.array(z.string()), roleId: z.string() }),
  ),
  leftOut: z.array(
    z.object({ id: z.string(), name: z.string(), reason: z.string(), appIds: z.array(z.string()) }),
  ),
});

/** What the requester's roles install for a task, resolved from the workspace's current access data. */
export async function resolveTaskPlugins(
  deps: Pick<Deps, "database"> & Partial<Pick<Deps, "caches">>,
  workspaceId: string,
  memberId: string,
): Promise<TaskPlugins> {
  try {
    return pluginsForTask(await getSnapshot(deps, workspaceId), memberId);
  } catch (error) {
    // A task of a workspace that is gone gets no plugins; it fails later for that reason, said in words.
    if (error instanceof AppError && error.code === "not_found") return { installed: [], leftOut: [] };
    throw error;
  }
}

/** The plugins stored on a task; none for tasks created before plugins reached tasks (or erased). */
export function taskPlugins(task: Pick<Task, "context">): TaskPlugins {
  const parsed = taskPluginsSchema.safeParse(task.context[PLUGINS_CONTEXT_KEY]);
  return parsed.success ? parsed.data : NO_PLUGINS;
}
