import { execFile } from "node:child_process";
import { lstat, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

// Node only: git through node:child_process for the codex executor's checkouts.
// Tokens never touch argv or the checkout's .git/config (where the agent could read them): they travel as an
// `http.extraHeader` in GIT_CONFIG_* environment variables of the one git command that needs them.
//
// The agent can write anything in its checkout, .git included, and the hub later commits and pushes there
// with a write token. So every hub-side git call goes through `git()` below: no system or global config, the
// settings that run programs forced off on the command line (which wins over every config file), and the
// git directory pinned so a `.git` file or core.worktree cannot point elsewhere. Before its first call after
// the agent, the hub also replaces the checkout's .git/config with its own (`reclaimCheckout`): filter
// drivers, include.path, url.<base>.insteadOf or a remote's URL have names the command line cannot foresee.
// Pushes name their URL, never a remote. See https://git-scm.com/docs/git-config and githooks(5).

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

/** Settings that would run a program or hand the token on, each forced to a value that does neither. */
const safeSettings = [
  "core.hooksPath=/dev/null",
  "core.fsmonitor=false",
  "credential.helper=",
  "commit.gpgSign=false",
  "protocol.ext.allow=never",
  "gc.auto=0",
  "maintenance.auto=false",
].flatMap((setting) => ["-c", setting]);

function safeEnv(options: GitOptions & { cwd?: string; token?: string | null }): Record<string, string> {
  return {
    ...options.env,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    ...(options.cwd ? { GIT_DIR: join(options.cwd, ".git"), GIT_WORK_TREE: options.cwd } : {}),
    ...authEnv(options.token ?? null),
  };
}

/** The one way the hub runs git (see the top of this file). */
export function git(
  args: string[],
  options: GitOptions & { cwd?: string; token?: string | null },
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      [...safeSettings, ...args],
      {
        cwd: options.cwd,
        env: safeEnv(options),
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

/** Only the settings a fresh clone has: nothing the agent may have added survives. */
const hubConfig =
  "[core]\n\trepositoryformatversion = 0\n\tfilemode = true\n\tbare = false\n\tlogallrefupdates = true\n";

/**
 * Takes the checkout's git directory back from the agent before the hub works in it again: it must be a real
 * directory sharing nothing with another (no `commondir`), and its config is replaced by the hub's.
 */
async function reclaimCheckout(dir: string): Promise<void> {
  const gitDir = join(dir, ".git");
  const stat = await lstat(gitDir).catch(() => null);
  if (!stat?.isDirectory()) throw new GitError("The checkout's .git is no longer a directory.", "");
  if (await lstat(join(gitDir, "commondir")).catch(() => null)) {
    throw new GitError("The checkout's .git was pointed at another repository.", "");
  }
  // Removed first: a symlink is replaced, never written through.
  await rm(join(gitDir, "config"), { recursive: true, force: true });
  await writeFile(join(gitDir, "config"), hubConfig, { flag: "wx" });
}

/** Every file the agent added, changed or deleted, staged for a commit (untracked files included). */
export async function stageChanges(dir: string, options: GitOptions): Promise<string[]> {
  await reclaimCheckout(dir);
  await git(["add", "--all"], { ...options, cwd: dir });
  const out = await git(["diff", "--cached", "--name-only", "--no-ext-diff", "--no-textconv", "-z"], {
    ...options,
    cwd: dir,
  });
  return out.split("\0").filter(Boolean);
}

/** Commits the staged changes as Codex. */
export async function commitStaged(dir: string, message: string, options: GitOptions): Promise<void> {
  await reclaimCheckout(dir);
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

/**
 * Pushes HEAD as `branch` to `url` (the repository's, not whatever the checkout's remote now says), never
 * forced: a branch that moved on (or is protected) refuses it.
 */
export async function pushHead(
  dir: string,
  url: string,
  branch: string,
  token: string | null,
  options: GitOptions,
) {
  await reclaimCheckout(dir);
  await git(["push", "--no-verify", url, `HEAD:refs/heads/${branch}`], { ...options, cwd: dir, token });
}
