import { postMessage } from "../../clients/slack/calls";
import type { OutboundRequest } from "../../clients/types";
import type { Deps, ReplyContext } from "../../deps";
import { replyMode, type TaskOutcome } from "../../replies/completion";
import { renderSlackAnswer } from "../../replies/slack-blocks";
import type { Task } from "../../tasks/types";

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
  return [
    // The team names whose bot token posts it when the hub serves several Slack teams.
    postMessage(
      { teamId: origin.teamId },
      {
        channel: origin.channel,
        thread_ts: origin.threadTs,
        text: message.text,
        blocks: message.blocks,
        unfurl_links: false,
        unfurl_media: false,
      },
    ),
  ];
}
