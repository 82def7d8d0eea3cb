import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCodexExecutor, type PullRequestRequest } from "../../src/runtime/executors/codex";
import type { ExecutionContext, ExecutorResult } from "../../src/tasks/executors/types";
import { fakeCodexWorld, git, runningTask } from "../helpers/git-fixtures";

// The agent may write anything into its checkout's .git. When the hub then commits and pushes there (with a
// write token), none of it may run (hooks, core.hooksPath, core.fsmonitor, filters, a signing program) nor
// redirect the push (remote URL, url.<base>.insteadOf). Real git against local remotes.

const root = mkdtempSync(join(tmpdir(), "hub-hostile-"));
const markers = join(root, "markers");
let remote = "";
let decoy = "";
let codexBin = "";

beforeAll(() => {
  ({ codexBin, remote } = fakeCodexWorld(root, "widgets"));
  decoy = join(root, "decoy.git");
  git(["init", "--bare", "--initial-branch=main", decoy]);
  mkdirSync(markers);
  mkdirSync(join(root, "work"));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("committing and pushing in a checkout the agent has tampered with", () => {
  it("runs nothing the agent wrote into .git and pushes to the real repository", async () => {
    const pulls: PullRequestRequest[] = [];
    const executor = createCodexExecutor({
      codexPath: codexBin,
      env: {
        PATH: process.env.PATH ?? "",
        HOME: root,
        FAKE_CODEX_SCENARIO: "hostile",
        FAKE_CODEX_MARKERS: markers,
        FAKE_CODEX_DECOY: decoy,
      },
      workRoot: join(root, "work"),
      repositoryUrl: () => remote,
      getRepoToken: async () => "ghs_test_token",
      openPullRequest: async (request) => {
        pulls.push(request);
        return { url: "https://github.com/acme/widgets/pull/7" };
      },
    });
    const context: ExecutionContext = {
      signal: new AbortController().signal,
      environment: { id: "env", repository: "acme/widgets", internet: { mode: "off" }, canWrite: true },
      onProgress: () => {},
      checkpoint: async () => {},
    };
    const t = runningTask({ id: "tsk_hostile", environmentId: "env", title: "Update the README" });
    const result = (await executor.run(t, context)) as ExecutorResult;

    expect(readdirSync(markers)).toEqual([]);
    expect(result.prUrl).toBe("https://github.com/acme/widgets/pull/7");
    expect(result.changedFiles?.sort()).toEqual(["NOTES.md", "README.md"]);
    expect(git(["show", "codex/tsk_hostile:NOTES.md"], remote)).toBe("notes\n");
    expect(git(["show", "codex/tsk_hostile:README.md"], remote)).toContain("Updated by the agent.");
    expect(git(["for-each-ref"], decoy)).toBe("");
    expect(pulls).toHaveLength(1);
  });
});
