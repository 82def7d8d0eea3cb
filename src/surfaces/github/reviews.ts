import { and, eq, ne } from "drizzle-orm";
import type { RepoPermission } from "../../access/types";
import type { CommentSource, RepoRef } from "../../clients/github/calls";
import { type GitHubReviewRow, githubReviews } from "../../db/schema/github";
import type { Deps } from "../../deps";
import { reviewSettledRollups, reviewStartedRollups } from "../../governance/analytics/rollup-reviews";
import { newId } from "../../lib/ids";
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
import { queueReviewCheck } from "./task-status";

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

async function findReview(deps: Deps, dedupeKey: string): Promise<GitHubReviewRow | undefined> {
  const [row] = await deps.database.db
    .select()
    .from(githubReviews)
    .where(eq(githubReviews.dedupeKey, dedupeKey))
    .limit(1);
  return row;
}

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

  const { task } = await createTask(deps, {
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
  });
  const now = deps.clock.now();
  const insert = deps.database.db
    .insert(githubReviews)
    .values({
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
      status: "pending",
      createdAt: now,
    })
    .onConflictDoNothing({ target: githubReviews.dedupeKey })
    .returning({ id: githubReviews.id });
  const analytics = reviewStartedRollups(deps.database.db, { ...input, dedupeKey }, now);
  const inserted = (await deps.database.batch([...analytics, insert])).at(-1) as { id: string }[];
  const review = (await findReview(deps, dedupeKey))!;
  // Queued after the review row, so a check run always has its review; one per task whoever gets here.
  if (review.taskId === task.id) await queueReviewCheck(deps, ref, task.id, pr.headSha);
  const superseded = await supersedeOlderHeads(deps, review);
  return { review, created: inserted.length > 0, superseded };
}

/** Cancels the pending reviews of other head commits of the same pull request. */
export async function supersedeOlderHeads(deps: Deps, newer: GitHubReviewRow): Promise<string[]> {
  const { db } = deps.database;
  const older = await db
    .select()
    .from(githubReviews)
    .where(
      and(
        eq(githubReviews.pullKey, newer.pullKey),
        eq(githubReviews.status, "pending"),
        ne(githubReviews.headSha, newer.headSha),
      ),
    );
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
