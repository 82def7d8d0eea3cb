import type { OutboundRequest } from "../../clients/types";
import type { Deps, QueuedContext } from "../../deps";
import { renderSlackQueued } from "../../replies/queued";
import type { Standing } from "../../tasks/standing";
import type { Task } from "../../tasks/types";
import { postInTaskThread } from "./outbound";

/** A task that waits for a limit, told in the Slack thread that asked for it. */
export async function queuedInSlack(
  _deps: Deps,
  task: Task,
  standing: Standing,
  context: QueuedContext,
): Promise<OutboundRequest[]> {
  const origin = task.origin;
  if (origin.surface !== "slack") return [];
  const message = renderSlackQueued(standing, context.taskUrl);
  return [postInTaskThread(origin, message)];
}
