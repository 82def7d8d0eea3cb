import type { OutboundRequest } from "../../clients/types";
import type { Deps, ReplyContext } from "../../deps";
import { replyMode, type TaskOutcome } from "../../replies/completion";
import { renderLinearComment, renderLinearOutcome } from "../../replies/linear-activity";
import type { Task } from "../../tasks/types";
import { messageWhereAsked } from "./outbound";

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
  if (!origin.agentSessionId && !origin.issueId) {
    deps.logger.warn(
      { taskId: task.id },
      "Linear task has neither agent session nor issue: no reply possible",
    );
    return [];
  }
  // The same id on every call, so a repeated notification names the same object.
  return messageWhereAsked(deps, origin, `reply:${task.id}`, {
    activity: () => renderLinearOutcome(input),
    comment: () => renderLinearComment({ ...input, title: task.title }),
  });
}
