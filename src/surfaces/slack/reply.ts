import type { OutboundRequest } from "../../clients/types";
import type { Deps, ReplyContext } from "../../deps";
import { replyMode, type TaskOutcome } from "../../replies/completion";
import { renderSlackAnswer } from "../../replies/slack-blocks";
import type { Task } from "../../tasks/types";
import { postInTaskThread } from "./outbound";

/** A finished task's answer in the Slack thread that asked: the full answer or a link, by the switches. */
export async function replyInSlack(
  _deps: Deps,
  task: Task,
  context: ReplyContext,
): Promise<OutboundRequest[]> {
  const origin = task.origin;
  if (origin.surface !== "slack") return [];
  const mode = replyMode({
    surface: "slack",
    toggles: context.toggles,
    externallyShared: origin.externallyShared,
  });
  const message = renderSlackAnswer({
    answer: task.answer,
    taskUrl: context.taskUrl,
    prUrl: task.prUrl,
    status: task.status as TaskOutcome,
    title: task.title,
    mode,
    failure: task.error ? { what: task.error } : undefined,
  });
  return [postInTaskThread(origin, message)];
}
