import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { githubReviewFeedback, githubReviewFindings, githubReviews } from "../db/schema/github";
import { tasks } from "../db/schema/tasks";
import type { Deps } from "../deps";
import { AppError } from "../errors";

// The reviews the hub started, for admins: status (pending, published, clean, failed, superseded), the
// task that produced it (a failed review keeps its task's error, e.g. malformed findings), and per finding
// what people answered.

export interface ReviewView {
  id: string;
  repository: string;
  prNumber: number;
  headSha: string;
  baseSha: string;
  trigger: string;
  status: string;
  taskId: string;
  taskStatus: string | null;
  error: string | null;
  supersededBy: string | null;
  requesterMemberId: string;
  minPriority: number;
  stats: unknown;
  createdAt: number;
  finishedAt: number | null;
}

export async function listReviews(
  deps: Pick<Deps, "database">,
  query: { workspaceId: string; repository?: string; prNumber?: number; limit: number },
): Promise<ReviewView[]> {
  const rows = await deps.database.db
    .select()
    .from(githubReviews)
    .where(
      and(
        eq(githubReviews.workspaceId, query.workspaceId),
        // Stored as GitHub spelt it; GitHub names are case-insensitive.
        query.repository
          ? sql`lower(${githubReviews.repository}) = ${query.repository.toLowerCase()}`
          : undefined,
        query.prNumber !== undefined ? eq(githubReviews.prNumber, query.prNumber) : undefined,
      ),
    )
    .orderBy(desc(githubReviews.createdAt))
    .limit(query.limit);
  if (rows.length === 0) return [];
  const taskRows = await deps.database.db
    .select({ id: tasks.id, status: tasks.status, error: tasks.error })
    .from(tasks)
    .where(
      inArray(
        tasks.id,
        rows.map((r) => r.taskId),
      ),
    );
  const byId = new Map(taskRows.map((t) => [t.id, t]));
  return rows.map((r) => ({
    id: r.id,
    repository: r.repository,
    prNumber: r.prNumber,
    headSha: r.headSha,
    baseSha: r.baseSha,
    trigger: r.trigger,
    status: r.status,
    taskId: r.taskId,
    taskStatus: byId.get(r.taskId)?.status ?? null,
    error: r.error ?? byId.get(r.taskId)?.error ?? null,
    supersededBy: r.supersededBy,
    requesterMemberId: r.requesterMemberId,
    minPriority: r.minPriority,
    stats: r.stats ?? null,
    createdAt: r.createdAt,
    finishedAt: r.finishedAt,
  }));
}

export interface FindingView {
  id: string;
  position: number;
  priority: number;
  title: string;
  path: string;
  line: number;
  side: string;
  placement: string;
  commentId: number | null;
  feedback: { kind: string; content: string; actorLogin: string; createdAt: number }[];
}

export async function getReview(
  deps: Pick<Deps, "database">,
  workspaceId: string,
  reviewId: string,
): Promise<ReviewView & { findings: FindingView[] }> {
  const [row] = await deps.database.db
    .select({ id: githubReviews.id, repository: githubReviews.repository, prNumber: githubReviews.prNumber })
    .from(githubReviews)
    .where(and(eq(githubReviews.id, reviewId), eq(githubReviews.workspaceId, workspaceId)))
    .limit(1);
  if (!row) throw new AppError("not_found", `No review ${reviewId} in workspace ${workspaceId}.`);
  const [view] = (
    await listReviews(deps, { workspaceId, repository: row.repository, prNumber: row.prNumber, limit: 500 })
  ).filter((r) => r.id === reviewId);
  const findings = await deps.database.db
    .select()
    .from(githubReviewFindings)
    .where(eq(githubReviewFindings.reviewId, reviewId))
    .orderBy(asc(githubReviewFindings.position));
  const feedback = await deps.database.db
    .select()
    .from(githubReviewFeedback)
    .where(eq(githubReviewFeedback.reviewId, reviewId))
    .orderBy(asc(githubReviewFeedback.createdAt));
  return {
    ...view!,
    findings: findings.map((f) => ({
      id: f.id,
      position: f.position,
      priority: f.priority,
      title: f.title,
      path: f.path,
      line: f.line,
      side: f.side,
      placement: f.placement,
      commentId: f.commentId,
      feedback: feedback
        .filter((b) => b.findingId === f.id)
        .map((b) => ({ kind: b.kind, content: b.content, actorLogin: b.actorLogin, createdAt: b.createdAt })),
    })),
  };
}
