import { agentActivityCreate, commentCreate } from "../../clients/linear/calls";
import type { OutboundRequest } from "../../clients/types";
import type { Deps, ReplyContext } from "../../deps";
import { replyMode, type TaskOutcome } from "../../replies/completion";
import { renderLinearComment, renderLinearOutcome } from "../../replies/linear-activity";
import type { Task } from "../../tasks/types";
import { linearObjectId, rememberOwn } from "./own-objects";

/**
 * A finished task's answer where it was asked in Linear: the agent session's closing activity, or a comment
 * on the issue for tasks started by a comment mention.
 */
export async function replyInLinear(
  deps: Deps,
  task: Task,
  context: ReplyContext,
): Promise<OutboundRequest[]> {
  const origin = task.origin;
  if (origin.surface !== "linear") return [];
  const mode = replyMode({ surface: "linear", toggles: context.toggles });
  const input = {
    status: task.status as TaskOutcome,
    answer: task.answer,
    taskUrl: context.taskUrl,
    prUrl: task.prUrl,
    mode,
    failure: task.error ? { what: task.error } : undefined,
  };
  // An id of our own, remembered before sending, so the webhook about this reply is known as ours; the same
  // id on every call, so a repeated notification names the same object.
  const id = await linearObjectId(`reply:${task.id}`);
  const target = { organizationId: origin.organizationId };
  if (origin.agentSessionId) {
    await rememberOwn(deps, "activity", id);
    return [
      agentActivityCreate(target, {
        id,
        agentSessionId: origin.agentSessionId,
        content: renderLinearOutcome(input),
      }),
    ];
  }
  if (!origin.issueId) {
    deps.logger.warn(
      { taskId: task.id },
      "Linear task has neither agent session nor issue: no reply possible",
    );
    return [];
  }
  const body = renderLinearComment({ ...input, title: task.title });
  await rememberOwn(deps, "comment", id);
  return [
    commentCreate(target, { id, issueId: origin.issueId, body, parentId: origin.commentId ?? undefined }),
  ];
}
