import { escapeMrkdwn, slackLink } from "./markdown-slack";
import { renderCancelTaskButton } from "./slack-interactive";
import {
  clipText,
  mrkdwn,
  plainText,
  SLACK_LIMITS,
  type SlackBlock,
  type SlackEphemeralMessage,
  type SlackMessage,
} from "./slack-types";

// Short messages around a task: "working on it" in the thread, and denials only the person sees.

export interface WorkingMessageInput {
  taskId: string;
  taskUrl: string;
  environmentName?: string;
  /** Offer a "Cancel task" button (only the requester's press is honoured). */
  cancellable?: boolean;
}

/** The thread reply posted as soon as a task starts. */
export function renderWorkingMessage(input: WorkingMessageInput): SlackMessage {
  const where = input.environmentName ? ` in *${escapeMrkdwn(input.environmentName)}*` : "";
  const text = `👀 Working on it${where}. Follow along on the ${slackLink(input.taskUrl, "task page")}.`;
  const blocks: SlackBlock[] = [{ type: "section", text: mrkdwn(clipText(text, SLACK_LIMITS.sectionText)) }];
  if (input.cancellable) blocks.push({ type: "actions", elements: [renderCancelTaskButton(input.taskId)] });
  return { text, blocks };
}

export interface DenialInput {
  /** Why the request was refused, in plain words. */
  reason: string;
  /** What the person can do next: connect GitHub, ask an admin, pick another environment... */
  nextStep: string;
  /** A link that performs the next step, e.g. connecting GitHub. */
  link?: { url: string; label: string };
}

/** A refusal shown only to the person who asked, never in the channel. */
export function renderDenial(input: DenialInput): SlackEphemeralMessage {
  const text = `🚫 ${escapeMrkdwn(input.reason)}\n*Next step:* ${escapeMrkdwn(input.nextStep)}`;
  const blocks: SlackBlock[] = [{ type: "section", text: mrkdwn(clipText(text, SLACK_LIMITS.sectionText)) }];
  if (input.link) {
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          text: plainText(input.link.label, SLACK_LIMITS.buttonText),
          // Link buttons still send an interaction; the id lets the route acknowledge it and do nothing.
          action_id: "codex:link",
          url: input.link.url,
          style: "primary",
        },
      ],
    });
  }
  const fallback = `${input.reason} Next step: ${input.nextStep}${input.link ? ` ${input.link.url}` : ""}`;
  return { response_type: "ephemeral", text: clipText(fallback, SLACK_LIMITS.messageText), blocks };
}
