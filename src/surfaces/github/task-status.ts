import { eq } from "drizzle-orm";
import {
  type CommentSource,
  createCheckRun,
  deleteCommentReaction,
  type Reaction,
  type RepoRef,
  reactToComment,
  updateCheckRun,
} from "../../clients/github/calls";
import type { OutboundRequest } from "../../clients/types";
import { githubReviews } from "../../db/schema/github";
import { tasks } from "../../db/schema/tasks";
import type { BatchQuery } from "../../db/types";
import type { Deps, KeyedCall, SentCall } from "../../deps";
import { enqueueOutbound, outboundQuery, queueTaskCalls } from "../../outbox/enqueue";
import { outboxRowByKey } from "../../outbox/store";
import type { TaskOutcome } from "../../replies/completion";
import { summarizeFailure } from "../../replies/failure-summary";
import { isTerminal } from "../../tasks/lifecycle";
import { getTask } from "../../tasks/service";
import type { Task } from "../../tasks/types";
import { taskUrl } from "../../web/task-url";

// A task's state where it was asked on GitHub. A review is a check run on the pull request's head ("Codex
// review"): queued when the review is created, in progress when a runner starts it, completed with a
// conclusion when it ends. A `@codex <task>` comment's 👀 is replaced by the outcome when the task ends:
// 🚀 (`rocket`) done, 😕 (`confused`) failed, nothing for a cancelled task (the reply says it was cancelled).
//
// Everything goes through the outbox under fixed keys, so each call is made once whoever asks. The check run's
// id and the 👀's id are GitHub's answers to the calls that created them, kept by the outbox: a step due before
// GitHub gave them is made when the outbox says it did (`githubSent`), as the Slack status message is.

export const CHECK_NAME = "Codex review";

const checkKey = (taskId: string, step: "queued" | "in_progress" | "completed") =>
  `github:check:${taskId}:${step}`;
/** The 👀 of a `@codex` comment (effects.ts acknowledges before the task exists, so it is keyed by comment). */
export const eyesKey = (source: CommentSource, commentId: number) => `github:eyes:${source}:${commentId}`;
/** The task of a `@codex <task>` comment, keyed by comment as effects.ts creates it. */
export const commentTaskKey = (source: string, commentId: number) => `github:task:${source}:${commentId}`;
const unreactKey = (taskId: string) => `github:unreact:${taskId}`;
const outcomeKey = (taskId: string) => `github:react:${taskId}:outcome`;

const OUTCOME_REACTIONS: Record<TaskOutcome, Reaction | null> = {
  completed: "rocket",
  failed: "confused",
  cancelled: null,
};

/** The id GitHub answered for a sent call (a check run, a reaction), once it did. */
async function answeredId(deps: Pick<Deps, "database">, dedupeKey: string): Promise<number | null> {
  const row = await outboxRowByKey(deps.database, dedupeKey);
  if (row?.status !== "sent" || !row.response) return null;
  const answer = JSON.parse(row.response) as { data?: { id?: unknown } };
  return typeof answer.data?.id === "number" ? answer.data.id : null;
}

const refOf = (task: Task): RepoRef | null =>
  task.origin.surface === "github"
    ? { installationId: task.origin.installationId, repository: task.origin.repository }
    : null;

/** The review's check run, queued on the head commit it reviews (startReview calls it for a new review). */
export function reviewCheckQuery(deps: Deps, ref: RepoRef, taskId: string, headSha: string): BatchQuery {
  return outboundQuery(deps, {
    request: createCheckRun(ref, {
      name: CHECK_NAME,
      head_sha: headSha,
      status: "queued",
      details_url: taskUrl(deps, taskId),
      external_id: taskId,
    }),
    dedupeKey: checkKey(taskId, "queued"),
    taskId,
  });
}

/**
 * The surface's `started` hook: the review's check run in progress, once GitHub has created it (else `githubSent`
 * does it when GitHub answers).
 */
export async function startCheck(deps: Deps, task: Task): Promise<void> {
  const ref = refOf(task);
  if (!ref || task.kind !== "review" || isTerminal(task.status)) return;
  if (await outboxRowByKey(deps.database, checkKey(task.id, "in_progress"))) return;
  const id = await answeredId(deps, checkKey(task.id, "queued"));
  if (id === null) return;
  await enqueueOutbound(deps, {
    request: updateCheckRun(ref, { check_run_id: id, status: "in_progress" }),
    dedupeKey: checkKey(task.id, "in_progress"),
    taskId: task.id,
  });
}

