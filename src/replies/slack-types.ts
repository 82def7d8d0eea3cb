// The subset of Block Kit the hub posts, and Slack's limits for it, checked before anything is sent.
// https://api.slack.com/reference/block-kit/blocks  https://api.slack.com/methods/chat.postMessage

export const SLACK_LIMITS = {
  /** `text` of a section block. */
  sectionText: 3000,
  /** Text of a context element. */
  contextText: 3000,
  contextElements: 10,
  /** Blocks per message. */
  blocks: 50,
  /** Top-level `text` of chat.postMessage; Slack truncates beyond this. */
  messageText: 40_000,
  actionsElements: 25,
  buttonText: 75,
  actionId: 255,
  buttonValue: 2000,
  buttonUrl: 3000,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
} as const;

export interface MrkdwnText {
  type: "mrkdwn";
  text: string;
}

export interface PlainText {
  type: "plain_text";
  text: string;
  emoji?: boolean;
}

export interface ConfirmDialog {
  title: PlainText;
  text: PlainText;
  confirm: PlainText;
  deny: PlainText;
  style?: "primary" | "danger";
}

export interface ButtonElement {
  type: "button";
  text: PlainText;
  action_id: string;
  value?: string;
  url?: string;
  style?: "primary" | "danger";
  confirm?: ConfirmDialog;
}

export interface SectionBlock {
  type: "section";
  text: MrkdwnText | PlainText;
}

export interface ContextBlock {
  type: "context";
  elements: Array<MrkdwnText | PlainText>;
}

export interface ActionsBlock {
  type: "actions";
  elements: ButtonElement[];
}

export interface DividerBlock {
  type: "divider";
}

export type SlackBlock = SectionBlock | ContextBlock | ActionsBlock | DividerBlock;

/** What chat.postMessage / chat.postEphemeral / a `response_url` post takes, minus the channel and thread. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** A message only the person who asked sees (`response_url` reads `response_type`; chat.postEphemeral ignores it). */
export interface SlackEphemeralMessage extends SlackMessage {
  response_type: "ephemeral";
}

export function mrkdwn(text: string): MrkdwnText {
  return { type: "mrkdwn", text };
}

/** Text cut to `max` characters with a visible ellipsis (for short texts; answers are split, not clipped). */
export function clipText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Plain text cut to `max` characters with a visible ellipsis. */
export function plainText(text: string, max: number): PlainText {
  const flat = text.replace(/\s+/g, " ").trim();
  return { type: "plain_text", text: clipText(flat, max), emoji: true };
}

function checkText(problems: string[], where: string, text: { text: string } | undefined, max: number): void {
  if (!text || text.text.trim() === "") problems.push(`${where}: empty text`);
  else if (text.text.length > max)
    problems.push(`${where}: text is ${text.text.length} characters (max ${max})`);
}

function checkButton(problems: string[], where: string, button: ButtonElement, seen: Set<string>): void {
  checkText(problems, `${where} text`, button.text, SLACK_LIMITS.buttonText);
  if (!button.action_id || button.action_id.length > SLACK_LIMITS.actionId)
    problems.push(`${where}: bad action_id`);
  if (seen.has(button.action_id)) problems.push(`${where}: duplicate action_id ${button.action_id}`);
  seen.add(button.action_id);
  if ((button.value?.length ?? 0) > SLACK_LIMITS.buttonValue) problems.push(`${where}: value too long`);
  if ((button.url?.length ?? 0) > SLACK_LIMITS.buttonUrl) problems.push(`${where}: url too long`);
  const dialog = button.confirm;
  if (dialog) {
    checkText(problems, `${where} confirm title`, dialog.title, SLACK_LIMITS.confirmTitle);
    checkText(problems, `${where} confirm text`, dialog.text, SLACK_LIMITS.confirmText);
    checkText(problems, `${where} confirm button`, dialog.confirm, SLACK_LIMITS.confirmButton);
    checkText(problems, `${where} deny button`, dialog.deny, SLACK_LIMITS.confirmButton);
  }
}

/** Everything in a message that Slack would reject (`invalid_blocks`, `msg_too_long`); empty when it is valid. */
export function validateSlackMessage(message: SlackMessage): string[] {
  const problems: string[] = [];
  if (message.text.trim() === "") problems.push("text: empty fallback text");
  if (message.text.length > SLACK_LIMITS.messageText)
    problems.push(`text: ${message.text.length} characters`);
  if (message.blocks.length > SLACK_LIMITS.blocks) problems.push(`blocks: ${message.blocks.length} blocks`);
  const seen = new Set<string>();
  message.blocks.forEach((block, i) => {
    const where = `blocks[${i}] (${block.type})`;
    if (block.type === "section") checkText(problems, where, block.text, SLACK_LIMITS.sectionText);
    if (block.type === "context") {
      if (block.elements.length === 0 || block.elements.length > SLACK_LIMITS.contextElements) {
        problems.push(`${where}: ${block.elements.length} elements`);
      }
      block.elements.forEach((el, j) => {
        checkText(problems, `${where}[${j}]`, el, SLACK_LIMITS.contextText);
      });
    }
    if (block.type === "actions") {
      if (block.elements.length === 0 || block.elements.length > SLACK_LIMITS.actionsElements) {
        problems.push(`${where}: ${block.elements.length} elements`);
      }
      block.elements.forEach((el, j) => {
        checkButton(problems, `${where}[${j}]`, el, seen);
      });
    }
  });
  return problems;
}
