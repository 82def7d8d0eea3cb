import type { Deps } from "../../deps";
import {
  type LinearActivityContent,
  renderLinearAction,
  renderLinearThought,
} from "../../replies/linear-activity";
import type { ProgressNotice, TaskProgressEvent } from "../../tasks/types";
import { activityCall, queue } from "./outbound";
import { takeProgressSlot } from "./store";

// Executor progress shown in the Linear agent session that asked: commands and file edits as `action`
// activities, the agent's reasoning and status lines as `thought`s. Throttled, so a busy agent cannot flood the
// session (everything stays on the task page); the task's end is always one `response` or `error`
// (notify/finish.ts).

/** At most one progress activity this often per session… */
export const PROGRESS_INTERVAL_MS = 5_000;
/** …and this many per task. */
export const PROGRESS_MAX_PER_TASK = 30;

const strip = (text: string, prefix: RegExp) => text.replace(prefix, "").trim();

/** The activity an executor progress event becomes. */
export function progressContent(event: Pick<TaskProgressEvent, "type" | "text">): LinearActivityContent {
  switch (event.type) {
    case "command":
      return renderLinearAction({ action: "Ran", parameter: strip(event.text, /^\$\s*/) });
    case "file_change":
      return renderLinearAction({ action: "Edited", parameter: strip(event.text, /^changed\s+/i) });
    case "tool":
      return renderLinearAction({ action: "Called", parameter: event.text });
    case "web_search":
      return renderLinearAction({ action: "Searched the web", parameter: event.text });
    case "error":
      // An `error` activity would end the session; the task may still recover, so it is a thought.
      return renderLinearThought(`Ran into a problem: ${event.text}`);
    default:
      return renderLinearThought(event.text);
  }
}

/** The progress listener (src/tasks/progress-listeners.ts) of the Linear surface. */
export async function linearProgress(deps: Deps, notice: ProgressNotice): Promise<void> {
  const { origin } = notice;
  if (origin.surface !== "linear" || !origin.agentSessionId) return;
  const slot = await takeProgressSlot(deps, {
    sessionId: origin.agentSessionId,
    taskId: notice.taskId,
    intervalMs: PROGRESS_INTERVAL_MS,
    max: PROGRESS_MAX_PER_TASK,
  });
  if (slot === null) return;
  await queue(
    deps,
    await activityCall(
      origin.organizationId,
      origin.agentSessionId,
      progressContent(notice.event),
      `progress:${notice.taskId}:${slot}`,
      notice.taskId,
    ),
  );
}
