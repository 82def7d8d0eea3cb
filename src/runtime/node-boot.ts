import type { Config } from "../config";
import { resealLegacyValues } from "../db/reseal-legacy";
import type { Database } from "../db/types";
import type { Deps } from "../deps";
import { createHub, type HubOptions } from "../hub";
import { systemClock } from "../lib/clock";
import type { Logger } from "../lib/logger";
import type { Metrics } from "../lib/metrics";
import { loadAppCredentials, withStoredGitHubApp } from "../surfaces/github/app-credentials";
import { type EgressProxy, startEgressProxy } from "./egress-proxy";
import { createNodeExecutor } from "./executors/node-executors";
import { nodeAssetLoader } from "./node-assets";
import { openNodeDatabase } from "./node-db";
import type { WriteOutcome } from "./write-outcomes";

/**
 * A hub on its own database connection, for the threads that run one: the main thread serves HTTP ("http");
 * the background thread processes (node-background.ts); with `HUB_THREADS=1` the main thread does both
 * ("single"). The configuration and the logger come from node-config.ts, which the inbox thread uses alone.
 */
export async function openNodeHub(
  config: Config,
  logger: Logger,
  options: Pick<HubOptions, "abortTask" | "inbox" | "writes"> & {
    thread: "http" | "background" | "single";
    metrics: Metrics;
    /** Told when this thread's writes start or stop failing (readiness). */
    onWriteOutcome: WriteOutcome;
    /** The write lock the hub's threads share (write-lock.ts). */
    writeLock: SharedArrayBuffer;
  },
) {
  const database = openNodeDatabase(config.dbPath, {
    // One connection per process starts the checkpoint thread: the one that runs the background work.
    checkpoints: options.thread === "http" ? "off" : "thread",
    onWriteOutcome: options.onWriteOutcome,
    writeLock: options.writeLock,
  });
  // The HTTP thread opens the hub before the other threads start, so no sealed value is read before this.
  if (options.thread !== "background") await resealLegacy(database, config.encryptionKey, logger);
  // A GitHub App created through /setup/github is used from the next start (the environment wins).
  const effective = withStoredGitHubApp(
    config,
    await loadAppCredentials(database, config.encryptionKey).catch((error: Error) => {
      logger.warn({ error: error.message }, "stored GitHub App credentials could not be opened");
      return null;
    }),
  );
  // Tasks run with the background work; their agents reach the internet through its egress proxy.
  const egress = options.thread === "http" ? undefined : await startAgentEgress(effective, logger);
  // The executor needs the hub's deps (tokens, PRs) and the hub needs the executor: tied through a getter.
  let deps: Deps | undefined;
  const executor = createNodeExecutor(effective, process.env, () => deps!, egress);
  const hub = createHub({
    config: effective,
    database,
    clock: systemClock,
    logger,
    executor,
    abortTask: options.abortTask,
    inbox: options.inbox,
    assets: nodeAssetLoader(),
    metrics: options.metrics,
    writes: options.writes,
  });
  deps = hub.deps;
  return { hub, database, config: effective, egress };
}

/** The egress proxy, for the executors that start agents on this machine (an http runner has its own network). */
async function startAgentEgress(config: Config, logger: Logger): Promise<EgressProxy | undefined> {
  if (config.executor.kind === "http") return undefined;
  const proxy = await startEgressProxy({ port: config.egressProxy.port, logger });
  logger.info({ port: proxy.port }, "egress proxy for agents listening on 127.0.0.1");
  return proxy;
}

/** Values sealed by an older version, before seals were bound to their place, are bound now. */
async function resealLegacy(database: Database, encryptionKey: string, logger: Logger): Promise<void> {
  const { resealed, failed } = await resealLegacyValues(database, encryptionKey);
  if (resealed > 0) logger.info({ resealed }, "sealed values bound to their table, column and row");
  if (failed.length > 0) {
    logger.warn(
      { values: failed },
      "sealed values that do not open under HUB_ENCRYPTION_KEY were left as they are",
    );
  }
}
