import { createApp } from "./app";
import { createGitHubAppAuth, tokenProvider } from "./clients/github/app";
import { createGitHubRestClient } from "./clients/github/rest";
import { createLinearClient } from "./clients/linear/client";
import { createSandboxClient, sandboxRespond } from "./clients/sandbox";
import { createSlackClient } from "./clients/slack/client";
import type { Clients } from "./clients/types";
import type { Config } from "./config";
import type { Database } from "./db/types";
import type { AssetLoader, Deps } from "./deps";
import { createProcessor, type PipelineStep } from "./inbox/processor";
import { createInboxStore, type InboxStore } from "./inbox/store";
import { normalizingPorts } from "./ingress/ports";
import type { Clock } from "./lib/clock";
import type { Logger } from "./lib/logger";
import type { Metrics } from "./lib/metrics";
import { type WriteHealth, writeHealth } from "./lib/write-health";
import { createGitHubSurface } from "./surfaces/github/adapter";
import { createLinearSurface } from "./surfaces/linear/adapter";
import { linearTokenProvider } from "./surfaces/linear/installations";
import { createSlackSurface } from "./surfaces/slack/adapter";
import { slackTokenProvider } from "./surfaces/slack/installations";
import { defaultExecutor } from "./tasks/executors/default";
import type { Executor } from "./tasks/executors/types";
import { createTaskRunner, type TaskRunnerOptions } from "./tasks/runner";
import { createCaches } from "./workspace/caches";

export interface HubOptions {
  config: Config;
  database: Database;
  clock: Clock;
  logger: Logger;
  /** Real platform clients; any platform left out is served by the sandbox recorder. */
  clients?: Partial<Clients>;
  step?: PipelineStep;
  /** The task executor; Node passes command/codex ones (src/runtime/node.ts), otherwise http or none. */
  executor?: Executor;
  /** Where to stop a running task's executor when tasks run elsewhere (Node runs them in a worker thread). */
  abortTask?: (taskId: string) => void;
  /** Where webhook deliveries are stored; by default on `database`, from this thread. */
  inbox?: InboxStore;
  /** Static files of npm packages, from the runtime (src/runtime/node-assets.ts on Node). */
  assets?: AssetLoader;
  /** Where metrics are recorded and scraped; the runtime provides it (Node: src/runtime/node-metrics.ts). */
  metrics: Metrics;
  /** Where the runtime reports how database writes go (for /readyz); by default one nothing reports to. */
  writes?: WriteHealth;
  /** Overrides of the task runner (capacity, lease...), for tests. */
  taskRunner?: Omit<TaskRunnerOptions, "executor" | "onSettled">;
}

/** Wires one hub: deps, the HTTP app and the inbox processor. Both runtimes and the tests build it here. */
export function createHub(options: HubOptions) {
  const { config, database, clock, logger } = options;
  let wake: () => void = () => {};
  let wakeOutbox: () => void = () => {};
  let wakeTasks: () => void = () => {};
  const sandbox = (platform: keyof Clients) =>
    createSandboxClient(platform, database, clock, sandboxRespond(platform));
  const githubApp = createGitHubAppAuth(config.github, clock);
  const deps: Deps = {
    config,
    clock,
    logger,
    database,
    inbox: options.inbox ?? createInboxStore(database),
    metrics: options.metrics,
    writes: options.writes ?? writeHealth(() => clock.now()),
    clients: {
      github:
        options.clients?.github ??
        (githubApp
          ? createGitHubRestClient({
              apiUrl: config.github.apiUrl,
              tokenFor: tokenProvider(githubApp),
              now: () => clock.now(),
            })
          : sandbox("github")),
      slack:
        options.clients?.slack ??
        // A bot token serves one team; teams installed through OAuth use the token stored for them.
        (config.slack.botToken || config.slack.clientId
          ? createSlackClient({
              botToken: config.slack.botToken,
              apiUrl: config.slack.apiUrl,
              tokenFor: slackTokenProvider({ database, config }),
            })
          : sandbox("slack")),
      linear:
        options.clients?.linear ??
        // A personal API key serves one organization; organizations installed through OAuth use their own token.
        (config.linear.apiKey || config.linear.clientId
          ? createLinearClient({
              apiKey: config.linear.apiKey,
              apiUrl: config.linear.apiUrl,
              tokenFor: linearTokenProvider({ database, config, clock }),
            })
          : sandbox("linear")),
    },
    githubApp,
    executor: options.executor ?? defaultExecutor(config, clock),
    tasks: {
      wake: () => wakeTasks(),
      abort: (taskId) => (options.abortTask ? options.abortTask(taskId) : taskRunner.abort(taskId)),
    },
    wakeProcessor: () => wake(),
    wakeOutbox: () => wakeOutbox(),
    surfaces: { github: createGitHubSurface(), linear: createLinearSurface(), slack: createSlackSurface() },
    assets: options.assets,
    caches: createCaches(clock),
  };
  const processor = createProcessor(deps, {
    ports: normalizingPorts,
    step: options.step,
  });
  const taskRunner = createTaskRunner(deps, {
    ...options.taskRunner,
    executor: deps.executor,
    onSettled: () => wakeTasks(),
  });
  return {
    deps,
    app: createApp(deps),
    processor,
    taskRunner,
    /** The runtime's loop registers how to be woken when new work arrives. */
    onWake(callback: () => void) {
      wake = callback;
    },
    /** The outbox loop registers how to be woken when a call is queued. */
    onOutboxWake(callback: () => void) {
      wakeOutbox = callback;
    },
    /** The task loop registers how to be woken when a task is queued or a slot frees up. */
    onTaskWake(callback: () => void) {
      wakeTasks = callback;
    },
  };
}

export type Hub = ReturnType<typeof createHub>;