type Conclusion = "success" | "neutral" | "failure" | "cancelled";

/** How the review ended, as a check: clean passes; findings are for people to read (neutral, not failing). */
async function checkConclusion(deps: Deps, task: Task): Promise<{ conclusion: Conclusion; title: string }> {
  if (task.status === "cancelled") return { conclusion: "cancelled", title: "Review cancelled" };
  if (task.status === "failed") return { conclusion: "failure", title: "Review failed" };
  // Read here, not through reviews.ts, which queues the check run with this file.
  const [review] = await deps.database.db
    .select({ status: githubReviews.status })
    .from(githubReviews)
    .where(eq(githubReviews.taskId, task.id))
    .limit(1);
  if (review?.status === "superseded" || review?.status === "cancelled")
    return { conclusion: "cancelled", title: "Review superseded by a newer commit" };
  if (review?.status === "failed") return { conclusion: "failure", title: "Review failed" };
  if (review?.status === "published") return { conclusion: "neutral", title: "Findings posted" };
  return { conclusion: "success", title: "No issues found" };
}

async function completedCheck(deps: Deps, task: Task, ref: RepoRef, id: number): Promise<OutboundRequest> {
  const { conclusion, title } = await checkConclusion(deps, task);
  const url = taskUrl(deps, task.id);
  const why = conclusion === "failure" ? `${summarizeFailure(task.error)}\n\n` : "";
  return updateCheckRun(ref, {
    check_run_id: id,
    status: "completed",
    conclusion,
    completed_at: new Date(deps.clock.now()).toISOString(),
    output: { title, summary: `${why}[View the task](${url}) for the details.` },
  });
}

/**
 * The surface's `settle` calls: the review's check run completed, the 👀 of a `@codex` task swapped for its
 * outcome. What GitHub has not answered for yet (the check run, the 👀) is settled when it does.
 */
export async function githubSettleCalls(deps: Deps, task: Task): Promise<KeyedCall[]> {
  const ref = refOf(task);
  const { origin } = task;
  if (!ref || origin.surface !== "github" || !isTerminal(task.status)) return [];
  const calls: KeyedCall[] = [];
  const checkId = task.kind === "review" ? await answeredId(deps, checkKey(task.id, "queued")) : null;
  if (checkId !== null) {
    calls.push({
      key: checkKey(task.id, "completed"),
      request: await completedCheck(deps, task, ref, checkId),
    });
  }
  const { commentId, commentSource } = origin;
  if (task.kind !== "review" && commentId !== undefined && commentSource) {
    const eyes = await outboxRowByKey(deps.database, eyesKey(commentSource, commentId));
    const eyesId = await answeredId(deps, eyesKey(commentSource, commentId));
    if (eyesId !== null) {
      calls.push({
        key: unreactKey(task.id),
        request: deleteCommentReaction(ref, commentSource, { comment_id: commentId, reaction_id: eyesId }),
      });
    }
    const content = OUTCOME_REACTIONS[task.status as TaskOutcome];
    if (eyes && content) {
      calls.push({
        key: outcomeKey(task.id),
        request: reactToComment(ref, commentSource, { comment_id: commentId, content }),
      });
    }
  }
  return calls;
}

/** The task a sent call stands for: its own, or, for a 👀 (queued before the task), the comment's task. */
async function taskOfCall(deps: Deps, { taskId, dedupeKey }: SentCall): Promise<Task | null> {
  if (taskId) return dedupeKey === checkKey(taskId, "queued") ? getTask(deps, taskId) : null;
  if (!dedupeKey.startsWith("github:eyes:")) return null;
  const [, , source, comment] = dedupeKey.split(":");
  const [row] = await deps.database.db
    .select({ id: tasks.id })
    .from(tasks)
    .where(eq(tasks.dedupeKey, commentTaskKey(source!, Number(comment))))
    .limit(1);
  return row ? getTask(deps, row.id) : null;
}

/**
 * The surface's `sent` hook. The check run GitHub just created: start it if the review is running, complete
 * it if the review already ended. A 👀 that landed after its task ended: swap it now.
 */
export async function githubSent(deps: Deps, call: SentCall): Promise<void> {
  const task = await taskOfCall(deps, call);
  if (!task) return;
  if (isTerminal(task.status)) {
    await queueTaskCalls(deps, task.id, await githubSettleCalls(deps, task));
    return;
  }
  if (task.status === "running") await startCheck(deps, task);
}
