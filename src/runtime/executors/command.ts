import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { createProgressLineReader } from "../../tasks/executors/progress-lines";
import { type ExecutionContext, type Executor, ExecutorError } from "../../tasks/executors/types";
import { renderPrompt } from "../../tasks/prompt";
import type { Task } from "../../tasks/types";
import { type CommandSetup, commandSetup } from "./command-setup";

// Node only (child processes): wired from src/runtime/node.ts.

export interface Workspace {
  dir: string;
  cleanup(): Promise<void>;
}

export interface CommandExecutorOptions {
  /** A shell command line (HUB_EXECUTOR_COMMAND), run with `/bin/sh -c`. */
  command: string;
  /**
   * Environment of the agent process. Deliberately not the hub's own environment: the hub's secrets must not
   * reach the agent. `TASK_ID`, `TASK_KIND`, `TASK_MODE` and `HUB_PROGRESS_FD` are added.
   */
  env?: Record<string, string>;
  /** Variables of one task on top of `env`: the egress proxy's, with the task's credentials. */
  taskEnv?: (task: Task) => Record<string, string> | undefined;
  /** Where the agent works: defaults to a fresh empty temporary directory, removed afterwards. */
  workspace?: (task: Task, context: ExecutionContext) => Promise<Workspace>;
  /** After SIGTERM to the process group, how long before SIGKILL. */
  killGraceMs?: number;
  maxOutputBytes?: number;
}

const stderrTailChars = 2000;
/** The agent's progress channel (progress-lines.ts): a pipe on this file descriptor, named in HUB_PROGRESS_FD. */
export const PROGRESS_FD = 3;

export async function emptyTempDir(task: Task): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), `codex-hub-${task.id}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    // Negative pid: the whole process group, so whatever the agent started goes too.
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Runs HUB_EXECUTOR_COMMAND per task: the prompt (with its context) on stdin, `TASK_ID`, `TASK_KIND` and
 * `TASK_MODE` (`ask` | `code`) in the environment, the working directory a checkout or an empty temp dir.
 * stdout is the answer; exit 0 is success, anything else a failure carrying stderr's tail. Lines of JSON on
 * file descriptor 3 are progress steps. On abort (timeout, cancel) the process group is terminated, then killed.
 */
export function createCommandExecutor(options: CommandExecutorOptions): Executor {
  const killGraceMs = options.killGraceMs ?? 5_000;
  const maxOutput = options.maxOutputBytes ?? 4 * 1024 * 1024;
  return {
    name: "command",
    async run(task, context) {
      let workspace: Workspace;
      try {
        workspace = await (options.workspace ?? emptyTempDir)(task, context);
      } catch (error) {
        throw new ExecutorError(
          `The working directory could not be prepared: ${(error as Error).message}`,
          true,
        );
      }
      let setup: CommandSetup | undefined;
      try {
        setup = await commandSetup(task, context, workspace.dir);
        return { answer: await runProcess(task, context, workspace.dir, setup.env) };
      } finally {
        await setup?.cleanup().catch(() => {});
        await workspace.cleanup().catch(() => {});
      }
    },
  };

  function runProcess(
    task: Task,
    context: ExecutionContext,
    cwd: string,
    setupEnv: Record<string, string>,
  ): Promise<string> {
    return new Promise((resolve, reject) => {
      if (context.signal.aborted) {
        reject(new ExecutorError("The task was stopped before the agent started.", false));
        return;
      }
      const child = spawn("/bin/sh", ["-c", options.command], {
        cwd,
        env: {
          ...options.env,
          ...options.taskEnv?.(task),
          ...setupEnv,
          TASK_ID: task.id,
          TASK_KIND: task.kind,
          // ask: answer only, change nothing; code: the agent may change files.
          TASK_MODE: task.mode,
          HUB_PROGRESS_FD: String(PROGRESS_FD),
        },
        detached: true,
        stdio: ["pipe", "pipe", "pipe", "pipe"],
      });
      const progress = createProgressLineReader((step) => context.onProgress(step));
      const channel = child.stdio[PROGRESS_FD] as Readable | null;
      channel?.on("data", (chunk: Buffer) => progress.write(chunk));
      // Once the agent is gone, its channel's errors (a reset pipe) are nobody's concern.
      channel?.on("error", () => {});
      const stdout: Buffer[] = [];
      let stdoutBytes = 0;
      let stderr = "";
      let overflow = false;
      let killTimer: ReturnType<typeof setTimeout> | undefined;

      const onAbort = () => {
        killGroup(child.pid, "SIGTERM");
        killTimer = setTimeout(() => killGroup(child.pid, "SIGKILL"), killGraceMs);
        killTimer.unref?.();
      };
      context.signal.addEventListener("abort", onAbort, { once: true });

      child.stdout.on("data", (chunk: Buffer) => {
        stdoutBytes += chunk.length;
        if (stdoutBytes > maxOutput) {
          overflow = true;
          killGroup(child.pid, "SIGKILL");
          return;
        }
        stdout.push(chunk);
      });
      child.stderr.on("data", (chunk: Buffer) => {
        stderr = (stderr + chunk.toString("utf8")).slice(-stderrTailChars * 2);
      });
      // The agent may exit without reading its input; that is not an error of ours.
      child.stdin.on("error", () => {});
      child.stdin.end(renderPrompt(task));

      child.once("error", (error) => {
        context.signal.removeEventListener("abort", onAbort);
        reject(new ExecutorError(`The agent could not be started: ${error.message}`, true, { cause: error }));
      });
      child.once("close", (code, signal) => {
        context.signal.removeEventListener("abort", onAbort);
        clearTimeout(killTimer);
        // Anything the agent left running in its group goes with it.
        killGroup(child.pid, "SIGKILL");
        progress.end();
        if (progress.skipped > 0) {
          context.onProgress({
            type: "status",
            text: `Skipped ${progress.skipped} line(s) on the progress channel (fd ${PROGRESS_FD}) that were not steps such as {"step": "Running the tests"}.`,
          });
        }
        const tail = stderr.trim().slice(-stderrTailChars);
        if (context.signal.aborted) {
          reject(new ExecutorError("The agent was stopped.", false));
        } else if (overflow) {
          reject(new ExecutorError(`The agent wrote more than ${maxOutput} bytes of answer.`, false));
        } else if (code === 0) {
          resolve(Buffer.concat(stdout).toString("utf8").trim());
        } else if (code === 126 || code === 127) {
          // The shell could not run the command at all: the agent never started.
          reject(new ExecutorError(`The agent command could not be run (exit ${code}): ${tail}`, true));
        } else {
          const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
          reject(new ExecutorError(`The agent ${how}${tail ? `: ${tail}` : "."}`, false));
        }
      });
    });
  }
}
