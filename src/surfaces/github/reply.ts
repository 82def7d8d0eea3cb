import { commentOnPullRequest } from "../../clients/github/calls";
import type { OutboundRequest } from "../../clients/types";
import type { Deps, ReplyContext } from "../../deps";
import type { TaskOutcome } from "../../replies/completion";
import { renderGithubTaskComment } from "../../replies/github-comment";
import type { Task } from "../../tasks/types";
import { publishReview } from "./publisher";

/** A finished task on its pull request: a review is published as a review, a `@codex` task's answer as a comment. */
export async function replyOnGitHub(
  deps: Deps,
  task: Task,
  context: ReplyContext,
): Promise<OutboundRequest[]> {
  const origin = task.origin;
  if (origin.surface !== "github") return [];
  if (task.kind === "review") return publishReview(deps, task, context);
  const body = renderGithubTaskComment({
    status: task.status as TaskOutcome,
    title: task.title,
    answer: task.answer,
    error: task.error,
    taskUrl: context.taskUrl,
    prUrl: task.prUrl,
    mode: task.mode,
  });
  const ref = { installationId: origin.installationId, repository: origin.repository };
  return [commentOnPullRequest(ref, { issue_number: origin.prNumber, body })];
}
