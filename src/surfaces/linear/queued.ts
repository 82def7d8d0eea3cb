import { agentActivityCreate, commentCreate } from "../../clients/linear/calls";
import type { OutboundRequest } from "../../clients/types";
import type { Deps, QueuedContext } from "../../deps";
import { renderLinearThought } from "../../replies/linear-activity";
import { renderMarkdownQueued } from "../../replies/queued";
import { type Standing, standingKey } from "../../tasks/standing";
import type { Task } from "../../tasks/types";
import { linearObjectId, rememberOwn } from "./own-objects";

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
  // An id of our own, remembered before sending, so the webhook about this notice is known as ours.
  const id = await linearObjectId(`queued:${task.id}:${standingKey(standing)}`);
  const target = { organizationId: origin.organizationId };
  if (origin.agentSessionId) {
    await rememberOwn(deps, "activity", id);
    return [
      agentActivityCreate(target, {
        id,
        agentSessionId: origin.agentSessionId,
        content: renderLinearThought(body),
      }),
    ];
  }
  if (!origin.issueId) return [];
  await rememberOwn(deps, "comment", id);
  return [
    commentCreate(target, { id, issueId: origin.issueId, body, parentId: origin.commentId ?? undefined }),
  ];
}
