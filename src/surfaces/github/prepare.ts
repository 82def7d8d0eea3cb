import type { Deps } from "../../deps";
import type { Task } from "../../tasks/types";
import { readReviewChanges } from "./review-context";

/**
 * Before a runner starts a review: its pull request's changed files, diff and review rules, read from GitHub
 * now rather than while the event was processed (review-context.ts says why). A review that was given them at
 * an earlier start (a retry) keeps what it was given.
 */
export async function prepareReviewTask(
  deps: Deps,
  task: Task,
): Promise<Record<string, unknown> | undefined> {
  if (task.origin.surface !== "github" || task.kind !== "review") return undefined;
  if (typeof task.context.diff === "string" || !task.origin.baseSha) return undefined;
  const ref = { installationId: task.origin.installationId, repository: task.origin.repository };
  return { ...(await readReviewChanges(deps, ref, task.origin.prNumber, task.origin.baseSha)) };
}
