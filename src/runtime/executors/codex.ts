import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Codex, type CodexOptions, type Thread, type ThreadOptions } from "@openai/codex-sdk";
import { reviewAnswerJsonSchema } from "../../replies/findings";
import { CODE_MODE_HINT } from "../../routing/task-mode";
import {
  agentNetworkConfig,
  codexThreadOptions,
  progressOf,
  requireEnvironment,
  toUsage,
  withNote,
} from "../../tasks/executors/codex-events";
import { layerConfig } from "../../tasks/executors/team-config";
import type { TaskEnvironment } from "../../tasks/executors/types";
import {
  type ExecutionContext,
  type Executor,
  ExecutorError,
  type ExecutorResult,
  restartedMessage,
  stoppedForShutdown,
} from "../../tasks/executors/types";
import { renderPrompt } from "../../tasks/prompt";
import type { ExecutorState } from "../../tasks/rows";
import type { Task, TaskUsage } from "../../tasks/types";
import { type CodexSetup, codexSetup } from "./codex-setup";
import {
  checkoutPullRequest,
  cloneRepository,
  commitStaged,
  type GitOptions,
  pushHead,
  stageChanges,
} from "./git";
import { pullRequestBranch, pushToPullRequest } from "./pr-branch";

/** The CLI's environment when none was given: the SDK's own default (this process's). */
function inheritedEnv(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined),
  );
}

// Node only (the SDK spawns the `codex` CLI): wired from src/runtime/node.ts.

export type RepoTokenPermissions = { contents: "read" | "write" };
/**
 * A short-lived installation token for one repository with only these permissions (null: clone anonymously).
 * The task tells which installation to ask (its pull request's, or its workspace's).
 */
export type RepoTokenProvider = (
  repository: string,
  permissions: RepoTokenPermissions,
  task: Task,
) => Promise<string | null>;
export interface PullRequestRequest {
  repository: string;
  head: string;
  base: string;
  title: string;
  body: string;
}
export type OpenPullRequest = (request: PullRequestRequest, task: Task) => Promise<{ url: string }>;

export interface CodexExecutorOptions {
  /** The `codex` CLI to run (tests point it at a fake speaking the same JSON-lines protocol). */
  codexPath?: string;
  /** Environment of the CLI and of git: PATH, HOME, CODEX_API_KEY... never the hub's own secrets. */
  env?: Record<string, string>;
  apiKey?: string;
  baseUrl?: string;
  /** Where checkouts are made (default: the OS temp dir). */
  workRoot?: string;
  /** Clone URL of `owner/name` (GitHub or GHES; a local path in tests). */
  repositoryUrl(repository: string): string;
  getRepoToken: RepoTokenProvider;
  /** Unset: changes are reported in the answer and no pull request is opened. */
  openPullRequest?: OpenPullRequest;
  /** The hub's public URL, for the task link in a pull request. */
  publicUrl?: string;
  /** Variables that send the agent's commands through the egress proxy, where the task has network. */
  agentEnv?: (task: Task) => Record<string, string> | undefined;
}

const resumeInput =
  "The service running this task restarted and your previous turn was interrupted. Continue the task from " +
  "where you left off, then give your final answer.";

const ASK_NOT_PUSHED = `These changes were not pushed and no pull request was opened: this was an Ask task, which only answers. ${CODE_MODE_HINT}`;

interface TurnResult {
  answer: string;
  usage?: TaskUsage;
}

/**
 * Runs tasks with the Codex SDK in a fresh checkout of the environment's repository (cloned with a read-only
 * token for that repository). Streamed events become progress; the thread id is checkpointed so a restarted
 * hub can resume the thread; the answer is checkpointed before anything else happens. When files changed and
 * the requester may write, the changes are pushed as `codex/<task-id>` and a pull request is opened.
 */
