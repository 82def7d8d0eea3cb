import { sql } from "drizzle-orm";
import { analyticsFindingsDaily, analyticsWorkspaceDaily } from "../../db/schema/analytics";
import { githubReviews, type ReviewStatus } from "../../db/schema/github";
import type { BatchQuery, Db } from "../../db/types";
import { dayOf } from "./days";
import { addToRollup, remember, type Seen, unseen } from "./rollup-sql";

// The code-review rollups, written in the batch of the review's own writes (surfaces/github/reviews.ts and
// publisher.ts): its INSERT (a review started, automatic or requested, and for whom) and the conditional
// UPDATE that settles it (`WHERE status = 'pending'`: published with its findings, clean, failed, cancelled
// or superseded). A redelivered event or a second settle adds nothing.

/** `@codex review` in a comment asks for a review; every other trigger is a pull request event. */
export const isRequestedTrigger = (trigger: string): boolean => trigger.startsWith("mention:");

/** To run before the review's INSERT ... ON CONFLICT (dedupe_key) DO NOTHING, in one batch. */
export function reviewStartedRollups(
  db: Db,
  review: { workspaceId: string; dedupeKey: string; trigger: string; requesterMemberId: string },
  now: number,
): BatchQuery[] {
  const day = dayOf(now);
  const isNew = sql`NOT EXISTS (SELECT 1 FROM ${githubReviews} WHERE ${githubReviews.dedupeKey} = ${review.dedupeKey})`;
  const user: Seen = {
    workspaceId: review.workspaceId,
    day,
    audience: "user:code_review",
    key: review.requesterMemberId,
  };
  const requested = isRequestedTrigger(review.trigger);
  return [
    addToRollup(
      db,
      analyticsWorkspaceDaily,
      { workspaceId: review.workspaceId, day },
      {
        reviews: 1,
        automaticReviews: requested ? 0 : 1,
        requestedReviews: requested ? 1 : 0,
        reviewUsers: unseen(user),
      },
      sql`WHERE ${isNew}`,
    ),
    remember(db, [user], isNew),
  ];
}

export type ReviewEnd = Exclude<ReviewStatus, "pending">;

const OUTCOME_COLUMN = {
  published: "reviewsPublished",
  clean: "reviewsClean",
  failed: "reviewsFailed",
  cancelled: "reviewsCancelled",
  superseded: "reviewsCancelled",
} as const satisfies Record<ReviewEnd, keyof typeof analyticsWorkspaceDaily.$inferInsert>;

/** A finding of a settled review: its priority and where it went. */
export interface SettledFinding {
  priority: number;
  placement: "inline" | "summary" | "below_threshold";
}

/**
 * To run before the UPDATE that settles a pending review, in one batch: its outcome and the findings it
 * posted (by priority), counted only while the review is still pending, i.e. when the UPDATE will win.
 */
export function reviewSettledRollups(
  db: Db,
  review: { id: string; workspaceId: string },
  status: ReviewEnd,
  now: number,
  findings: readonly SettledFinding[] = [],
): BatchQuery[] {
  const day = dayOf(now);
  const where = sql`WHERE EXISTS (SELECT 1 FROM ${githubReviews} WHERE ${githubReviews.id} = ${review.id} AND ${githubReviews.status} = 'pending')`;
  const writes = [
    addToRollup(
      db,
      analyticsWorkspaceDaily,
      { workspaceId: review.workspaceId, day },
      { [OUTCOME_COLUMN[status]]: 1 },
      where,
    ),
  ];
  for (const priority of [0, 1, 2, 3]) {
    const posted = findings.filter((f) => f.priority === priority && f.placement !== "below_threshold");
    if (posted.length === 0) continue;
    writes.push(
      addToRollup(
        db,
        analyticsFindingsDaily,
        { workspaceId: review.workspaceId, day, priority },
        { findings: posted.length, comments: posted.filter((f) => f.placement === "inline").length },
        where,
      ),
    );
  }
  return writes;
}
