import type { Deps } from "../deps";
import type { ProgressNotice, Task } from "./types";

/**
 * Shows a kept progress event where the task was asked, through that platform's surface (Linear agent sessions
 * show thoughts and actions). Only progress that was kept gets here (a finished task's late events are dropped
 * first), and a failing surface never loses the event itself: it is logged, and the task page still shows it.
 */
export async function announceProgress(deps: Deps, notice: ProgressNotice): Promise<void> {
  if (notice.origin.surface === "api") return;
  const surface = deps.surfaces[notice.origin.surface];
  if (!surface.progress) return;
  try {
    await surface.progress(deps, notice);
  } catch (error) {
    deps.logger.warn(
      { taskId: notice.taskId, error: (error as Error).message },
      "showing progress on the task's surface failed; the event is still recorded",
    );
  }
}

/** Tells the task's surface that a runner started it (GitHub: the check run goes in progress). */
export async function announceStarted(deps: Deps, task: Task): Promise<void> {
  if (task.origin.surface === "api") return;
  const surface = deps.surfaces[task.origin.surface];
  if (!surface.started) return;
  try {
    await surface.started(deps, task);
  } catch (error) {
    deps.logger.warn(
      { taskId: task.id, error: (error as Error).message },
      "showing the task's start on its surface failed; the task runs on",
    );
  }
}
