import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseReviewAnswer } from "../../src/replies/findings";
import {
  type CodexExecutorOptions,
  createCodexExecutor,
  type PullRequestRequest,
} from "../../src/runtime/executors/codex";
import type { TaskEnvironment } from "../../src/tasks/executors/types";
import {
  type ExecutionContext,
  ExecutorError,
  type ExecutorResult,
  type ProgressUpdate,
  TaskStopped,
} from "../../src/tasks/executors/types";
import type { Task } from "../../src/tasks/types";
import { fakeCodexWorld, git, runningTask } from "../helpers/git-fixtures";

const root = mkdtempSync(join(tmpdir(), "hub-codex-"));
let remote = "";
let codexBin = "";
const workRoot = join(root, "work");
let invocation = 0;

beforeAll(() => {
  ({ codexBin, remote } = fakeCodexWorld(root, "widgets"));
  mkdirSync(workRoot);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const environment = (overrides: Partial<TaskEnvironment> = {}): TaskEnvironment => ({
  id: "env_1",
  repository: "acme/widgets",
  internet: { mode: "off" },
  canWrite: true,
  ...overrides,
});

function task(overrides: Partial<Task> = {}): Task {
  return runningTask({
    id: `tsk_codex${++invocation}`,
    environmentId: "env_1",
    title: "Update the README",
    prompt: "Update the README with usage notes",
    ...overrides,
  });
}

function harness(scenario: string, options: Partial<CodexExecutorOptions> = {}) {
  const log = join(root, `log-${scenario}-${++invocation}.jsonl`);
  const tokens: { repository: string; permissions: unknown }[] = [];
  const pulls: PullRequestRequest[] = [];
  const executor = createCodexExecutor({
    codexPath: codexBin,
    env: { PATH: process.env.PATH ?? "", HOME: root, FAKE_CODEX_SCENARIO: scenario, FAKE_CODEX_LOG: log },
    workRoot,
    repositoryUrl: () => remote,
    getRepoToken: async (repository, permissions) => {
      tokens.push({ repository, permissions });
      return "ghs_test_token";
    },
    openPullRequest: async (request) => {
      pulls.push(request);
      return { url: "https://github.com/acme/widgets/pull/7" };
    },
    ...options,
  });
  const invocations = () =>
    existsSync(log)
      ? readFileSync(log, "utf8")
          .trim()
          .split("\n")
          .map(
            (l) => JSON.parse(l) as { args: string[]; input: string; pid: number; httpsProxy: string | null },
          )
      : [];
  return { executor, tokens, pulls, invocations };
}

function context(env: TaskEnvironment | null = environment(), controller = new AbortController()) {
  const progress: ProgressUpdate[] = [];
  let state: Record<string, unknown> = {};
  const ctx: ExecutionContext = {
    signal: controller.signal,
    ...(env ? { environment: env } : {}),
    onProgress: (event) => progress.push(event),
    async checkpoint(update) {
      state = { ...state, ...update };
    },
  };
  return { ctx, progress, state: () => state, controller };
}

async function failure(promise: Promise<unknown>): Promise<ExecutorError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ExecutorError);
    return error as ExecutorError;
  }
  throw new Error("expected the executor to fail");
}

const workDirs = () =>
  existsSync(workRoot) ? execFileSync("ls", [workRoot], { encoding: "utf8" }).trim() : "";

