import { OUTCOME_LABELS, oneLineTitle, type ReplyMode, type TaskOutcome } from "./completion";
import { escapeMrkdwn, MRKDWN_PROTECT, markdownToMrkdwn, slackLink } from "./markdown-slack";
import { mrkdwn, type SectionBlock, SLACK_LIMITS, type SlackBlock, type SlackMessage } from "./slack-types";
import { splitText, splitTextParts } from "./split";

// The reply in the Slack thread when a task ends: the answer (or only its link), the PR link, and for a failure
// what failed and what the person can do. Long answers become several sections; what does not fit in one message
// is named, with the link to the rest, never cut silently.

export interface TaskFailure {
  /** What failed, in words the person understands. */
  what: string;
  /** What they can do about it. */
  nextStep?: string;
}

export interface SlackAnswerInput {
  /** The final answer, Markdown. */
  answer?: string | null;
  taskUrl: string;
  prUrl?: string | null;
  status: TaskOutcome;
  title: string;
  mode: ReplyMode;
  failure?: TaskFailure;
}

export const DEFAULT_NEXT_STEP =
  "Open the task page for the details, then try again, or ask a Codex Admin if it keeps failing.";

function section(text: string): SectionBlock {
  return { type: "section", text: mrkdwn(text) };
}

/** Trims the newlines a split leaves at the edges; spaces stay, they may be code indentation. */
function trimNewlines(text: string): string {
  return text.replace(/^\n+|\n+$/g, "");
}

function linksLine(taskUrl: string, prUrl?: string | null): string {
  const links = [slackLink(taskUrl, "View the task")];
  if (prUrl) links.unshift(slackLink(prUrl, "Open the pull request"));
  return `🔗 ${links.join(" · ")}`;
}

function answerBlocks(
  answer: string,
  taskUrl: string,
  room: number,
): { blocks: SectionBlock[]; shown: string } {
  const text = markdownToMrkdwn(answer).trim();
  if (!text) return { blocks: [section("_Codex finished without a written answer._")], shown: "" };
  const parts = splitTextParts(text, SLACK_LIMITS.sectionText, { protect: MRKDWN_PROTECT }).filter(
    (p) => trimNewlines(p.text).trim() !== "",
  );
  if (parts.length <= room) {
    return { blocks: parts.map((p) => section(trimNewlines(p.text))), shown: text };
  }
  const kept = parts.slice(0, room - 1);
  const last = kept[kept.length - 1];
  const rest = text.length - (last?.end ?? 0);
  const note = `_The answer is too long for Slack: ${rest.toLocaleString("en-US")} more characters are on the ${slackLink(taskUrl, "task page")}._`;
  return {
    blocks: [...kept.map((p) => section(trimNewlines(p.text))), section(note)],
    shown: kept.map((p) => p.text).join(""),
  };
}

function failureText(input: SlackAnswerInput): string {
  if (input.status === "cancelled") {
    const why = input.failure?.what ? ` ${escapeMrkdwn(input.failure.what)}` : "";
    return `The task was cancelled before it finished.${why}`;
  }
  const what = input.failure?.what ?? "Codex could not finish this task.";
  const next = input.failure?.nextStep ?? DEFAULT_NEXT_STEP;
  return `*What failed:* ${escapeMrkdwn(what)}\n*What you can do:* ${escapeMrkdwn(next)}`;
}

/** Cuts the fallback text to Slack's limit, saying so and pointing to the task page. */
function capFallback(text: string, taskUrl: string): string {
  if (text.length <= SLACK_LIMITS.messageText) return text;
  const note = `\n\n_Truncated: the full answer is on the task page: ${slackLink(taskUrl)}_`;
  const [head = ""] = splitText(text, SLACK_LIMITS.messageText - note.length, { protect: MRKDWN_PROTECT });
  return head.replace(/\n+$/, "") + note;
}

/** The message that ends a task's thread: `{ text, blocks }` for chat.postMessage. */
export function renderSlackAnswer(input: SlackAnswerInput): SlackMessage {
  const { icon, word } = OUTCOME_LABELS[input.status];
  const title = oneLineTitle(input.title, 200);
  const heading = `${icon} *${word}:* ${escapeMrkdwn(title)}`;
  const links = linksLine(input.taskUrl, input.prUrl);
  const blocks: SlackBlock[] = [section(heading)];
  let body = "";
  if (input.status !== "completed") {
    body = failureText(input);
    blocks.push(section(body));
  } else if (input.mode === "full") {
    // Heading and links take two of Slack's 50 blocks.
    const answer = answerBlocks(input.answer ?? "", input.taskUrl, SLACK_LIMITS.blocks - 2);
    blocks.push(...answer.blocks);
    body = answer.shown || "Codex finished without a written answer.";
  } else {
    body = `The answer is on the ${slackLink(input.taskUrl, "task page")}.`;
    blocks.push(section(body));
  }
  blocks.push(section(links));
  return { text: capFallback(`${heading}\n\n${body}\n\n${links}`, input.taskUrl), blocks };
}
