import { escapeMrkdwn } from "./markdown-slack";
import {
  clipText,
  mrkdwn,
  plainText,
  SLACK_LIMITS,
  type SlackBlock,
  type SlackEphemeralMessage,
} from "./slack-types";

// Denials: said only to the person who asked (the thread's status message is in slack-status.ts).

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
