import type { EnvironmentOption } from "../routing/mention";
import { OUTCOME_LABELS, oneLineTitle, type ReplyMode, type TaskOutcome } from "./completion";
import { capMarkdown, escapeMarkdown, LINEAR_BODY_LIMIT, markdownLink } from "./linear-body";

// Content of Linear agent activities (`createAgentActivity({ agentSessionId, content })`) and of plain comment
// replies. Linear derives the session's state from them: a `thought` first, `action`s while working, then one
// `response` or one `error`. https://linear.app/developers/agents

export type LinearActivityContent =
  | { type: "thought"; body: string }
  | { type: "action"; action: string; parameter: string; result?: string }
  | { type: "response"; body: string }
  | { type: "error"; body: string }
  | { type: "elicitation"; body: string };

/** Progress lines are meant to be glanced at; longer ones end with a visible ellipsis. */
export const ACTION_FIELD_LIMIT = 1000;

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

export function renderLinearThought(body: string): LinearActivityContent {
  return { type: "thought", body: capMarkdown(body.trim() || "Thinking…") };
}

export function renderLinearAction(input: {
  action: string;
  parameter: string;
  result?: string;
}): LinearActivityContent {
  const content: LinearActivityContent = {
    type: "action",
    action: clip(input.action, ACTION_FIELD_LIMIT),
    parameter: clip(input.parameter, ACTION_FIELD_LIMIT),
  };
  if (input.result !== undefined) content.result = clip(input.result, ACTION_FIELD_LIMIT);
  return content;
}

export interface LinearFailure {
  what: string;
  nextStep?: string;
}

export const LINEAR_DEFAULT_NEXT_STEP =
  "Open the task page for the details, then try again, or ask a Codex Admin if it keeps failing.";

function linksLine(taskUrl: string, prUrl?: string | null): string {
  const links = [markdownLink("View the task", taskUrl)];
  if (prUrl) links.unshift(markdownLink("Open the pull request", prUrl));
  return links.join(" · ");
}

/** Room kept for the heading a comment reply puts above the same body. */
const HEADING_ROOM = 400;

/** The bottom links take room too: the answer gets what is left of the cap. */
function withLinks(main: string, taskUrl: string, prUrl?: string | null): string {
  const links = linksLine(taskUrl, prUrl);
  return `${capMarkdown(main, { max: LINEAR_BODY_LIMIT - HEADING_ROOM - links.length - 2, taskUrl })}\n\n${links}`;
}

export interface LinearAnswerInput {
  answer?: string | null;
  taskUrl: string;
  prUrl?: string | null;
  mode: ReplyMode;
}

/** The body of a successful end: the full answer, or a link to it, plus the PR. */
export function linearAnswerBody(input: LinearAnswerInput): string {
  if (input.mode === "link") {
    return `Done. The answer is on the ${markdownLink("task page", input.taskUrl)}.${input.prUrl ? `\n\n${linksLine(input.taskUrl, input.prUrl)}` : ""}`;
  }
  const answer = input.answer?.trim() || "_Codex finished without a written answer._";
  return withLinks(answer, input.taskUrl, input.prUrl);
}

export function linearFailureBody(failure: LinearFailure | undefined, taskUrl?: string): string {
  const what = failure?.what ?? "Codex could not finish this task.";
  const next = failure?.nextStep ?? LINEAR_DEFAULT_NEXT_STEP;
  const body = `**What failed:** ${what}\n\n**What you can do:** ${next}`;
  return taskUrl ? withLinks(body, taskUrl) : capMarkdown(body);
}

export function renderLinearResponse(input: LinearAnswerInput): LinearActivityContent {
  return { type: "response", body: linearAnswerBody(input) };
}

export function renderLinearError(failure: LinearFailure, taskUrl?: string): LinearActivityContent {
  return { type: "error", body: linearFailureBody(failure, taskUrl) };
}

export interface LinearOutcomeInput extends LinearAnswerInput {
  status: TaskOutcome;
  failure?: LinearFailure;
}

/** The one activity that ends a session: `response` when completed or cancelled, `error` when it failed. */
export function renderLinearOutcome(input: LinearOutcomeInput): LinearActivityContent {
  if (input.status === "completed") return renderLinearResponse(input);
  if (input.status === "cancelled") {
    const why = input.failure?.what ? ` ${input.failure.what}` : "";
    return {
      type: "response",
      body: withLinks(`The task was cancelled before it finished.${why}`, input.taskUrl),
    };
  }
  return renderLinearError(input.failure ?? { what: "Codex could not finish this task." }, input.taskUrl);
}

/** Elicitations list this many environments; the rest are counted and still accepted by name. */
export const ELICITATION_MAX_OPTIONS = 50;

/** Asks which environment to use, listing only those the member may use. */
export function renderLinearElicitation(input: {
  options: readonly EnvironmentOption[];
  message?: string;
}): LinearActivityContent {
  const shown = input.options.slice(0, ELICITATION_MAX_OPTIONS);
  const lines = shown.map(
    (env) =>
      `- **${escapeMarkdown(env.name)}**${env.repository ? ` (${escapeMarkdown(env.repository)})` : ""}`,
  );
  const hidden = input.options.length - shown.length;
  if (hidden > 0) lines.push(`- …and ${hidden} more that you can also name.`);
  const body = [
    input.message ?? "Which environment should I use?",
    lines.join("\n"),
    "Reply with the name of the environment to use.",
  ].join("\n\n");
  return { type: "elicitation", body: capMarkdown(body) };
}

export interface LinearDenialInput {
  reason: string;
  nextStep: string;
  link?: { url: string; label: string };
}

/** A refusal as one `error` activity; use `.body` for a comment reply outside agent sessions. */
export function renderLinearDenial(input: LinearDenialInput): { type: "error"; body: string } {
  const link = input.link ? ` ${markdownLink(input.link.label, input.link.url)}` : "";
  return { type: "error", body: capMarkdown(`${input.reason}\n\n**Next step:** ${input.nextStep}${link}`) };
}

export interface LinearCommentInput extends LinearOutcomeInput {
  title: string;
}

/** A comment reply on the issue when the task came from a comment mention rather than an agent session. */
export function renderLinearComment(input: LinearCommentInput): string {
  const { icon, word } = OUTCOME_LABELS[input.status];
  const heading = `${icon} **${word}:** ${escapeMarkdown(oneLineTitle(input.title, 200))}`;
  const body = renderLinearOutcome(input);
  return capMarkdown(`${heading}\n\n${"body" in body ? body.body : ""}`, { taskUrl: input.taskUrl });
}
