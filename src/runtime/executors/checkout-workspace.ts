import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ExecutionContext } from "../../tasks/executors/types";
import type { Task } from "../../tasks/types";
import type { RepoTokenProvider } from "./codex";
import { emptyTempDir, type Workspace } from "./command";
import { checkoutPullRequest, cloneRepository } from "./git";

// Node only: the command executor's working directory for a task with an environment is a checkout of its
// repository (cloned with a read-only token for that one repository), so the agent works on the code and the
// repository's Team Config (`.codex/`) reaches it. Tasks without an environment get an empty directory.

export interface CheckoutWorkspaceOptions {
  repositoryUrl(repository: string): string;
  getRepoToken: RepoTokenProvider;
  /** Environment of git (PATH, HOME). */
  env: Record<string, string>;
  workRoot?: string;
}

export function checkoutWorkspace(options: CheckoutWorkspaceOptions) {
  return async (task: Task, context: ExecutionContext): Promise<Workspace> => {
    const environment = context.environment;
    if (!environment) return emptyTempDir(task);
    const workdir = await mkdtemp(join(options.workRoot ?? tmpdir(), `codex-hub-${task.id}-`));
    const cleanup = () => rm(workdir, { recursive: true, force: true });
    const dir = join(workdir, "repo");
    const git = { env: options.env, signal: context.signal };
    try {
      const token = await options.getRepoToken(environment.repository, { contents: "read" }, task);
      await cloneRepository(options.repositoryUrl(environment.repository), dir, token, git);
      if (task.origin.surface === "github") await checkoutPullRequest(dir, task.origin.prNumber, token, git);
    } catch (error) {
      await cleanup();
      throw new Error(`${environment.repository} could not be checked out: ${(error as Error).message}`);
    }
    context.onProgress({ type: "status", text: `Checked out ${environment.repository}.` });
    return { dir, cleanup };
  };
}
