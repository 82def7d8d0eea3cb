import { createApp } from "./app";
import { createGitHubAppAuth } from "./clients/github-app";
import { createLinearClient } from "./clients/linear";
import { createSandboxClient, sandboxRespond } from "./clients/sandbox";
import { createSlackClient } from "./clients/slack";
import type { Clients } from "./clients/types";
import type { Config } from "./config";
import type { Database } from "./db/types";
import type { Deps } from "./deps";
import { createProcessor, type PipelineStep, recordOnly } from "./inbox/processor";
import { createInboxStore } from "./inbox/store";
import { normalizingPorts } from "./ingress/ports";
import type { Clock } from "./lib/clock";
import type { Logger } from "./lib/logger";
import { createMetrics } from "./lib/metrics";

export interface HubOptions {
  config: Config;
  database: Database;
  clock: Clock;
  logger: Logger;
  /** Real platform clients; any platform left out is served by the sandbox recorder. */
  clients?: Partial<Clients>;
  step?: PipelineStep;
}

/** Wires one hub: deps, the HTTP app and the inbox processor. Both runtimes and the tests build it here. */
export function createHub(options: HubOptions) {
  const { config, database, clock, logger } = options;
  let wake: () => void = () => {};
  let wakeOutbox: () => void = () => {};
  const sandbox = (platform: keyof Clients) =>
    createSandboxClient(platform, database, clock, sandboxRespond(platform));
  const deps: Deps = {
    config,
    clock,
    logger,
    database,
    inbox: createInboxStore(database),
    metrics: createMetrics(),
    clients: {
      github: options.clients?.github ?? sandbox("github"),
      slack:
        options.clients?.slack ??
        (config.slack.botToken
          ? createSlackClient({ botToken: config.slack.botToken, apiUrl: config.slack.apiUrl })
          : sandbox("slack")),
      linear:
        options.clients?.linear ??
        (config.linear.apiKey
          ? createLinearClient({ apiKey: config.linear.apiKey, apiUrl: config.linear.apiUrl })
          : sandbox("linear")),
    },
    githubApp: createGitHubAppAuth(config.github, clock),
    wakeProcessor: () => wake(),
    wakeOutbox: () => wakeOutbox(),
  };
  const processor = createProcessor(deps, { ports: normalizingPorts, step: options.step ?? recordOnly });
  return {
    deps,
    app: createApp(deps),
    processor,
    /** The runtime's loop registers how to be woken when new work arrives. */
    onWake(callback: () => void) {
      wake = callback;
    },
    /** The outbox loop registers how to be woken when a call is queued. */
    onOutboxWake(callback: () => void) {
      wakeOutbox = callback;
    },
  };
}

export type Hub = ReturnType<typeof createHub>;
