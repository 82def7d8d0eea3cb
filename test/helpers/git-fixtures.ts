import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Task } from "../../src/tasks/types";

const fakeCodex = fileURLToPath(new URL("../fixtures/fake-codex.mjs", import.meta.url));

/** git with a fixed identity, output as text; throws (with git's stderr) when git fails. */
export function git(args: string[], cwd?: string): string {
  return execFileSync("git", ["-c", "user.name=Test", "-c", "user.email=test@example.com", ...args], {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/**
 * Under `root`: a `codex` executable that runs the fake CLI (test/fixtures/fake-codex.mjs) with this Node, since
 * the SDK spawns the path it is given; and a bare repository `<name>.git` whose main has one commit adding a
 * README. Returns both paths.
 */
export function fakeCodexWorld(root: string, name: string): { codexBin: string; remote: string } {
  const codexBin = join(root, "bin", "codex");
  mkdirSync(join(root, "bin"));
  writeFileSync(codexBin, `#!/bin/sh\nexec "${process.execPath}" "${fakeCodex}" "$@"\n`);
  chmodSync(codexBin, 0o755);
  const remote = join(root, `${name}.git`);
  git(["init", "--bare", "--initial-branch=main", remote]);
  const seed = join(root, "seed");
  git(["clone", remote, seed]);
  writeFileSync(join(seed, "README.md"), `# ${name[0]!.toUpperCase()}${name.slice(1)}\n`);
  git(["add", "."], seed);
  git(["commit", "-m", "initial"], seed);
  git(["push", "origin", "HEAD:main"], seed);
  return { codexBin, remote };
}

/** A task the runner has just started, for driving an executor directly. */
export function runningTask(overrides: Partial<Task> = {}): Task {
  return {
    id: "tsk_test",
    workspaceId: "ws",
    requesterMemberId: "mem",
    origin: { surface: "api" },
    environmentId: null,
    kind: "task",
    mode: "code",
    title: "A task",
    prompt: "A task",
    context: {},
    status: "running",
    answer: null,
    error: null,
    prUrl: null,
    usage: null,
    attempts: 1,
    createdAt: 0,
    startedAt: 0,
    finishedAt: null,
    ...overrides,
  };
}

/** A bare repository `<name>.git` under `root` whose main has one commit adding `files` (path → content). */
export function repositoryWith(root: string, name: string, files: Record<string, string>): string {
  const remote = join(root, `${name}.git`);
  git(["init", "--bare", "--initial-branch=main", remote]);
  const seed = join(root, `${name}-seed`);
  git(["clone", remote, seed]);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(seed, path)), { recursive: true });
    writeFileSync(join(seed, path), content);
  }
  git(["add", "."], seed);
  git(["commit", "-m", "initial"], seed);
  git(["push", "origin", "HEAD:main"], seed);
  return remote;
}