describe("codex executor (fake codex CLI, local git remote)", () => {
  it("runs Codex in a fresh checkout and records its events, thread and answer", async () => {
    const h = harness("answer");
    const c = context();
    const result = (await h.executor.run(task(), c.ctx)) as ExecutorResult;
    expect(result.answer).toBe("Done: Update the README with usage notes");
    expect(result.usage).toEqual({ inputTokens: 120, outputTokens: 30, cachedInputTokens: 20 });
    expect(result.prUrl).toBeUndefined();
    expect(c.progress.map((p) => p.type)).toEqual(["status", "status", "thought", "command", "message"]);
    expect(c.progress).toContainEqual({ type: "command", text: "$ ls (exit 0)" });
    const [call] = h.invocations();
    expect(c.state()).toMatchObject({ threadId: `thread_${call!.pid}`, answer: result.answer });
    expect(call!.args.join(" ")).toContain("--sandbox workspace-write");
    expect(call!.args).toContain("sandbox_workspace_write.network_access=false");
    expect(call!.args).toContain('approval_policy="never"');
    expect(call!.args[call!.args.indexOf("--cd") + 1]).toMatch(/codex-tsk_codex\d+-\w+\/repo$/);
    expect(call!.input).toContain("# Request\n\nUpdate the README with usage notes");
    expect(h.tokens).toEqual([{ repository: "acme/widgets", permissions: { contents: "read" } }]);
    expect(workDirs()).toBe(""); // the checkout is removed once the task is done
  });

  it("gives a review the findings schema and a read-only sandbox", async () => {
    const h = harness("review");
    const result = (await h.executor.run(task({ kind: "review" }), context().ctx)) as ExecutorResult;
    const parsed = parseReviewAnswer(result.answer);
    expect(parsed).toMatchObject({
      ok: true,
      value: { findings: [{ title: "Null dereference", priority: 1 }] },
    });
    const [call] = h.invocations();
    expect(call!.args.join(" ")).toContain("--sandbox read-only");
    expect(call!.args).toContain("--output-schema");
  });

  it("runs an Ask task in the read-only sandbox (sandboxMode read-only), without network", async () => {
    const h = harness("answer");
    const internet = { mode: "allowlist" as const, domains: ["pypi.org"], methods: ["GET"] };
    const result = (await h.executor.run(
      task({ mode: "ask" }),
      context(environment({ internet })).ctx,
    )) as ExecutorResult;
    expect(result.answer).toMatch(/^Done: /);
    const [call] = h.invocations();
    expect(call!.args.join(" ")).toContain("--sandbox read-only");
    expect(call!.args).toContain("sandbox_workspace_write.network_access=false");
    expect(h.tokens).toEqual([{ repository: "acme/widgets", permissions: { contents: "read" } }]);
  });

  it("reports a failed turn as an agent failure (not retried)", async () => {
    const error = await failure(harness("fail").executor.run(task(), context().ctx));
    expect(error.infrastructure).toBe(false);
    expect(error.message).toBe("Codex failed: the model refused the request");
  });

  it("reports a CLI that could not start as an infrastructure failure", async () => {
    const startup = await failure(harness("startup-error").executor.run(task(), context().ctx));
    expect(startup.infrastructure).toBe(true);
    expect(startup.message).toContain("Not logged in");
    const missing = await failure(
      harness("answer", { codexPath: join(root, "no-such-codex") }).executor.run(task(), context().ctx),
    );
    expect(missing.infrastructure).toBe(true);
    expect(missing.message).toMatch(/^Codex could not be started: .*ENOENT/);
  });

  it("pushes codex/<task-id> and opens a pull request when files changed and the requester may write", async () => {
    const h = harness("changes");
    const t = task();
    const result = (await h.executor.run(t, context().ctx)) as ExecutorResult;
    expect(result.prUrl).toBe("https://github.com/acme/widgets/pull/7");
    expect(result.changedFiles?.sort()).toEqual(["NOTES.md", "README.md"]);
    expect(h.pulls).toEqual([
      expect.objectContaining({
        repository: "acme/widgets",
        head: `codex/${t.id}`,
        base: "main",
        title: t.title,
      }),
    ]);
    expect(h.tokens.map((x) => x.permissions)).toEqual([{ contents: "read" }, { contents: "write" }]);
    expect(git(["show", `codex/${t.id}:NOTES.md`], remote)).toBe("notes\n");
    expect(git(["show", `codex/${t.id}:README.md`], remote)).toContain("Updated by the agent.");
    expect(git(["show", "main:README.md"], remote)).toBe("# Widgets\n");
  });

  it("reports the changes and why no pull request was opened when the requester cannot write", async () => {
    const h = harness("changes");
    const t = task();
    const env = environment({
      canWrite: false,
      noWriteReason: "GitHub says you cannot write to acme/widgets",
    });
    const result = (await h.executor.run(t, context(env).ctx)) as ExecutorResult;
    expect(result.prUrl).toBeUndefined();
    expect(result.answer).toContain("Updated the README and added notes.");
    expect(result.answer).toContain("Changed files (2): `NOTES.md`, `README.md`.");
    expect(result.answer).toContain(
      "No pull request was opened: GitHub says you cannot write to acme/widgets.",
    );
    expect(h.pulls).toEqual([]);
    expect(git(["branch", "--list", `codex/${t.id}`], remote).trim()).toBe("");
  });

  it("sends the agent's commands, not the CLI itself, through the egress proxy where the task has network", async () => {
    const proxyUrl = "http://tsk_x:secret-token@127.0.0.1:3128";
    const h = harness("answer", {
      agentEnv: () => ({ HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl, NO_PROXY: "" }),
    });
    const allowlist = {
      mode: "allowlist" as const,
      domains: [],
      methods: ["GET"],
      presets: ["common-dependencies" as const],
    };
    await h.executor.run(task(), context(environment({ internet: allowlist })).ctx);
    await h.executor.run(task(), context(environment()).ctx);
    const [open, closed] = h.invocations();
    expect(open!.args).toContain("sandbox_workspace_write.network_access=true");
    expect(open!.args).toContain(`shell_environment_policy.set.HTTPS_PROXY="${proxyUrl}"`);
    expect(open!.args).toContain('shell_environment_policy.set.NO_PROXY=""');
    expect(open!.httpsProxy).toBeNull();
    expect(closed!.args).toContain("sandbox_workspace_write.network_access=false");
    expect(closed!.args.join(" ")).not.toContain("shell_environment_policy");
  });

  it("follows the managed policy and the environment's internet access", async () => {
    const h = harness("answer");
    await h.executor.run(
      task(),
      context(environment({ internet: { mode: "allowlist", domains: ["pypi.org"], methods: ["GET"] } })).ctx,
    );
    await h.executor.run(
      task(),
      context(
        environment({
          internet: { mode: "allowlist", domains: ["pypi.org"], methods: ["GET"] },
          allowedSandboxModes: ["read-only"],
        }),
      ).ctx,
    );
    const [open, locked] = h.invocations();
    expect(open!.args).toContain("sandbox_workspace_write.network_access=true");
    expect(open!.args.join(" ")).toContain("--sandbox workspace-write");
    expect(locked!.args.join(" ")).toContain("--sandbox read-only");
    expect(locked!.args).toContain("sandbox_workspace_write.network_access=false");

    const refused = await failure(
      h.executor.run(task(), context(environment({ allowedSandboxModes: ["danger-full-access"] })).ctx),
    );
    expect(refused.infrastructure).toBe(false);
    expect(refused.message).toMatch(/managed policy allows only danger-full-access/);
    expect(h.invocations()).toHaveLength(2);
  });

  it("refuses a task without an environment", async () => {
    const error = await failure(harness("answer").executor.run(task(), context(null).ctx));
    expect(error.infrastructure).toBe(false);
    expect(error.message).toMatch(/no environment/);
  });

  it("kills Codex at the timeout", async () => {
    const h = harness("hang");
    const c = context();
    setTimeout(() => c.controller.abort(new TaskStopped("timeout")), 500);
    const error = await failure(h.executor.run(task(), c.ctx));
    expect(error.message).toBe("Codex was stopped.");
    const [call] = h.invocations();
    await new Promise((r) => setTimeout(r, 200));
    expect(() => process.kill(call!.pid, 0)).toThrow();
    expect(workDirs()).toBe("");
  });

  it("resumes the recorded thread in the kept checkout after a restart, and never re-runs an answered agent", async () => {
    const first = harness("hang");
    const t = task();
    const c = context();
    // The hub stops once Codex has recorded its thread (however long a busy machine takes to get there).
    const stopOnceRecorded = setInterval(() => {
      if (!c.state().threadId) return;
      clearInterval(stopOnceRecorded);
      c.controller.abort(new TaskStopped("shutdown"));
    }, 20);
    await failure(first.executor.run(t, c.ctx));
    clearInterval(stopOnceRecorded);
    const state = c.state();
    expect(state.threadId).toMatch(/^thread_\d+$/);
    expect(existsSync(join(String(state.checkoutDir), "repo", "README.md"))).toBe(true);

    const second = harness("answer");
    const resumed = await second.executor.resume!(t, state, context().ctx);
    expect(resumed.answer).toMatch(/^Resumed and done: /);
    const [call] = second.invocations();
    expect(call!.args.slice(-2)).toEqual(["resume", state.threadId]);
    expect(existsSync(String(state.checkoutDir))).toBe(false);

    const third = harness("answer");
    const kept = await third.executor.resume!(
      t,
      { ...state, answer: "the answer given before" },
      context().ctx,
    );
    expect(kept.answer).toContain("the answer given before");
    expect(third.invocations()).toEqual([]);
  });
});