export function createCodexExecutor(options: CodexExecutorOptions): Executor {
  const codexOptions = {
    ...(options.codexPath ? { codexPathOverride: options.codexPath } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
  };
  const codex = new Codex(codexOptions);
  /**
   * A task with network runs its commands with the proxy's variables (its own CLI, then, for its config); a task
   * with skills or Team Config runs with its own CODEX_HOME and config (codex-setup.ts).
   */
  const codexFor = (task: Task, threadOptions: ThreadOptions, setup?: CodexSetup): Codex => {
    const proxyEnv = threadOptions.networkAccessEnabled ? options.agentEnv?.(task) : undefined;
    if (!proxyEnv && !setup?.home && !setup?.config) return codex;
    const network = proxyEnv ? agentNetworkConfig(proxyEnv) : undefined;
    return new Codex({
      ...codexOptions,
      ...(setup?.home ? { env: { ...(options.env ?? inheritedEnv()), CODEX_HOME: setup.home } } : {}),
      config: layerConfig(setup?.config, network) as CodexOptions["config"],
    });
  };
  /** Team Config may narrow the sandbox to read-only; it never widens it (team-config.ts). */
  const narrowed = (threadOptions: ThreadOptions, setup: CodexSetup): ThreadOptions =>
    setup.readOnly
      ? { ...threadOptions, sandboxMode: "read-only", networkAccessEnabled: false }
      : threadOptions;
  const gitOptions = (signal: AbortSignal): GitOptions => ({ env: options.env ?? {}, signal });

  async function turn(
    thread: Thread,
    input: string,
    task: Task,
    context: ExecutionContext,
    resumed: boolean,
  ) {
    let started = resumed;
    let answer: string | null = null;
    let usage: TaskUsage | undefined;
    let failure: string | null = null;
    let checkpointError: unknown = null;
    try {
      const { events } = await thread.runStreamed(input, {
        signal: context.signal,
        ...(task.kind === "review" ? { outputSchema: reviewAnswerJsonSchema } : {}),
      });
      for await (const event of events) {
        const progress = progressOf(event);
        if (progress) context.onProgress(progress);
        if (event.type === "thread.started") {
          started = true;
          try {
            await context.checkpoint({ threadId: event.thread_id });
          } catch (error) {
            checkpointError = error;
            break;
          }
        } else if (event.type === "turn.started") {
          started = true;
        } else if (event.type === "item.completed" && event.item.type === "agent_message") {
          answer = event.item.text;
        } else if (event.type === "turn.completed") {
          usage = toUsage(event.usage);
        } else if (event.type === "turn.failed") {
          failure = event.error.message;
        } else if (event.type === "error") {
          failure = event.message;
        }
        if (failure) break;
      }
    } catch (error) {
      if (context.signal.aborted) throw new ExecutorError("Codex was stopped.", false);
      const message = (error as Error).message;
      // Before the thread started the agent never worked: the CLI is missing, or could not reach its backend.
      throw new ExecutorError(`Codex ${started ? "failed" : "could not be started"}: ${message}`, !started, {
        cause: error,
      });
    }
    if (checkpointError) throw checkpointError;
    if (context.signal.aborted) throw new ExecutorError("Codex was stopped.", false);
    if (failure) throw new ExecutorError(`Codex failed: ${failure}`, !started);
    if (answer === null) throw new ExecutorError("Codex finished without an answer.", false);
    return { answer, usage } satisfies TurnResult;
  }

  function noPullRequestReason(task: Task, environment: TaskEnvironment): string | null {
    if (task.origin.surface === "github" && task.origin.fromFork) {
      return "the pull request comes from a fork, and the hub never pushes to forks";
    }
    if (!environment.canWrite)
      return environment.noWriteReason ?? `you cannot write to ${environment.repository}`;
    if (!options.openPullRequest) return "the hub is not set up to open pull requests";
    return null;
  }

  /** After the agent answered: record the answer first, then push and open a PR when allowed. */
  async function afterAnswer(
    task: Task,
    environment: TaskEnvironment,
    dir: string,
    base: string,
    result: TurnResult,
    context: ExecutionContext,
  ): Promise<ExecutorResult> {
    await context.checkpoint({ answer: result.answer, ...(result.usage ? { usage: result.usage } : {}) });
    const usage = result.usage ? { usage: result.usage } : {};
    // A review only reads; its answer must stay the findings JSON.
    if (task.kind === "review") return { answer: result.answer, ...usage };
    let changed: string[];
    try {
      changed = await stageChanges(dir, gitOptions(context.signal));
    } catch {
      return { answer: `${result.answer}\n\n---\nThe hub could not list the files Codex changed.`, ...usage };
    }
    if (changed.length === 0) return { answer: result.answer, ...usage };
    if (task.mode === "ask") {
      // The hub's own guarantee, whatever the agent managed to change: an Ask task is never pushed.
      return { answer: withNote(result.answer, changed, ASK_NOT_PUSHED), changedFiles: changed, ...usage };
    }
    const refusal = noPullRequestReason(task, environment);
    if (refusal) {
      const note = `No pull request was opened: ${refusal}.`;
      return { answer: withNote(result.answer, changed, note), changedFiles: changed, ...usage };
    }
    const branch = `codex/${task.id}`;
    const prBranch = pullRequestBranch(task);
    const url = options.repositoryUrl(environment.repository);
    let pushed = false;
    try {
      const token = await options.getRepoToken(environment.repository, { contents: "write" }, task);
      await commitStaged(
        dir,
        `${task.title}\n\nMade by Codex for task ${task.id}.`,
        gitOptions(context.signal),
      );
      if (prBranch) {
        // Asked on a pull request: its own branch first; if it moved on or is protected, a new branch below.
        const git = { dir, url, token, options: gitOptions(context.signal) };
        const onBranch = await pushToPullRequest(task, prBranch, git, changed, result.answer, context);
        if (onBranch) return { ...onBranch, ...usage };
      }
      await pushHead(dir, url, branch, token, gitOptions(context.signal));
      pushed = true;
      context.onProgress({ type: "status", text: `Pushed ${changed.length} changed file(s) to ${branch}.` });
      const link = options.publicUrl
        ? `\n\nTask: ${options.publicUrl.replace(/\/+$/, "")}/tasks/${task.id}`
        : "";
      const pr = await options.openPullRequest!(
        {
          repository: environment.repository,
          head: branch,
          // A task asked on a pull request proposes its changes to that pull request's branch.
          base: prBranch ?? base,
          title: task.title,
          body: `${result.answer.slice(0, 60_000)}\n\n---\nOpened by Codex.${link}`,
        },
        task,
      );
      await context.checkpoint({ prUrl: pr.url, changedFiles: changed });
      return { answer: result.answer, prUrl: pr.url, changedFiles: changed, ...usage };
    } catch (error) {
      const what = pushed
        ? `the branch \`${branch}\` was pushed, but the pull request could not be opened (${(error as Error).message})`
        : `the changes could not be pushed (${(error as Error).message})`;
      return {
        answer: withNote(result.answer, changed, `No pull request was opened: ${what}.`),
        changedFiles: changed,
        ...usage,
      };
    }
  }

  async function cleanup(workdir: string, context: ExecutionContext) {
    // A task stopped for a shutdown is resumed at the next start: its checkout must still be there.
    if (!stoppedForShutdown(context.signal))
      await rm(workdir, { recursive: true, force: true }).catch(() => {});
  }

  return {
    name: "codex",
    async run(task, context) {
      const environment = requireEnvironment(context);
      const threadOptions = codexThreadOptions(task, environment, "");
      const workdir = await mkdtemp(join(options.workRoot ?? tmpdir(), `codex-${task.id}-`));
      const dir = join(workdir, "repo");
      try {
        let base: string;
        try {
          const token = await options.getRepoToken(environment.repository, { contents: "read" }, task);
          base = await cloneRepository(
            options.repositoryUrl(environment.repository),
            dir,
            token,
            gitOptions(context.signal),
          );
          // A request made on a pull request works on that pull request's code.
          if (task.origin.surface === "github") {
            await checkoutPullRequest(dir, task.origin.prNumber, token, gitOptions(context.signal));
          }
        } catch (error) {
          if (context.signal.aborted) throw new ExecutorError("The task was stopped while cloning.", false);
          throw new ExecutorError(
            `${environment.repository} could not be checked out: ${(error as Error).message}`,
            true,
          );
        }
        context.onProgress({ type: "status", text: `Checked out ${environment.repository}.` });
        await context.checkpoint({ checkoutDir: workdir, baseBranch: base });
        const setup = await codexSetup(task, environment, dir, workdir, options.env ?? inheritedEnv());
        for (const text of setup.notes) context.onProgress({ type: "status", text });
        const taskOptions = narrowed(threadOptions, setup);
        const thread = codexFor(task, taskOptions, setup).startThread({
          ...taskOptions,
          workingDirectory: dir,
        });
        const result = await turn(thread, renderPrompt(task), task, context, false);
        return await afterAnswer(task, environment, dir, base, result, context);
      } finally {
        await cleanup(workdir, context);
      }
    },

    async resume(task, state: ExecutorState, context) {
      const environment = requireEnvironment(context);
      const workdir = typeof state.checkoutDir === "string" ? state.checkoutDir : null;
      const dir = workdir ? join(workdir, "repo") : null;
      const base = typeof state.baseBranch === "string" ? state.baseBranch : "main";
      const usage = state.usage as TaskUsage | undefined;
      if (typeof state.answer === "string") {
        // The agent already answered: never run it again, only finish what came after the answer.
        if (typeof state.prUrl === "string") return { answer: state.answer, prUrl: state.prUrl, usage };
        if (!workdir || !dir || !existsSync(dir)) {
          return {
            answer: `${state.answer}\n\n---\nThe hub restarted before the changes could be pushed.`,
            usage,
          };
        }
        try {
          return await afterAnswer(task, environment, dir, base, { answer: state.answer, usage }, context);
        } finally {
          await cleanup(workdir, context);
        }
      }
      if (typeof state.threadId !== "string" || !workdir || !dir || !existsSync(dir)) {
        throw new ExecutorError(restartedMessage, false);
      }
      context.onProgress({
        type: "status",
        text: `The hub restarted; resuming Codex thread ${state.threadId}.`,
      });
      try {
        // The same skills, rules and config as the first run (its thread is kept in the task's CODEX_HOME).
        const setup = await codexSetup(task, environment, dir, workdir, options.env ?? inheritedEnv());
        const resumeOptions = narrowed(codexThreadOptions(task, environment, dir), setup);
        const thread = codexFor(task, resumeOptions, setup).resumeThread(state.threadId, resumeOptions);
        const result = await turn(thread, resumeInput, task, context, true);
        return await afterAnswer(task, environment, dir, base, result, context);
      } finally {
        await cleanup(workdir, context);
      }
    },
  };
}
