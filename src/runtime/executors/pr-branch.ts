import { withNote } from "../../tasks/executors/codex-events";
import type { ExecutionContext, ExecutorResult } from "../../tasks/executors/types";
import type { Task } from "../../tasks/types";
import { type GitOptions, pushHead } from "./git";

// A task asked on a pull request (`@codex <task>` on GitHub) pushes its commit onto that pull request's own
// branch when the requester may write and the branch accepts it; otherwise the caller falls back to a new
// branch with a pull request onto it. A fork's branch is never pushed to.

/** The pull request's head branch, from the context the GitHub surface gave the task. */
export function pullRequestBranch(task: Task): string | null {
  if (task.origin.surface !== "github" || task.origin.fromFork) return null;
  const head = (task.context.pullRequest as { head?: { ref?: unknown } } | undefined)?.head?.ref;
  return typeof head === "string" && /^[\w./-]+$/.test(head) && !head.startsWith("-") ? head : null;
}

/** Pushes the committed HEAD onto the branch (never forced); null when the branch does not accept it. */
export async function pushToPullRequest(
  task: Task,
  branch: string,
  git: { dir: string; url: string; token: string | null; options: GitOptions },
  changed: string[],
  answer: string,
  context: Pick<ExecutionContext, "onProgress" | "checkpoint">,
): Promise<ExecutorResult | null> {
  try {
    await pushHead(git.dir, git.url, branch, git.token, git.options);
  } catch (error) {
    context.onProgress({
      type: "status",
      text: `The branch ${branch} did not accept the push (${(error as Error).message}); opening a pull request onto it instead.`,
    });
    return null;
  }
  context.onProgress({ type: "status", text: `Pushed ${changed.length} changed file(s) to ${branch}.` });
  const url = (task.context.pullRequest as { url?: unknown } | undefined)?.url;
  const prUrl = typeof url === "string" ? url : undefined;
  await context.checkpoint({ ...(prUrl ? { prUrl } : {}), changedFiles: changed });
  return {
    answer: withNote(answer, changed, `Pushed to the pull request's branch \`${branch}\`.`),
    ...(prUrl ? { prUrl } : {}),
    changedFiles: changed,
  };
}
