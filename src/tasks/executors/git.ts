import { execFile } from "node:child_process";

// Node only: git through node:child_process for the codex executor's checkouts.
// Tokens never touch argv or the checkout's .git/config (where the agent could read them): they travel as an
// `http.extraHeader` in GIT_CONFIG_* environment variables of the one git command that needs them.

export interface GitOptions {
  /** Base environment of git (PATH, HOME...). */
  env: Record<string, string>;
  signal?: AbortSignal;
}

export class GitError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
  ) {
    super(message);
    this.name = "GitError";
  }
}

function authEnv(token: string | null): Record<string, string> {
  if (!token) return {};
  const basic = btoa(`x-access-token:${token}`);
  return {
    GIT_CONFIG_COUNT: "1",
    GIT_CONFIG_KEY_0: "http.extraHeader",
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
  };
}

export function git(
  args: string[],
  options: GitOptions & { cwd?: string; token?: string | null },
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      args,
      {
        cwd: options.cwd,
        env: { ...options.env, GIT_TERMINAL_PROMPT: "0", ...authEnv(options.token ?? null) },
        signal: options.signal,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error) {
          // Never echo a token back: git may print the URL it used.
          const detail = String(stderr)
            .replace(/x-access-token:[^@\s]+@/g, "x-access-token:***@")
            .trim();
          reject(new GitError(`git ${args[0]} failed: ${detail.slice(-1000) || error.message}`, detail));
        } else {
          resolve(String(stdout));
        }
      },
    );
  });
}

/** Shallow clone of the default branch; returns that branch's name. */
export async function cloneRepository(url: string, dir: string, token: string | null, options: GitOptions) {
  await git(["clone", "--depth", "1", "--no-tags", url, dir], { ...options, token });
  return (await git(["rev-parse", "--abbrev-ref", "HEAD"], { ...options, cwd: dir })).trim();
}

/** Checks out a pull request's head (GitHub serves it as `pull/<n>/head`); false when it cannot be fetched. */
export async function checkoutPullRequest(
  dir: string,
  prNumber: number,
  token: string | null,
  options: GitOptions,
) {
  try {
    await git(["fetch", "--depth", "1", "origin", `pull/${prNumber}/head`], { ...options, cwd: dir, token });
    await git(["checkout", "--detach", "FETCH_HEAD"], { ...options, cwd: dir });
    return true;
  } catch {
    return false;
  }
}

/** Every file the agent added, changed or deleted, staged for a commit (untracked files included). */
export async function stageChanges(dir: string, options: GitOptions): Promise<string[]> {
  await git(["add", "--all"], { ...options, cwd: dir });
  const out = await git(["diff", "--cached", "--name-only", "-z"], { ...options, cwd: dir });
  return out.split("\0").filter(Boolean);
}

/** Commits the staged changes and pushes them as `branch`. */
export async function commitAndPush(
  dir: string,
  branch: string,
  message: string,
  token: string | null,
  options: GitOptions,
): Promise<void> {
  await commitStaged(dir, message, options);
  await pushHead(dir, branch, token, options);
}

/** Commits the staged changes as Codex. */
export async function commitStaged(dir: string, message: string, options: GitOptions): Promise<void> {
  await git(
    [
      "-c",
      "user.name=Codex",
      "-c",
      "user.email=codex@users.noreply.github.com",
      "commit",
      "--no-verify",
      "-m",
      message,
    ],
    { ...options, cwd: dir },
  );
}

/** Pushes HEAD as `branch`, never forced: a branch that moved on (or is protected) refuses it. */
export async function pushHead(dir: string, branch: string, token: string | null, options: GitOptions) {
  await git(["push", "origin", `HEAD:refs/heads/${branch}`], { ...options, cwd: dir, token });
}
