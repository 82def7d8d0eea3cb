import type { IndexedSnapshot } from "./access/snapshot-index";
import type { RepoPermission, WorkspaceToggles } from "./access/types";
import type { GitHubAppAuth } from "./clients/github/app";
import type { Clients, OutboundRequest } from "./clients/types";
import type { Config } from "./config";
import type { BatchQuery, Database } from "./db/types";
import type { InboxStore } from "./inbox/store";
import type { Delivery, StepResult } from "./inbox/types";
import type { Platform } from "./ingress/events";
import type { Clock } from "./lib/clock";
import type { Logger } from "./lib/logger";
import type { Metrics } from "./lib/metrics";
import type { TtlCache } from "./lib/ttl-cache";
import type { WriteHealth } from "./lib/write-health";
import type { Executor } from "./tasks/executors/types";
import type { TaskSignals } from "./tasks/signals";
import type { Standing } from "./tasks/standing";
import type { ProgressNotice, Task } from "./tasks/types";

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
  /** One adapter per platform (src/surfaces/<platform>/adapter.ts), registered in hub.ts. */
  surfaces: Surfaces;
  /** Static files of npm packages (the API reference's renderer); unset: such pages answer 404. */
  assets?: AssetLoader;
  /** What this hub remembers between requests, each bounded in size and age. */
  caches: Caches;
  /**
   * Set on the deps the processor hands a surface for one stored delivery: the tasks it starts remember the
   * delivery, so zero data retention can erase the payload that carried their text.
   */
  inboxRowId?: string;
  /** Set with `inboxRowId`: what one delivery's step shares from its start to its commit. */
  stepScope?: StepScope;
}

/** Made by the processor for each stored delivery it hands a surface. */
export interface StepScope {
  /**
   * Writes that land in the step's own batch, with the delivery's completion: the access decisions made
   * while processing it, and the task it starts with what names that task (a review row, a check run, the
   * thread's status message). A step that fails and runs again has left none of them behind, so each is
   * recorded once, and the processor commits a whole claim of deliveries at once instead of several times
   * per delivery.
   */
  writes: BatchQuery[];
  /** Run once the step's writes are committed: wake the loops that take what it queued. */
  afterCommit: (() => void)[];
  /**
   * The workspace snapshots the step has read: every decision about one delivery is made on one view of its
   * workspace, read and version-checked once. A change the step commits itself drops its workspace's entry.
   */
  snapshots: Map<string, Promise<IndexedSnapshot>>;
}

/** Built once per hub in hub.ts, so hubs sharing a process (tests) never see each other's entries. */
export interface Caches {
  /**
   * Per workspace id: the indexed snapshot and the workspace `version` it was built at, which every read
   * checks (src/workspace/snapshot.ts), so the age limit only frees the memory of idle workspaces.
   */
  snapshots: TtlCache<{ version: number; snapshot: Promise<IndexedSnapshot> }>;
  /** Per installation, repository and login: what GitHub last said (src/workspace/repo-permission.ts). */
  repoPermissions: TtlCache<RepoPermission>;
}

/** What a finished task's reply may depend on besides the task. */
export interface ReplyContext {
  /** The workspace's switches (defaults when the workspace is gone): full answer or link only. */
  toggles: WorkspaceToggles;
  /** The task page, which every reply links. */
  taskUrl: string;
}

/**
 * A platform, whole: how its deliveries are handled (on the platform's own dispatch), what it says when a task
 * it started ends, and how it shows a task's progress. Domain functions elsewhere reach a platform only
 * through this, so nothing outside `surfaces/<platform>/` branches on the platform.
 */
export interface SurfaceAdapter {
  /** Handles one stored delivery; idempotent per inbox row (it may run again after a crash). */
  receive(deps: Deps, delivery: Delivery): Promise<StepResult>;
  /**
   * The calls that answer a finished task where it was asked. They may read (from the database or the
   * platform) but must not write to the platform: the caller queues them in the outbox under fixed keys.
   */
  reply(deps: Deps, task: Task, context: ReplyContext): Promise<OutboundRequest[]>;
  /**
   * Before a runner starts the task (each attempt): what the agent is given that is read from the platform
   * (GitHub: a review's diff and review rules), merged into the task's context and stored with it. Absent or
   * nothing returned: the task runs with the context it was created with. Throws OutboundError when the
   * platform cannot be read (a retryable one is retried like any failure to start).
   */
  prepare?(deps: Deps, task: Task): Promise<Record<string, unknown> | undefined>;
  /**
   * A runner picked the task up (first start or a resume after a restart): e.g. GitHub's check run goes
   * in progress. Idempotent; a failure is logged and never stops the task.
   */
  started?(deps: Deps, task: Task): Promise<void>;
  /** Shows a step of a running task where it was asked; absent: only the task page shows it. */
  progress?(deps: Deps, notice: ProgressNotice): Promise<void>;
  /**
   * The calls that tell the person who asked that their task waits for a limit, and where it stands (its place
   * in line, or when a daily limit starts over), where they asked. Built once per task and reason; like
   * `reply`, they may read but not write to the platform: the caller queues them. Absent: only the task page
   * says why the task waits.
   */
  queued?(deps: Deps, task: Task, standing: Standing, context: QueuedContext): Promise<OutboundRequest[]>;
  /**
   * The calls that settle what the surface showed while a finished task ran (Slack: the status message's last
   * edit, and the 👀 swapped for the outcome), queued with the task's reply under fixed keys. Like `reply`,
   * they may read but not write to the platform. A retry or the sweep asks again: the keys make that harmless.
   */
  settle?(deps: Deps, task: Task): Promise<KeyedCall[]>;
  /**
   * A call of this platform reached it, with the platform's answer (the outbox keeps it too): for a step that
   * needs what an earlier call created, e.g. editing a message once Slack has given it a `ts`. Idempotent; a
   * failure here is logged and never undoes the call.
   */
  sent?(deps: Deps, call: SentCall): Promise<void>;
}

/** A call to queue in the outbox, with the key it is queued under: a second queueing under the key does nothing. */
export interface KeyedCall {
  key: string;
  request: OutboundRequest;
}

/** An outbox call as it was delivered. */
export interface SentCall {
  dedupeKey: string;
  taskId: string | null;
  response: unknown;
}

/** What a waiting task's notice may depend on besides the task and its standing. */
export interface QueuedContext {
  /** The task page, which shows the standing as it changes. */
  taskUrl: string;
}

export type Surfaces = Record<Platform, SurfaceAdapter>;
