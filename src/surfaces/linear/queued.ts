import type { OutboundRequest } from "../../clients/types";
import type { Deps, QueuedContext } from "../../deps";
import { renderLinearThought } from "../../replies/linear-activity";
import { renderMarkdownQueued } from "../../replies/queued";
import { type Standing, standingKey } from "../../tasks/standing";
import type { Task } from "../../tasks/types";
import { messageWhereAsked } from "./outbound";

/**
 * A task that waits for a limit, told where it was asked in Linear: a thought in the agent session (the
 * session stays active; its answer comes when the task ends), or a reply to the comment that asked.
 */
export async function queuedInLinear(
  deps: Deps,
  task: Task,
  standing: Standing,
  context: QueuedContext,
): Promise<OutboundRequest[]> {
  const origin = task.origin;
  if (origin.surface !== "linear") return [];
  const body = renderMarkdownQueued(standing, context.taskUrl);
  return messageWhereAsked(deps, origin, `queued:${task.id}:${standingKey(standing)}`, {
    activity: () => renderLinearThought(body),
    comment: () => body,
  });
}
