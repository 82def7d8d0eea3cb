import { commentOnPullRequest } from "../../clients/github/calls";
import type { OutboundRequest } from "../../clients/types";
import type { Deps, QueuedContext } from "../../deps";
import { renderMarkdownQueued } from "../../replies/queued";
import type { Standing } from "../../tasks/standing";
import type { Task } from "../../tasks/types";

/** A task or review that waits for a limit, told in a comment on its pull request. */
export async function queuedOnGitHub(
  _deps: Deps,
  task: Task,
  standing: Standing,
  context: QueuedContext,
): Promise<OutboundRequest[]> {
  const origin = task.origin;
  if (origin.surface !== "github") return [];
  const heading = task.kind === "review" ? "Review queued" : "Task queued";
  const ref = { installationId: origin.installationId, repository: origin.repository };
  const body = renderMarkdownQueued(standing, context.taskUrl, heading);
  return [commentOnPullRequest(ref, { issue_number: origin.prNumber, body })];
}
