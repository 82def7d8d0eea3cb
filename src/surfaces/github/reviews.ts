import { and, eq, ne } from "drizzle-orm";
import type { RepoPermission } from "../../access/types";
import type { CommentSource, RepoRef } from "../../clients/github/calls";
import { preparedQuery, preparedWrite } from "../../db/prepared";
import { type GitHubReviewRow, githubReviews } from "../../db/schema/github";
import type { Deps } from "../../deps";
import { reviewSettledRollups, reviewStartedRollups } from "../../governance/analytics/rollup-reviews";
import { newId } from "../../lib/ids";
import { insertedRow } from "../../outbox/enqueue";
import {
  type RepoReviewSettings,
  type ReviewOrigin,
  reviewDedupeKey,
  reviewPullKey,
} from "../../routing/review-triggers";
import { cancelTask, createTask, IllegalTransition, TaskNotFound } from "../../tasks/service";
import type { PullRequestDetails } from "./payloads";
import { isFork } from "./plan";
import { pullRequestContext, reviewPrompt } from "./review-context";
import { reviewCheckQuery } from "./task-status";

// One review per (pull request, head commit, trigger): the review row and its task share the dedupe key, so
// a redelivered event or a second delivery for the same head finds the review already there. A review of a
// newer head supersedes the reviews of older heads still queued or running: they are cancelled, and the
// publisher posts nothing for them.

export interface StartReviewInput {
  workspaceId: string;
  ref: RepoRef;
  pr: PullRequestDetails;
  trigger: ReviewOrigin;
  requesterMemberId: string;
  environmentId: string | undefined;
  settings: RepoReviewSettings;
  permission: RepoPermission | null;
  /** The `@codex review` comment, for the 👍 when the review is clean. */
  comment?: { id: number; source: CommentSource };
  focus?: string;
}

export interface StartedReview {
  review: GitHubReviewRow;
  created: boolean;
  superseded: string[];
}

const reviewByKey = preparedQuery((db, v: { dedupeKey: string }) =>
  db.select().from(githubReviews).where(eq(githubReviews.dedupeKey, v.dedupeKey)).limit(1),
);

const reviewIdByKey = preparedQuery((db, v: { dedupeKey: string }) =>
  db
    .select({ id: githubReviews.id })
    .from(githubReviews)
    .where(eq(githubReviews.dedupeKey, v.dedupeKey))
    .limit(1),
);

async function findReview(deps: Deps, dedupeKey: string): Promise<GitHubReviewRow | undefined> {
  // Most keys are new: asking for the id alone costs a fraction of reading every column of no row.
  const [taken] = await reviewIdByKey(deps.database.db).all({ dedupeKey });
  if (!taken) return undefined;
  const [row] = await reviewByKey(deps.database.db).all({ dedupeKey });
  return row;
}

interface NewReviewValues extends Record<string, unknown> {
  id: string;
  dedupeKey: string;
  pullKey: string;
  workspaceId: string;
  installationId: number;
  repository: string;
  prNumber: number;
  headSha: string;
  baseSha: string;
  trigger: string;
  taskId: string;
  requesterMemberId: string;
  minPriority: number;
  now: number;
}

const insertReview = preparedWrite((db, v: NewReviewValues) =>
  db
    .insert(githubReviews)
    .values({
      id: v.id,
      dedupeKey: v.dedupeKey,
      pullKey: v.pullKey,
      workspaceId: v.workspaceId,
      installationId: v.installationId,
      repository: v.repository,
      prNumber: v.prNumber,
      headSha: v.headSha,
      baseSha: v.baseSha,
      trigger: v.trigger,
      taskId: v.taskId,
      requesterMemberId: v.requesterMemberId,
      minPriority: v.minPriority,
      status: "pending",
      createdAt: v.now,
    })
    .onConflictDoNothing({ target: githubReviews.dedupeKey })
    .returning({ id: githubReviews.id }),
);

export async function reviewForTask(deps: Pick<Deps, "database">, taskId: string) {
  const [row] = await deps.database.db
    .select()
    .from(githubReviews)
    .where(eq(githubReviews.taskId, taskId))
    .limit(1);
  return row;
}

