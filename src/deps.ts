import type { GitHubAppAuth } from "./clients/github/app";
import type { Clients } from "./clients/types";
import type { Config } from "./config";
import type { Database } from "./db/types";
import type { InboxStore } from "./inbox/store";
import type { Clock } from "./lib/clock";
import type { Logger } from "./lib/logger";
import type { Metrics } from "./lib/metrics";
import type { WriteHealth } from "./lib/write-health";
import type { ReviewPublisher } from "./notify/review-publisher";
import type { Executor } from "./tasks/executors/types";
import type { TaskSignals } from "./tasks/signals";

/**
 * Reads a file that an npm package ships, named `package/file` (e.g. `swagger-ui-dist/swagger-ui.css`), or
 * null when there is none. The runtime provides it (Node reads node_modules; Workers serve bundled assets),
 * so code outside runtime/ serves such files without touching a file system.
 */
export interface AssetLoader {
  read(path: string): Promise<Uint8Array | null>;
}

/** Everything a handler or domain function needs, built once per process (Node) or isolate (Workers). */
export interface Deps {
  config: Config;
  clock: Clock;
  logger: Logger;
  database: Database;
  inbox: InboxStore;
  metrics: Metrics;
  /** Whether the hub's writers (all threads on Node) saw their last write land, for /readyz. */
  writes: WriteHealth;
  clients: Clients;
  /** GitHub App installation tokens narrowed per operation; unset when no GitHub App is configured (sandbox). */
  githubApp?: GitHubAppAuth;
  /** Runs tasks (HUB_EXECUTOR); on Workers only `http` can. */
  executor: Executor;
  /** Wakes this process's task runner when a task is queued; stops the executor of a task cancelled here. */
  tasks: TaskSignals;
  /** Tells the processor new work is waiting, so it need not wait for its next poll. */
  wakeProcessor(): void;
  /** Tells the outbox worker a call was queued, so replies leave without waiting for its next poll. */
  wakeOutbox(): void;
  /**
   * Turns a finished review task into the GitHub calls that publish it (a PR review with inline findings).
   * Unset: the review's answer is posted as a PR comment.
   */
  reviewPublisher?: ReviewPublisher;
  /** Static files of npm packages (the API reference's renderer); unset: such pages answer 404. */
  assets?: AssetLoader;
}
