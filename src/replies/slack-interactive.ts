import type { EnvironmentOption } from "../routing/mention";
import { escapeMrkdwn } from "./markdown-slack";
import {
  type ActionsBlock,
  type ButtonElement,
  clipText,
  mrkdwn,
  plainText,
  SLACK_LIMITS,
  type SlackBlock,
  type SlackEphemeralMessage,
} from "./slack-types";

// Buttons people press in Slack: the environment picker, confirming a write an app requires confirming, and
// cancelling a task. Each action id says what the button does and to what (`codex:<verb>:<ref>`), so the
// interactions route can act on `actions[0].action_id` alone; `value` carries the pending request.
// https://api.slack.com/reference/block-kit/block-elements#button

export const ACTION_VERBS = ["env", "confirm", "decline", "cancel-task"] as const;
export type ActionVerb = (typeof ACTION_VERBS)[number];

export interface ParsedAction {
  verb: ActionVerb;
  /** Environment id, confirmation id or task id. */
  ref: string;
}

export function actionId(verb: ActionVerb, ref: string): string {
  const id = `codex:${verb}:${ref}`;
  if (!ref || id.length > SLACK_LIMITS.actionId)
    throw new RangeError(`action id reference is empty or too long: ${ref}`);
  return id;
}

/** Reads an action id made by `actionId`; null for anything else. */
export function parseActionId(id: string): ParsedAction | null {
  const match = /^codex:([a-z-]+):(.+)$/.exec(id);
  const verb = match?.[1] as ActionVerb | undefined;
  if (!match?.[2] || !verb || !ACTION_VERBS.includes(verb)) return null;
  return { verb, ref: match[2] };
}

/** The action ids `actionId(verb, …)` makes, for routing a press by what its button does. */
export function actionIdPattern(verb: ActionVerb): RegExp {
  return new RegExp(`^codex:${verb}:.+$`);
}

/** Slack allows 25 buttons per actions block; five per row keeps the picker readable on phones. */
export const BUTTONS_PER_ROW = 5;
export const PICKER_MAX_OPTIONS = 25;

function rows(buttons: ButtonElement[]): ActionsBlock[] {
  const out: ActionsBlock[] = [];
  for (let i = 0; i < buttons.length; i += BUTTONS_PER_ROW) {
    out.push({ type: "actions", elements: buttons.slice(i, i + BUTTONS_PER_ROW) });
  }
  return out;
}

export interface EnvironmentPickerInput {
  /** The pending request the choice belongs to (the stored mention), sent back as each button's `value`. */
  requestRef: string;
  /** Only environments the member may use. */
  options: readonly EnvironmentOption[];
  message?: string;
}

/** Ephemeral: "which environment?", one button per environment, at most 25, the rest named and reachable. */
export function renderEnvironmentPicker(input: EnvironmentPickerInput): SlackEphemeralMessage {
  const message = input.message ?? "Which environment should I use?";
  const shown = input.options.slice(0, PICKER_MAX_OPTIONS);
  const buttons = shown.map(
    (env): ButtonElement => ({
      type: "button",
      text: plainText(env.name, SLACK_LIMITS.buttonText),
      action_id: actionId("env", env.id),
      value: input.requestRef,
    }),
  );
  const blocks: SlackBlock[] = [
    { type: "section", text: mrkdwn(clipText(escapeMrkdwn(message), SLACK_LIMITS.sectionText)) },
    ...rows(buttons),
  ];
  const hidden = input.options.length - shown.length;
  if (hidden > 0) {
    blocks.push({
      type: "context",
      elements: [
        mrkdwn(
          `${hidden} more ${hidden === 1 ? "environment is" : "environments are"} not shown: mention me again with \`env:<name>\` to use one of them.`,
        ),
      ],
    });
  }
  const names = shown.map((e) => e.name).join(", ");
  return {
    response_type: "ephemeral",
    text: clipText(`${message} ${names}`, SLACK_LIMITS.messageText),
    blocks,
  };
}

export interface ConfirmPromptInput {
  /** The pending write this confirms. */
  confirmRef: string;
  appName: string;
  /** What will be written, e.g. "open a pull request on acme/api". */
  summary: string;
}

/** Ephemeral: an app requires confirmation before it writes. */
export function renderConfirmPrompt(input: ConfirmPromptInput): SlackEphemeralMessage {
  const text = `⚠️ *${escapeMrkdwn(input.appName)}* asks you to confirm before it writes: ${escapeMrkdwn(input.summary)}`;
  return {
    response_type: "ephemeral",
    text: clipText(`${input.appName} asks you to confirm: ${input.summary}`, SLACK_LIMITS.messageText),
    blocks: [
      { type: "section", text: mrkdwn(clipText(text, SLACK_LIMITS.sectionText)) },
      {
        type: "actions",
        elements: [
          {
            type: "button",
            text: plainText("Confirm", SLACK_LIMITS.buttonText),
            action_id: actionId("confirm", input.confirmRef),
            value: input.confirmRef,
            style: "primary",
          },
          {
            type: "button",
            text: plainText("Don't do it", SLACK_LIMITS.buttonText),
            action_id: actionId("decline", input.confirmRef),
            value: input.confirmRef,
          },
        ],
      },
    ],
  };
}

/** A "Cancel task" button, with Slack's own are-you-sure dialog. */
export function renderCancelTaskButton(taskId: string): ButtonElement {
  return {
    type: "button",
    text: plainText("Cancel task", SLACK_LIMITS.buttonText),
    action_id: actionId("cancel-task", taskId),
    value: taskId,
    style: "danger",
    confirm: {
      title: plainText("Cancel this task?", SLACK_LIMITS.confirmTitle),
      text: plainText(
        "Codex stops working on it. The person who asked, workspace owners and Codex Admins can cancel.",
        SLACK_LIMITS.confirmText,
      ),
      confirm: plainText("Cancel task", SLACK_LIMITS.confirmButton),
      deny: plainText("Keep going", SLACK_LIMITS.confirmButton),
    },
  };
}

/** Ephemeral answer to someone pressing a button that belongs to another person's request. */
export function renderNotYourButton(): SlackEphemeralMessage {
  const text = "Only the person who asked can use these buttons. Mention me yourself to start your own task.";
  return { response_type: "ephemeral", text, blocks: [{ type: "section", text: mrkdwn(text) }] };
}

/**
 * Ephemeral answer to someone who may not cancel a task: who can (the requester, named when known, and the
 * workspace's owners and Codex Admins), so they know whom to ask.
 */
export function renderCancelRefused(requesterUserId: string | null): SlackEphemeralMessage {
  const who = requesterUserId ? `<@${requesterUserId}>, who asked for it,` : "the person who asked for it";
  const text = `Only ${who} or a workspace owner or Codex Admin can cancel this task.`;
  return { response_type: "ephemeral", text, blocks: [{ type: "section", text: mrkdwn(text) }] };
}
