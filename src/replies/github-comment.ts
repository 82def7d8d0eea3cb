import { OUTCOME_LABELS, oneLineTitle, type TaskOutcome } from "./completion";
import { failureForPeople } from "./failure-summary";
import { parseReviewAnswer } from "./findings";
import { GITHUB_BODY_LIMIT, renderSummaryBody, truncateWithNote } from "./github-review-body";
import { escapeMarkdown, markdownLink } from "./linear-body";

// PR comments the hub posts when a task asked from GitHub ends: the answer of a `@codex <task>`, and the
// fallback publication of a review (as one comment) when no review publisher is wired.

export interface GithubCommentInput {
  status: TaskOutcome;
  title: string;
  answer: string | null;
  error: string | null;
  taskUrl: string;
  prUrl: string | null;
  /** An Ask task's heading says so: it answered and pushed nothing. */
  mode?: "ask" | "code";
}

const NEXT_STEP =
  "Open the task page for the details, then try again, or ask a Codex Admin if it keeps failing.";

function links(taskUrl: string, prUrl: string | null): string {
  const parts = [markdownLink("View the task", taskUrl)];
  if (prUrl) parts.unshift(markdownLink("Open the pull request", prUrl));
  return parts.join(" · ");
}

/** Cuts at GitHub's body limit with a visible note pointing at the task page, never silently. */
function fitBody(main: string, footer: string, taskUrl: string): string {
  const note = `\n\n_… truncated: the rest is on the ${markdownLink("task page", taskUrl)}._`;
  const room = GITHUB_BODY_LIMIT - footer.length - 4;
  return `${truncateWithNote(main, room, note).text}\n\n${footer}`;
}

function failureBody(input: GithubCommentInput): string {
  if (input.status === "cancelled") {
    return `The task was cancelled before it finished.${input.error ? ` ${input.error}` : ""}`;
  }
  // The error is summarized: raw output (stderr, paths, URLs) stays on the task page.
  return `**What failed:** ${failureForPeople(input.error)}\n\n**What you can do:** ${NEXT_STEP}`;
}

/** The comment answering `@codex <task>` on a pull request. */
export function renderGithubTaskComment(input: GithubCommentInput): string {
  const { icon, word } = OUTCOME_LABELS[input.status];
  const ask = input.mode === "ask" ? " (Ask mode)" : "";
  const heading = `${icon} **${word}${ask}:** ${escapeMarkdown(oneLineTitle(input.title, 200))}`;
  const body =
    input.status === "completed"
      ? input.answer?.trim() || "_Codex finished without a written answer._"
      : failureBody(input);
  return fitBody(`${heading}\n\n${body}`, links(input.taskUrl, input.prUrl), input.taskUrl);
}

/**
 * A review published as one comment: the summary and the P0/P1 findings (what GitHub shows of a Codex
 * review), or, when the answer is not the findings JSON, a failed review said as such.
 */
export function renderGithubReviewComment(input: GithubCommentInput): string {
  if (input.status !== "completed")
    return renderGithubTaskComment({ ...input, title: `Review: ${input.title}` });
  const parsed = parseReviewAnswer(input.answer ?? "");
  if (!parsed.ok) {
    return renderGithubTaskComment({
      ...input,
      status: "failed",
      title: `Review: ${input.title}`,
      error: `The review could not be read: ${parsed.error}.`,
    });
  }
  const posted = parsed.value.findings.filter((f) => f.priority <= 1);
  if (posted.length === 0 && parsed.value.findings.length === 0) {
    return `### Codex review\n\n👍 No issues found.${parsed.value.summary.trim() ? `\n\n${parsed.value.summary.trim()}` : ""}\n\n${links(input.taskUrl, null)}`;
  }
  return renderSummaryBody({
    summary: parsed.value.summary,
    unanchored: posted.map((finding) => ({ finding, reason: "not placed inline" })),
    inlineCount: 0,
    belowThreshold: parsed.value.findings.length - posted.length,
    minPriority: 1,
    taskUrl: input.taskUrl,
  }).body;
}
