import { and, eq } from "drizzle-orm";
import {
  commentOnPullRequest,
  createReview,
  type RepoRef,
  reactToComment,
  reactToPullRequest,
} from "../../clients/github/calls";
import type { OutboundRequest } from "../../clients/types";
import { githubReviewFindings, githubReviews } from "../../db/schema/github";
import type { Deps, ReplyContext } from "../../deps";
import {
  type ReviewEnd,
  reviewSettledRollups,
  type SettledFinding,
} from "../../governance/analytics/rollup-reviews";
import { newId } from "../../lib/ids";
import { failureForPeople } from "../../replies/failure-summary";
import type { FindingPriority } from "../../replies/findings";
import { parseReviewAnswer } from "../../replies/findings";
import { renderGithubReviewComment } from "../../replies/github-comment";
import { buildReview, type FindingPlacement } from "../../replies/github-review";
import type { Task } from "../../tasks/types";
import { splitDiff } from "./diff";
import { reviewForTask } from "./reviews";

// A finished review becomes exactly one thing on GitHub: one pull request review (summary plus inline
// findings at or above the repository's threshold), or a 👍 when nothing reaches it, or, when the review
// failed, one comment saying so. Findings are anchored against the diff the agent was given (kept in the
// task's context), not the pull request as it is now. A superseded or cancelled review posts nothing.

function failureComment(task: Task, taskUrl: string): string {
  // Said for people; the raw error (the agent's output) is only on the task page.
  const why = failureForPeople(task.error);
  return `**Codex couldn't finish this review.** ${why}\n\n[View the task](${taskUrl}) · Ask again with \`@codex review\`.`;
}

function findingRows(reviewId: string, workspaceId: string, placements: FindingPlacement[], now: number) {
  return placements.map((p, position) => ({
    id: newId("fnd"),
    reviewId,
    workspaceId,
    position,
    priority: p.finding.priority,
    title: p.finding.title.slice(0, 500),
    // Inline findings keep where GitHub shows them (a renamed file's new path), the rest what the agent said.
    path: p.placement === "inline" ? p.comment.path : p.finding.path,
    line: p.placement === "inline" ? p.comment.line : p.finding.line,
    side: p.placement === "inline" ? p.comment.side : (p.finding.side ?? ("RIGHT" as const)),
    placement: p.placement,
    createdAt: now,
  }));
}

export async function publishReview(
  deps: Deps,
  task: Task,
  { taskUrl }: ReplyContext,
): Promise<OutboundRequest[]> {
  const origin = task.origin;
  if (origin.surface !== "github") return [];
  const ref: RepoRef = { installationId: origin.installationId, repository: origin.repository };
  const review = await reviewForTask(deps, task.id);
  if (!review) {
    // A review task that did not come through this surface: the answer as one comment.
    const body = renderGithubReviewComment({
      status: task.status as "completed" | "failed" | "cancelled",
      title: task.title,
      answer: task.answer,
      error: task.error,
      taskUrl,
      prUrl: task.prUrl,
    });
    return [commentOnPullRequest(ref, { issue_number: origin.prNumber, body })];
  }
  const { db } = deps.database;
  const now = deps.clock.now();
  // Settling is one conditional UPDATE (still pending), with the code-review analytics of that outcome.
  const settle = (
    status: ReviewEnd,
    extra: { stats?: unknown; error?: string | null } = {},
    findings: SettledFinding[] = [],
  ) => ({
    analytics: reviewSettledRollups(db, review, status, now, findings),
    update: db
      .update(githubReviews)
      .set({ status, finishedAt: now, ...extra })
      .where(and(eq(githubReviews.id, review.id), eq(githubReviews.status, "pending"))),
  });
  const settleNow = ({ analytics, update }: ReturnType<typeof settle>) =>
    deps.database.batch([...analytics, update]);

  if (review.status === "superseded" || task.status === "cancelled") {
    await settleNow(settle("cancelled"));
    return [];
  }
  if (task.status === "failed") {
    await settleNow(settle("failed", { error: task.error }));
    return [
      commentOnPullRequest(ref, { issue_number: origin.prNumber, body: failureComment(task, taskUrl) }),
    ];
  }
  const parsed = parseReviewAnswer(task.answer ?? "");
  if (!parsed.ok) {
    // recordOutcome fails such reviews before they get here; kept so nothing is ever half-posted.
    await settleNow(settle("failed", { error: parsed.error }));
    const body = failureComment({ ...task, error: parsed.error }, taskUrl);
    return [commentOnPullRequest(ref, { issue_number: origin.prNumber, body })];
  }
  const diff = typeof task.context.diff === "string" ? task.context.diff : "";
  const built = buildReview({
    findings: parsed.value.findings,
    summary: parsed.value.summary,
    files: splitDiff(diff),
    headSha: origin.headSha ?? review.headSha,
    minPriority: review.minPriority as FindingPriority,
    taskUrl,
  });
  const rows = findingRows(review.id, review.workspaceId, built.placements, now);
  const settled = settle(built.kind === "clean" ? "clean" : "published", { stats: built.stats }, rows);
  await deps.database.batch([
    ...settled.analytics,
    ...(rows.length > 0 ? [db.insert(githubReviewFindings).values(rows).onConflictDoNothing()] : []),
    settled.update,
  ]);

  if (built.kind === "clean") {
    const thumbs: OutboundRequest =
      origin.commentId !== undefined && origin.commentSource
        ? reactToComment(ref, origin.commentSource, { comment_id: origin.commentId, content: "+1" })
        : reactToPullRequest(ref, { issue_number: origin.prNumber, content: "+1" });
    return [thumbs];
  }
  return [createReview(ref, { pull_number: origin.prNumber, ...built.payload })];
}
