import { and, asc, eq, gte, isNull, lt, notInArray, or } from "drizzle-orm";
import {
  listPullRequestReviewComments,
  listReviewCommentReactions,
  listReviewComments,
  type RepoRef,
} from "../../clients/github/calls";
import {
  type GitHubReviewFindingRow,
  type GitHubReviewRow,
  githubReviewFeedback,
  githubReviewFindings,
  githubReviews,
} from "../../db/schema/github";
import { outbox } from "../../db/schema/outbox";
import type { BatchQuery } from "../../db/types";
import type { Deps } from "../../deps";
import { countFeedback, uncountFeedback } from "../../governance/analytics/rollup-feedback";
import { reactionSentiment, replySentiment } from "../../governance/analytics/sentiment";
import { newId } from "../../lib/ids";
import { replyKey } from "../../notify/finish";
import { reviewPullKey } from "../../routing/review-triggers";
import type { CommentEvent } from "./payloads";

// What people answered to review findings, for code-review analytics: replies in a finding's thread (from
// `pull_request_review_comment` events) and reactions on the finding's comment, which GitHub sends no
// webhook for, so they are fetched periodically for recent reviews
// (GET /repos/{o}/{r}/pulls/comments/{id}/reactions). GitHub's answer to "create a review" does not list
// the comments it made, so each finding learns its comment id by matching the review's comments.

interface ReviewCommentWire {
  id: number;
  path: string;
  line?: number | null;
  original_line?: number | null;
  side?: string | null;
  body?: string;
  pull_request_review_id?: number | null;
}

const norm = (text: string) => text.replace(/\s+/g, " ").trim();

/** The id of the review GitHub created, from what the outbox kept of its answer. */
async function postedReviewId(deps: Deps, review: GitHubReviewRow): Promise<number | null> {
  if (review.githubReviewId) return review.githubReviewId;
  const [row] = await deps.database.db
    .select({ response: outbox.response, status: outbox.status })
    .from(outbox)
    .where(eq(outbox.dedupeKey, replyKey(review.taskId)))
    .limit(1);
  if (row?.status !== "sent" || !row.response) return null;
  try {
    const id = (JSON.parse(row.response) as { data?: { id?: unknown } }).data?.id;
    return typeof id === "number" ? id : null;
  } catch {
    return null;
  }
}

/** Matches the review's comments to its inline findings (path, line, side and title) and stores their ids. */
export async function learnCommentIds(deps: Deps, review: GitHubReviewRow): Promise<number> {
  const { db } = deps.database;
  const findings = await db
    .select()
    .from(githubReviewFindings)
    .where(and(eq(githubReviewFindings.reviewId, review.id), eq(githubReviewFindings.placement, "inline")));
  const missing = findings.filter((f) => f.commentId === null);
  if (missing.length === 0) return 0;
  const ref: RepoRef = { installationId: review.installationId, repository: review.repository };
  const reviewId = await postedReviewId(deps, review);
  const answer = (await deps.clients.github.send(
    reviewId
      ? listReviewComments(ref, { pull_number: review.prNumber, review_id: reviewId, per_page: 100 })
      : listPullRequestReviewComments(ref, { pull_number: review.prNumber, per_page: 100 }),
  )) as { data?: unknown } | undefined;
  const comments = (Array.isArray(answer?.data) ? answer.data : []) as ReviewCommentWire[];
  let learnt = 0;
  const taken = new Set(findings.map((f) => f.commentId).filter((id) => id !== null));
  for (const finding of missing) {
    const match = comments.find(
      (c) =>
        !taken.has(c.id) &&
        c.path === finding.path &&
        (c.line ?? c.original_line) === finding.line &&
        (c.side ?? "RIGHT") === finding.side &&
        norm(c.body ?? "").includes(norm(finding.title)),
    );
    if (!match) continue;
    taken.add(match.id);
    await db
      .update(githubReviewFindings)
      .set({ commentId: match.id })
      .where(eq(githubReviewFindings.id, finding.id));
    learnt++;
  }
  if (reviewId && !review.githubReviewId) {
    await db.update(githubReviews).set({ githubReviewId: reviewId }).where(eq(githubReviews.id, review.id));
  }
  return learnt;
}

async function findingByComment(deps: Deps, commentId: number): Promise<GitHubReviewFindingRow | undefined> {
  const [row] = await deps.database.db
    .select()
    .from(githubReviewFindings)
    .where(eq(githubReviewFindings.commentId, commentId))
    .limit(1);
  return row;
}

