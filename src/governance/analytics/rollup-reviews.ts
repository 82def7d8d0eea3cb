import { sql } from "drizzle-orm";
import { preparedWrite } from "../../db/prepared";
import { analyticsFindingsDaily, analyticsWorkspaceDaily } from "../../db/schema/analytics";
import { githubReviews, type ReviewStatus } from "../../db/schema/github";
import type { BatchQuery, Database, Db } from "../../db/types";
import { dayOf } from "./days";
import { addToRollup, literal, remember, type Seen, unseen } from "./rollup-sql";

// The code-review rollups, written in the batch of the review's own writes (surfaces/github/reviews.ts and
// publisher.ts): its INSERT (a review started, automatic or requested, and for whom) and the conditional
// UPDATE that settles it (`WHERE status = 'pending'`: published with its findings, clean, failed, cancelled
// or superseded). A redelivered event or a second settle adds nothing.

/** `@codex review` in a comment asks for a review; every other trigger is a pull request event. */
export const isRequestedTrigger = (trigger: string): boolean => trigger.startsWith("mention:");

interface StartedValues extends Record<string, unknown> {
  workspaceId: string;
  memberId: string;
  day: number;
  dedupeKey: string;
  automatic: number;
  requested: number;
}

// The same two statements for every review (prepared once; see db/prepared.ts).
const isNewReview = (v: StartedValues) =>
  sql`NOT EXISTS (SELECT 1 FROM ${githubReviews} WHERE ${githubReviews.dedupeKey} = ${v.dedupeKey})`;
const reviewUser = (v: StartedValues): Seen => ({
  workspaceId: v.workspaceId,
  day: v.day,
  audience: "user:code_review",
  key: v.memberId,
});
const startedShapes = [
  preparedWrite((db, v: StartedValues) =>
    addToRollup(
      db,
      analyticsWorkspaceDaily,
      { workspaceId: v.workspaceId, day: v.day },
      {
        reviews: literal(1),
        automaticReviews: v.automatic,
        requestedReviews: v.requested,
        reviewUsers: unseen(reviewUser(v)),
      },
      sql`WHERE ${isNewReview(v)}`,
    ),
  ),
  preparedWrite((db, v: StartedValues) => remember(db, [reviewUser(v)], isNewReview(v))),
];

/** To run before the review's INSERT ... ON CONFLICT (dedupe_key) DO NOTHING, in one batch. */
export function reviewStartedRollups(
  database: Database,
  review: { workspaceId: string; dedupeKey: string; trigger: string; requesterMemberId: string },
  now: number,
): BatchQuery[] {
  const requested = isRequestedTrigger(review.trigger);
  const values: StartedValues = {
    workspaceId: review.workspaceId,
    memberId: review.requesterMemberId,
    day: dayOf(now),
    dedupeKey: review.dedupeKey,
    automatic: requested ? 0 : 1,
    requested: requested ? 1 : 0,
  };
  return startedShapes.map((shape) => shape(database, values));
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