export async function startReview(deps: Deps, input: StartReviewInput): Promise<StartedReview> {
  const { ref, pr } = input;
  const dedupeKey = reviewDedupeKey(ref.repository, pr.number, pr.headSha, input.trigger);
  const existing = await findReview(deps, dedupeKey);
  if (existing) return { review: existing, created: false, superseded: [] };

  const { task } = await createTask(
    deps,
    {
      dedupeKey,
      workspaceId: input.workspaceId,
      requesterMemberId: input.requesterMemberId,
      environmentId: input.environmentId ?? null,
      kind: "review",
      title: `Review ${ref.repository}#${pr.number}: ${pr.title}`,
      prompt: reviewPrompt(ref.repository, pr, input.focus),
      // The diff and the review rules are read when a runner starts the review (prepare.ts).
      context: {
        ...pullRequestContext(ref, pr),
        ...(input.permission ? { repoPermission: input.permission } : {}),
      },
      origin: {
        surface: "github",
        installationId: ref.installationId,
        repository: ref.repository,
        prNumber: pr.number,
        headSha: pr.headSha,
        baseSha: pr.baseSha,
        fromFork: isFork(ref.repository, pr),
        trigger: input.trigger.startsWith("mention:") ? "mention" : input.trigger,
        ...(input.comment ? { commentId: input.comment.id, commentSource: input.comment.source } : {}),
      },
    },
    { inStep: true },
  );
  const now = deps.clock.now();
  const values: NewReviewValues = {
    id: newId("rev"),
    dedupeKey,
    pullKey: reviewPullKey(ref.repository, pr.number),
    workspaceId: input.workspaceId,
    installationId: ref.installationId,
    repository: ref.repository,
    prNumber: pr.number,
    headSha: pr.headSha.toLowerCase(),
    baseSha: pr.baseSha.toLowerCase(),
    trigger: input.trigger,
    taskId: task.id,
    requesterMemberId: input.requesterMemberId,
    minPriority: input.settings.minPriority,
    now,
  };
  const analytics = reviewStartedRollups(deps.database, { ...input, dedupeKey }, now);
  // The check run is queued in the same commit as the review row, so it always has its review; one per task
  // (its dedupe key), whichever delivery gets here.
  const check = reviewCheckQuery(deps, ref, task.id, pr.headSha);
  const writes = [...analytics, insertReview(deps.database, values), check];
  if (deps.stepScope) {
    // With its task, in the commit of the delivery being processed (no review of this key existed above).
    deps.stepScope.writes.push(...writes);
    deps.stepScope.afterCommit.push(() => deps.wakeOutbox());
    const review = pendingReviewRow(values);
    return { review, created: true, superseded: await supersedeOlderHeads(deps, review) };
  }
  const results = await deps.database.batch(writes);
  const created = insertedRow(results.at(-2)) !== undefined;
  if (insertedRow(results.at(-1))) deps.wakeOutbox();
  // Nothing inserted: another delivery started this review first, and that row is the review.
  const review = created ? pendingReviewRow(values) : (await findReview(deps, dedupeKey))!;
  const superseded = await supersedeOlderHeads(deps, review);
  return { review, created, superseded };
}

/** The row a new review is, exactly as `insertReview` stores it. */
function pendingReviewRow(v: NewReviewValues): GitHubReviewRow {
  const { now, ...columns } = v;
  return {
    ...columns,
    status: "pending",
    supersededBy: null,
    githubReviewId: null,
    stats: null,
    error: null,
    createdAt: now,
    finishedAt: null,
    feedbackSyncedAt: null,
  };
}

const pendingOtherHeads = preparedQuery((db, v: { pullKey: string; headSha: string }) =>
  db
    .select()
    .from(githubReviews)
    .where(
      and(
        eq(githubReviews.pullKey, v.pullKey),
        eq(githubReviews.status, "pending"),
        ne(githubReviews.headSha, v.headSha),
      ),
    ),
);

/** Cancels the pending reviews of other head commits of the same pull request. */
export async function supersedeOlderHeads(deps: Deps, newer: GitHubReviewRow): Promise<string[]> {
  const { db } = deps.database;
  const older = await pendingOtherHeads(db).all({ pullKey: newer.pullKey, headSha: newer.headSha });
  const done: string[] = [];
  for (const review of older) {
    // Marked first, so the publisher called by the cancellation knows to post nothing.
    const now = deps.clock.now();
    const mark = db
      .update(githubReviews)
      .set({ status: "superseded", supersededBy: newer.id, finishedAt: now })
      .where(and(eq(githubReviews.id, review.id), eq(githubReviews.status, "pending")))
      .returning({ id: githubReviews.id });
    const analytics = reviewSettledRollups(db, review, "superseded", now);
    const [marked] = (await deps.database.batch([...analytics, mark])).at(-1) as { id: string }[];
    if (!marked) continue;
    try {
      await cancelTask(deps, review.taskId, { admin: true });
    } catch (error) {
      // It finished a moment ago: its result is simply not published (a newer review is on its way).
      if (!(error instanceof IllegalTransition || error instanceof TaskNotFound)) throw error;
    }
    done.push(review.id);
  }
  return done;
}
