import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCodexExecutor, type PullRequestRequest } from "../../src/runtime/executors/codex";
import type { ExecutionContext, ExecutorResult } from "../../src/tasks/executors/types";
import type { Task } from "../../src/tasks/types";
import { fakeCodexWorld, git, runningTask } from "../helpers/git-fixtures";

// `@codex <task>` on a pull request: the changes go onto the pull request's own branch when the requester
// may write and the branch accepts the push; otherwise onto a new branch with a pull request into it; a
// fork is never pushed to. Real git against a local remote, the Codex CLI replaced by the test fixture.

const root = mkdtempSync(join(tmpdir(), "hub-pr-push-"));
let remote = "";
let codexBin = "";
let n = 0;

beforeAll(() => {
  ({ codexBin, remote } = fakeCodexWorld(root, "hello"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A pull request #number whose head branch `branch` has one commit on top of main. */
function pullRequest(number: number, branch: string) {
  const work = join(root, `pr-${number}`);
  git(["clone", remote, work]);
  git(["checkout", "-b", branch], work);
  writeFileSync(join(work, "feature.txt"), "feature\n");
  git(["add", "."], work);
  git(["commit", "-m", "feature"], work);
  git(["push", "origin", `HEAD:refs/heads/${branch}`, `HEAD:refs/pull/${number}/head`], work);
  return work;
}

function task(number: number, branch: string, fromFork = false, mode: Task["mode"] = "code"): Task {
  return runningTask({
    mode,
    id: `tsk_push${++n}`,
    origin: { surface: "github", installationId: 1, repository: "acme/hello", prNumber: number, fromFork },
    environmentId: "env",
    title: "Add notes",
    prompt: "Add notes",
    context: { pullRequest: { url: `https://github.com/acme/hello/pull/${number}`, head: { ref: branch } } },
  });
}

function run(t: Task) {
  const pulls: PullRequestRequest[] = [];
  const executor = createCodexExecutor({
    codexPath: codexBin,
    env: { PATH: process.env.PATH ?? "", HOME: root, FAKE_CODEX_SCENARIO: "changes" },
    workRoot: root,
    repositoryUrl: () => remote,
    getRepoToken: async () => null,
    openPullRequest: async (request) => {
      pulls.push(request);
      return { url: "https://github.com/acme/hello/pull/99" };
    },
  });
  const context: ExecutionContext = {
    signal: new AbortController().signal,
    environment: { id: "env", repository: "acme/hello", internet: { mode: "off" }, canWrite: true },
    onProgress: () => {},
    checkpoint: async () => {},
  };
  return { pulls, result: executor.run(t, context) as Promise<ExecutorResult> };
}

describe("pushing a task's changes asked on a pull request", () => {
  it("pushes onto the pull request's own branch when it accepts the push", async () => {
    pullRequest(2, "feature-a");
    const { pulls, result } = run(task(2, "feature-a"));
    const done = await result;
    expect(done.prUrl).toBe("https://github.com/acme/hello/pull/2");
    expect(done.answer).toContain("Pushed to the pull request's branch `feature-a`.");
    expect(pulls).toEqual([]);
    expect(git(["show", "feature-a:NOTES.md"], remote)).toBe("notes\n");
    expect(git(["show", "feature-a:feature.txt"], remote)).toBe("feature\n");
  });

  it("opens a pull request into that branch when the branch moved on since", async () => {
    const work = pullRequest(3, "feature-b");
    writeFileSync(join(work, "later.txt"), "pushed meanwhile\n");
    git(["add", "."], work);
    git(["commit", "-m", "later"], work);
    git(["push", "origin", "HEAD:refs/heads/feature-b"], work);
    const t = task(3, "feature-b");
    const { pulls, result } = run(t);
    const done = await result;
    expect(done.prUrl).toBe("https://github.com/acme/hello/pull/99");
    expect(pulls).toEqual([expect.objectContaining({ head: `codex/${t.id}`, base: "feature-b" })]);
    // The branch keeps what was pushed meanwhile; nothing was forced.
    expect(git(["show", "feature-b:later.txt"], remote)).toBe("pushed meanwhile\n");
    expect(git(["show", `codex/${t.id}:NOTES.md`], remote)).toBe("notes\n");
  });

  it("never pushes to a fork's pull request", async () => {
    pullRequest(4, "feature-c");
    const t = task(4, "feature-c", true);
    const { pulls, result } = run(t);
    const done = await result;
    expect(done.prUrl).toBeUndefined();
    expect(done.answer).toContain("No pull request was opened: the pull request comes from a fork");
    expect(pulls).toEqual([]);
    expect(git(["branch", "--list", `codex/${t.id}`], remote).trim()).toBe("");
    expect(() => git(["show", "feature-c:NOTES.md"], remote)).toThrow();
  });

  it("never pushes an Ask task, even where the requester may write and the agent changed files", async () => {
    pullRequest(5, "feature-d");
    const before = git(["rev-parse", "feature-d"], remote);
    const t = task(5, "feature-d", false, "ask");
    const { pulls, result } = run(t);
    const done = await result;
    expect(done.prUrl).toBeUndefined();
    expect(done.changedFiles?.sort()).toEqual(["NOTES.md", "README.md"]);
    expect(done.answer).toContain(
      "These changes were not pushed and no pull request was opened: this was an Ask task",
    );
    expect(pulls).toEqual([]);
    expect(git(["rev-parse", "feature-d"], remote)).toBe(before);
    expect(git(["branch", "--list", `codex/${t.id}`], remote).trim()).toBe("");
  });
});
