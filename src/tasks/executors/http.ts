import type { Clock } from "../../lib/clock";
import { withDeadline } from "../../lib/deadline";
import { taskPlugins } from "../plugins";
import { renderPrompt } from "../prompt";
import type { Task } from "../types";
import { callbackUrl, signExecutorRequest } from "./http-signing";
import { pluginsSummary, skillFiles } from "./skill-files";
import { teamConfigLimits } from "./team-config";
import { type Executor, ExecutorError, type TaskEnvironment } from "./types";

export interface HttpExecutorOptions {
  /** HUB_EXECUTOR_URL: where tasks are POSTed. */
  url: string;
  /** HUB_EXECUTOR_SECRET. */
  secret: string;
  /** The hub's public URL: the runner calls back on `<publicUrl>/callbacks/tasks/<id>`. */
  publicUrl: string;
  clock: Clock;
  /** How the task travels to the runner; fetch by default (every runtime has it). */
  post?: RunnerPost;
  /** How long to wait for the runner to accept a task (not to finish it). */
  acceptTimeoutMs?: number;
}

/** POSTs a signed task to the runner; what the executor needs of the answer: its status, and its text. */
export type RunnerPost = (
  url: string,
  request: { headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<{ status: number; text(): Promise<string> }>;

const fetchPost: RunnerPost = (url, request) => fetch(url, { method: "POST", ...request });

/**
 * Hands tasks to a remote runner (works on every runtime: only fetch and Web Crypto). The POST is signed as
 * described in http-signing.ts; a 2xx means the runner took the task, and its progress and result arrive
 * later on the callback route. Unreachable or 5xx/429 is an infrastructure failure (retried); another 4xx
 * means the runner refused this task, which retrying would not change.
 */
export function createHttpExecutor(options: HttpExecutorOptions): Executor {
  const post = options.post ?? fetchPost;
  const acceptTimeoutMs = options.acceptTimeoutMs ?? 30_000;
  return {
    name: "http",
    async run(task, context) {
      const body = JSON.stringify({
        task: {
          id: task.id,
          kind: task.kind,
          mode: task.mode,
          title: task.title,
          prompt: task.prompt,
          context: task.context,
          attempt: task.attempts,
        },
        // ask: answer only, never push or open a pull request; code: changes may be proposed.
        mode: task.mode,
        input: renderPrompt(task),
        environment: context.environment ?? null,
        callbackUrl: callbackUrl(options.publicUrl, task.id),
        ...runnerSetup(task, context.environment),
      });
      const headers = await signExecutorRequest(options.secret, body, {
        timestampSeconds: options.clock.now() / 1000,
        delivery: `${task.id}.${task.attempts}`,
        target: { method: "POST", path: new URL(options.url).pathname },
      });
      let response: Awaited<ReturnType<RunnerPost>>;
      try {
        response = await withDeadline(acceptTimeoutMs, (deadline) =>
          post(options.url, {
            headers: { "content-type": "application/json", ...headers },
            body,
            signal: AbortSignal.any([context.signal, deadline]),
          }),
        );
      } catch (error) {
        if (context.signal.aborted)
          throw new ExecutorError("The task was stopped before the runner took it.", false);
        throw new ExecutorError(`The task runner could not be reached: ${(error as Error).message}`, true, {
          cause: error,
        });
      }
      if (response.status >= 200 && response.status < 300) {
        const plugins = pluginsSummary(taskPlugins(task));
        if (plugins) context.onProgress({ type: "status", text: plugins });
        context.onProgress({ type: "status", text: "Handed to the task runner." });
        return { dispatched: true };
      }
      const detail = (await response.text().catch(() => "")).slice(0, 500);
      const infrastructure = response.status >= 500 || response.status === 429;
      throw new ExecutorError(
        infrastructure
          ? `The task runner answered HTTP ${response.status}${detail ? `: ${detail}` : ""}`
          : `The task runner refused the task (HTTP ${response.status})${detail ? `: ${detail}` : ""}`,
        infrastructure,
      );
    },
  };
}

/**
 * What the runner hands its agent besides the prompt (README, "Executor protocol"): the task's plugin skills as
 * files, and how to apply the repository's Team Config, which the runner reads from its own checkout: the
 * limits the requester's managed policy and the hub set, which win over `.codex/config.toml` (the merge of
 * src/tasks/executors/team-config.ts), the overridden values to be reported back as progress.
 */
function runnerSetup(task: Task, environment: TaskEnvironment | undefined) {
  const plugins = taskPlugins(task);
  return {
    plugins: { summary: pluginsSummary(plugins), ...plugins },
    skills: skillFiles(plugins).map((f) => ({
      plugin: f.plugin,
      name: f.name,
      path: f.path,
      content: f.content,
    })),
    teamConfig: environment
      ? {
          paths: { config: ".codex/config.toml", rules: ".codex/rules/", skills: ".codex/skills/" },
          limits: teamConfigLimits(task.kind, environment),
        }
      : null,
  };
}