/** A reply in a finding's thread; returns a note for the inbox outcome ("" when it answers no finding). */
export async function recordReplyFeedback(
  deps: Deps,
  workspaceId: string,
  ref: RepoRef,
  event: CommentEvent,
): Promise<string> {
  const parentId = event.comment.inReplyToId!;
  let finding = await findingByComment(deps, parentId);
  if (!finding) {
    // The reply may come before the feedback loop learnt the comment ids of this pull request's reviews.
    const reviews = await deps.database.db
      .select()
      .from(githubReviews)
      .where(
        and(
          eq(githubReviews.pullKey, reviewPullKey(ref.repository, event.prNumber)),
          eq(githubReviews.status, "published"),
        ),
      );
    for (const review of reviews) await learnCommentIds(deps, review);
    finding = await findingByComment(deps, parentId);
  }
  if (!finding) return "";
  const { db } = deps.database;
  await deps.database.batch([
    db
      .insert(githubReviewFeedback)
      .values({
        id: newId("fbk"),
        findingId: finding.id,
        reviewId: finding.reviewId,
        workspaceId,
        kind: "reply",
        content: event.comment.body.slice(0, 500),
        sentiment: replySentiment(event.comment.body),
        actorLogin: event.sender.login,
        priority: finding.priority,
        externalId: event.comment.id,
        createdAt: deps.clock.now(),
      })
      .onConflictDoNothing(),
    ...countFeedback(db, finding.id),
  ]);
  return `; reply to finding ${finding.id} (P${finding.priority}) recorded`;
}

interface ReactionWire {
  id: number;
  content: string;
  user?: { login: string } | null;
  created_at?: string;
}

/** When the reaction was made, as GitHub says; else now (it was made by the time it was read). */
function reactedAt(reaction: ReactionWire, now: number): number {
  const at = reaction.created_at ? Date.parse(reaction.created_at) : Number.NaN;
  return Number.isFinite(at) && at <= now ? at : now;
}

/** Brings one finding's reactions up to date: new ones recorded, withdrawn ones dropped. */
async function syncReactions(deps: Deps, review: GitHubReviewRow, finding: GitHubReviewFindingRow) {
  const ref: RepoRef = { installationId: review.installationId, repository: review.repository };
  const answer = (await deps.clients.github.send(
    listReviewCommentReactions(ref, { comment_id: finding.commentId!, per_page: 100 }),
  )) as { data?: unknown } | undefined;
  const reactions = (Array.isArray(answer?.data) ? answer.data : []) as ReactionWire[];
  const { db } = deps.database;
  const now = deps.clock.now();
  const rows = reactions
    .filter((r) => typeof r.id === "number" && typeof r.content === "string")
    .map((r) => ({
      id: newId("fbk"),
      findingId: finding.id,
      reviewId: review.id,
      workspaceId: review.workspaceId,
      kind: "reaction" as const,
      content: r.content,
      sentiment: reactionSentiment(r.content),
      actorLogin: r.user?.login ?? "ghost",
      priority: finding.priority,
      externalId: r.id,
      createdAt: reactedAt(r, now),
    }));
  const withdrawn = and(
    eq(githubReviewFeedback.findingId, finding.id),
    eq(githubReviewFeedback.kind, "reaction"),
    rows.length > 0
      ? notInArray(
          githubReviewFeedback.externalId,
          rows.map((r) => r.externalId),
        )
      : undefined,
  )!;
  // Withdrawn reactions leave the analytics with their rows; new ones join them (rollup-feedback.ts).
  const writes: BatchQuery[] = [
    uncountFeedback(db, withdrawn),
    db.delete(githubReviewFeedback).where(withdrawn),
  ];
  if (rows.length > 0) writes.push(db.insert(githubReviewFeedback).values(rows).onConflictDoNothing());
  writes.push(...countFeedback(db, finding.id));
  await deps.database.batch(writes);
}

export interface FeedbackSyncOptions {
  /** Reviews published longer ago than this are left alone (default 14 days). */
  maxAgeMs?: number;
  /** A review is synced at most this often (default 15 minutes). */
  minIntervalMs?: number;
  /** Reviews per pass (default 20): the loop comes back for the rest. */
  limit?: number;
}

/** One pass of the feedback loop; returns how many reviews it synced. */
export async function syncReviewFeedback(deps: Deps, options: FeedbackSyncOptions = {}): Promise<number> {
  const now = deps.clock.now();
  const maxAge = options.maxAgeMs ?? 14 * 86_400_000;
  const interval = options.minIntervalMs ?? 15 * 60_000;
  const { db } = deps.database;
  const due = await db
    .select()
    .from(githubReviews)
    .where(
      and(
        eq(githubReviews.status, "published"),
        gte(githubReviews.finishedAt, now - maxAge),
        or(isNull(githubReviews.feedbackSyncedAt), lt(githubReviews.feedbackSyncedAt, now - interval)),
      ),
    )
    .orderBy(asc(githubReviews.feedbackSyncedAt))
    .limit(options.limit ?? 20);
  let synced = 0;
  for (const review of due) {
    try {
      await learnCommentIds(deps, review);
      const findings = await db
        .select()
        .from(githubReviewFindings)
        .where(
          and(eq(githubReviewFindings.reviewId, review.id), eq(githubReviewFindings.placement, "inline")),
        );
      for (const finding of findings)
        if (finding.commentId !== null) await syncReactions(deps, review, finding);
      await db.update(githubReviews).set({ feedbackSyncedAt: now }).where(eq(githubReviews.id, review.id));
      synced++;
    } catch (error) {
      deps.logger.warn(
        { reviewId: review.id, error: (error as Error).message },
        "review feedback not synced",
      );
    }
  }
  return synced;
}
