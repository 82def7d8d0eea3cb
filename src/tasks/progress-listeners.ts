import type { Deps } from "../deps";
import type { TaskOrigin, TaskProgressEvent } from "./types";

/**
 * Who else hears about a task's progress besides the task page: a surface that shows work as it happens
 * (Linear agent sessions show thoughts and actions) registers a listener once, at start-up. Listeners are told
 * only about progress that was kept (a finished task's late events are dropped before they get here), and a
 * failing listener never loses the event itself: it is logged and the next listener runs.
 */

export interface ProgressNotice {
  taskId: string;
  origin: TaskOrigin;
  event: TaskProgressEvent;
}

export type ProgressListener = (deps: Deps, notice: ProgressNotice) => Promise<void>;

// A set of functions fixed by the code that is loaded, like the surface handler table: it holds no state of
// any one hub, which each listener receives as `deps`.
const listeners = new Set<ProgressListener>();

/** Registers a listener (registering the same function twice keeps one); returns how to remove it. */
export function addProgressListener(listener: ProgressListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Tells every listener, one after the other, so their side effects keep the order of the events. */
export async function announceProgress(deps: Deps, notice: ProgressNotice): Promise<void> {
  for (const listener of listeners) {
    try {
      await listener(deps, notice);
    } catch (error) {
      deps.logger.warn(
        { taskId: notice.taskId, error: (error as Error).message },
        "a progress listener failed; the event is still recorded",
      );
    }
  }
}
