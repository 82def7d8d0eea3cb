import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseReviewAnswer } from "../../src/replies/findings";
import { createCommandExecutor } from "../../src/runtime/executors/command";
import { demoAgentCommand } from "../../src/runtime/executors/node-executors";
import {
  type ExecutionContext,
  ExecutorError,
  type ExecutorResult,
  type ProgressUpdate,
} from "../../src/tasks/executors/types";
import type { Task } from "../../src/tasks/types";
import { runningTask } from "../helpers/git-fixtures";

const dir = mkdtempSync(join(tmpdir(), "hub-command-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const env = { PATH: process.env.PATH ?? "/usr/bin:/bin" };

function task(overrides: Partial<Task> = {}): Task {
  return runningTask({
    id: "tsk_cmd1",
    title: "Fix the flaky test",
    prompt: "Fix the flaky test in checkout.spec.ts",
    ...overrides,
  });
}

function context(signal = new AbortController().signal, steps: ProgressUpdate[] = []): ExecutionContext {
  return { signal, onProgress: (step) => steps.push(step), async checkpoint() {} };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
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

describe("command executor (real processes)", () => {
  it("gives the prompt on stdin and TASK_ID/TASK_KIND in the environment; stdout is the answer", async () => {
    const executor = createCommandExecutor({
      command: 'printf "%s|%s|%s|" "$TASK_ID" "$TASK_KIND" "$(pwd)"; cat',
      env,
    });
    const result = (await executor.run(
      task({ context: { thread: "earlier message" } }),
      context(),
    )) as ExecutorResult;
    const [id, kind, cwd, stdin] = result.answer.split("|");
    expect(id).toBe("tsk_cmd1");
    expect(kind).toBe("task");
    expect(cwd).toContain("codex-hub-tsk_cmd1-");
    expect(existsSync(cwd!)).toBe(false); // the empty temp dir is removed afterwards
    expect(stdin).toContain("Fix the flaky test in checkout.spec.ts");
    expect(stdin).toContain("# Context: thread\n\nearlier message");
  });

  it("does not hand the hub's own environment to the agent", async () => {
    process.env.HUB_TEST_SECRET_FOR_AGENT = "do-not-leak";
    try {
      const executor = createCommandExecutor({ command: 'printf "[%s]" "$HUB_TEST_SECRET_FOR_AGENT"', env });
      expect(((await executor.run(task(), context())) as ExecutorResult).answer).toBe("[]");
    } finally {
      delete process.env.HUB_TEST_SECRET_FOR_AGENT;
    }
  });

  it("fails on a non-zero exit with the tail of stderr, as an agent failure", async () => {
    const executor = createCommandExecutor({
      command:
        'echo "partial answer"; for i in $(seq 1 500); do echo "noise $i" >&2; done; echo "fatal: out of ideas" >&2; exit 3',
      env,
    });
    const error = await failure(executor.run(task(), context()));
    expect(error.infrastructure).toBe(false);
    expect(error.message).toMatch(/^The agent exited with code 3: /);
    expect(error.message).toContain("fatal: out of ideas");
    expect(error.message).not.toContain("noise 1\n");
    expect(error.message.length).toBeLessThan(2100);
  });

  it("reports a command that cannot be run as an infrastructure failure", async () => {
    const executor = createCommandExecutor({ command: "/nonexistent/agent-binary", env });
    const error = await failure(executor.run(task(), context()));
    expect(error.infrastructure).toBe(true);
    expect(error.message).toMatch(/could not be run \(exit 127\)/);
  });

  it("turns JSON lines on fd 3 into progress steps, and skips anything else with one note", async () => {
    const lines = [
      '{"step": "Running the tests"}',
      "not json at all",
      '{"type": "command", "text": "npm test"}',
      '{"neither": "step nor text"}',
      "",
    ];
    // A line split across writes, in the middle of a multi-byte character (é), is still one step.
    const split = `printf '{"step": "Reading caf\\303' >&3; printf '\\251"}\\n' >&3`;
    const executor = createCommandExecutor({
      command: `printf '%s\\n' ${lines.map((l) => `'${l}'`).join(" ")} >&$HUB_PROGRESS_FD; ${split}; printf '{"step": "no newline"}' >&3; echo answer`,
      env,
    });
    const steps: ProgressUpdate[] = [];
    const result = (await executor.run(task(), context(undefined, steps))) as ExecutorResult;
    expect(result.answer).toBe("answer");
    expect(steps).toEqual([
      { type: "step", text: "Running the tests" },
      { type: "command", text: "npm test" },
      { type: "step", text: "Reading café" },
      { type: "step", text: "no newline" },
      {
        type: "status",
        text: 'Skipped 2 line(s) on the progress channel (fd 3) that were not steps such as {"step": "Running the tests"}.',
      },
    ]);
  });

  it("skips a progress line over 16 KB without keeping it, and reads the lines after it", async () => {
    const executor = createCommandExecutor({
      command: `head -c 40000 /dev/zero | tr '\\0' a >&3; printf '\\n{"step": "after the long line"}\\n' >&3; echo ok`,
      env,
    });
    const steps: ProgressUpdate[] = [];
    await executor.run(task(), context(undefined, steps));
    expect(steps.map((s) => s.text)).toEqual([
      "after the long line",
      expect.stringContaining("Skipped 1 line(s)"),
    ]);
  });

  it("kills the whole process group when stopped (timeout or cancel)", async () => {
    const pidFile = join(dir, "child.pid");
    const executor = createCommandExecutor({
      command: `sleep 30 & echo $! > ${pidFile}; wait`,
      env,
      killGraceMs: 500,
    });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 300);
    const error = await failure(executor.run(task(), context(controller.signal)));
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error.message).toBe("The agent was stopped.");
    const pid = Number(readFileSync(pidFile, "utf8"));
    // The background `sleep` went with its group (a zombie waiting for its new parent counts as gone).
    const deadline = Date.now() + 2_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(alive(pid)).toBe(false);
  });
});

describe("demo agent (scripts/demo-agent.mjs)", () => {
  const demo = createCommandExecutor({ command: demoAgentCommand(), env });

  it("answers a task by restating the request and the context it received", async () => {
    const result = (await demo.run(
      task({ context: { thread: "Alice: the build is red\nBob: since this morning" } }),
      context(),
    )) as ExecutorResult;
    expect(result.answer).toContain("Demo agent");
    expect(result.answer).toContain("> Fix the flaky test in checkout.spec.ts");
    expect(result.answer).toContain("**thread**: 2 line(s)");
  });

  it("reviews a diff with valid findings JSON pointing at the added lines", async () => {
    const diff = [
      "diff --git a/src/app.ts b/src/app.ts",
      "--- a/src/app.ts",
      "+++ b/src/app.ts",
      "@@ -10,3 +10,5 @@ export function main() {",
      "   const a = 1;",
      "+  console.log(a);",
      "   const b = 2;",
      "+  // TODO: handle errors",
      "   return a + b;",
    ].join("\n");
    const result = (await demo.run(
      task({ kind: "review", prompt: "Review this pull request", context: { diff } }),
      context(),
    )) as ExecutorResult;
    const parsed = parseReviewAnswer(result.answer);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.findings).toEqual([
      expect.objectContaining({
        path: "src/app.ts",
        line: 11,
        priority: 1,
        title: "Debug output left in the change",
      }),
      expect.objectContaining({ path: "src/app.ts", line: 13, priority: 2 }),
    ]);
  });

  it("reports its steps on the progress channel", async () => {
    const steps: ProgressUpdate[] = [];
    await demo.run(task(), context(undefined, steps));
    expect(steps).toEqual([
      { type: "step", text: "Reading the request" },
      { type: "step", text: "Writing the answer" },
    ]);
  });

  it("answers a review without a diff with an empty list of findings", async () => {
    const result = (await demo.run(task({ kind: "review" }), context())) as ExecutorResult;
    const parsed = parseReviewAnswer(result.answer);
    expect(parsed).toMatchObject({ ok: true, value: { findings: [] } });
  });
});
