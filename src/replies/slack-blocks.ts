import { OUTCOME_LABELS, oneLineTitle, type ReplyMode, type TaskOutcome } from "./completion";
import { escapeMrkdwn, MRKDWN_PROTECT, markdownToMrkdwn, slackLink } from "./markdown-slack";
import { gistOf, plainLine } from "./slack-plain";
import {
  clipText,
  mrkdwn,
  type SectionBlock,
  SLACK_LIMITS,
  type SlackBlock,
  type SlackMessage,
} from "./slack-types";
import { splitTextParts } from "./split";

// The reply in the Slack thread when a task ends: the answer (or only its link), the PR link, and for a failure
// what failed and what the person can do. Each link once: none is repeated that the body already holds. Long
// answers become several sections; what does not fit in one message is named, with the link to the rest, never
// cut silently. The `text` is for notification previews: outcome and gist first, in plain words.

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

/** The links not already in the body (an answer that is only the PR link, a note that links the task page). */
function linksLine(taskUrl: string, prUrl: string | null | undefined, body: string): string {
  const links: string[] = [];
  if (prUrl && !body.includes(prUrl)) links.push(slackLink(prUrl, "Open the pull request"));
  if (!body.includes(taskUrl)) links.push(slackLink(taskUrl, "View the task"));
  return links.length > 0 ? `🔗 ${links.join(" · ")}` : "";
}

function answerBlocks(answer: string, taskUrl: string, room: number): SectionBlock[] {
  const text = markdownToMrkdwn(answer).trim();
  if (!text) return [section("_Codex finished without a written answer._")];
  const parts = splitTextParts(text, SLACK_LIMITS.sectionText, { protect: MRKDWN_PROTECT }).filter(
    (p) => trimNewlines(p.text).trim() !== "",
  );
  if (parts.length <= room) return parts.map((p) => section(trimNewlines(p.text)));
  const kept = parts.slice(0, room - 1);
  const last = kept[kept.length - 1];
  const rest = text.length - (last?.end ?? 0);
  const note = `_The answer is too long for Slack: ${rest.toLocaleString("en-US")} more characters are on the ${slackLink(taskUrl, "task page")}._`;
  return [...kept.map((p) => section(trimNewlines(p.text))), section(note)];
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

/**
 * The `text` a notification shows: outcome and title, then the gist in plain words, then each link once as a
 * bare URL. https://api.slack.com/methods/chat.postMessage#text_usage
 */
function fallbackText(input: SlackAnswerInput, gist: string): string {
  const { icon, word } = OUTCOME_LABELS[input.status];
  const lines = [`${icon} ${word}: ${plainLine(input.title, 200) || "Untitled task"}`];
  if (gist) lines.push(gist);
  if (input.prUrl && !gist.includes(input.prUrl)) lines.push(`Pull request: ${input.prUrl}`);
  if (!gist.includes(input.taskUrl)) lines.push(`Task: ${input.taskUrl}`);
  return clipText(lines.join("\n"), SLACK_LIMITS.messageText);
}

/** The message that ends a task's thread: `{ text, blocks }` for chat.postMessage. */
export function renderSlackAnswer(input: SlackAnswerInput): SlackMessage {
  const { icon, word } = OUTCOME_LABELS[input.status];
  const title = oneLineTitle(input.title, 200);
  const heading = `${icon} *${word}:* ${escapeMrkdwn(title)}`;
  const blocks: SlackBlock[] = [section(heading)];
  let shown: string;
  let gist: string;
  if (input.status !== "completed") {
    shown = clipText(failureText(input), SLACK_LIMITS.sectionText);
    blocks.push(section(shown));
    gist =
      input.status === "cancelled"
        ? "The task was cancelled before it finished."
        : `What failed: ${plainLine(input.failure?.what ?? "Codex could not finish this task.", 300)}`;
  } else if (input.mode === "full") {
    // Heading and links take two of Slack's 50 blocks.
    const answer = answerBlocks(input.answer ?? "", input.taskUrl, SLACK_LIMITS.blocks - 2);
    blocks.push(...answer);
    shown = answer.map((b) => b.text.text).join("\n");
    gist = gistOf(input.answer ?? "") || "Codex finished without a written answer.";
  } else {
    shown = `The answer is on the ${slackLink(input.taskUrl, "task page")}.`;
    blocks.push(section(shown));
    gist = `The answer is on the task page: ${input.taskUrl}`;
  }
  const links = linksLine(input.taskUrl, input.prUrl, shown);
  if (links) blocks.push(section(links));
  return { text: fallbackText(input, gist), blocks };
}
