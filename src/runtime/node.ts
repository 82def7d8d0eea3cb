import { type Config, missingSecrets } from "../config";
import type { NewDelivery } from "../inbox/store";
import { systemClock } from "../lib/clock";
import { writeHealth } from "../lib/write-health";
import { linkBotTokenTeam } from "../surfaces/slack/bot-token-team";
import { ensureLocalWorkspace } from "../workspace/workspaces";
import { startBackgroundLoops } from "./background-loops";
import { startBackgroundThread } from "./background-thread";
import { generatedSecretsNotice } from "./dev-secrets";
import { limitHeapGrowth } from "./heap-growth";
import { startInboxThread } from "./inbox-thread";
import { ingressPressure } from "./ingress-pressure";
import { openNodeHub } from "./node-boot";
import { createNodeLogger, loadNodeConfig } from "./node-config";
import { ListenError, listen } from "./node-listen";
import { createNodeMetrics } from "./node-metrics";
import { writeLockBuffer } from "./write-lock";

/**
 * Node entry: `npm start`. Config → database (migrated) → the local workspace → an inbox thread that
 * durably stores verified webhook deliveries, and a background thread that processes the inbox, runs tasks
 * and delivers the outbox → the HTTP server on this thread (which verifies and parses the deliveries).
 * With `HUB_THREADS=1` this thread stores the deliveries and runs the background work itself.
 */
async function main() {
  // Before any worker thread starts; it applies to this thread too.
  limitHeapGrowth();
  const env = process.env;
  const { config, generated, created, secretsPath } = loadNodeConfig(env);
  const logger = createNodeLogger(config);
  if (created && generated && secretsPath) {
    const notice = generatedSecretsNotice({
      path: secretsPath,
      names: missingSecrets(env),
      secrets: generated,
      sandbox: config.sandbox,
      interactive: process.stdout.isTTY === true,
    });
    process.stdout.write(notice);
  }

  const single = config.threads === 1;
  // How this thread names itself in /metrics and /readyz.
  const threadName = single ? "main" : "http";
  const ingress = ingressPressure();
  // Every thread's connection writes to the same file: they take turns through one lock (write-lock.ts).
  const writeLock = writeLockBuffer();
  let background: Awaited<ReturnType<typeof startBackgroundThread>> | undefined;
  let inboxThread: Awaited<ReturnType<typeof startInboxThread>> | undefined;
  let loops: ReturnType<typeof startBackgroundLoops> | undefined;
  // /metrics and /readyz are served here and cover every thread: the other threads count into their own
  // registries (asked at each scrape) and report how their writes go.
  const writes = writeHealth(systemClock.now);
  const { metrics } = createNodeMetrics({
    thread: threadName,
    defaults: true,
    peers: () => [background, inboxThread].filter((thread) => thread !== undefined),
  });
  const {
    hub,
    database,
    egress,
    config: effective,
  } = await openNodeHub(config, logger, {
    thread: single ? "single" : "http",
    metrics,
    writes,
    onWriteOutcome: (failure) => writes.record(threadName, failure),
    writeLock,
    // On one thread the hub's own inbox store and task runner are used; otherwise the other threads'.
    ...(single
      ? {}
      : {
          abortTask: (id: string) => background?.abort(id),
          // Started below, before the server listens.
          inbox: {
            add: (delivery: NewDelivery) => inboxThread!.inbox.add(delivery),
            get logsDeliveries() {
              return inboxThread?.inbox.logsDeliveries;
            },
            get wakesProcessor() {
              return inboxThread?.inbox.wakesProcessor;
            },
          },
        }),
  });
  // Before anything is served or processed: the workspace every event and API call resolves to.
  await ensureLocalWorkspace(hub.deps);
  // A single-team Slack hub learns its team from the bot token; events from it then find the workspace.
  void linkBotTokenTeam(hub.deps).catch((error: Error) =>
    logger.warn({ error: error.message }, "linking the Slack bot token's team failed"),
  );
  if (single) loops = startBackgroundLoops(hub, logger, ingress);
  else {
    [background, inboxThread] = await Promise.all([
      startBackgroundThread(env, generated, { ingress, writeLock }, logger, writes),
      startInboxThread(env, generated, writeLock, logger, {
        writes,
        onCommitted: () => hub.deps.wakeProcessor(),
      }),
    ]);
    const wake = background.wake;
    hub.onWake(() => wake("inbox"));
    hub.onTaskWake(() => wake("tasks"));
    hub.onOutboxWake(() => wake("outbox"));
  }
  // What runs beside the HTTP server, stopped before the database closes.
  const stopWork = async () => {
    await Promise.all([inboxThread?.stop(), background?.stop(), loops?.stop()]);
    await egress?.close();
  };

  // Webhook requests are counted while they are handled, so that inbox processing can yield to them.
  const fetch = async (request: Request) => {
    if (!request.url.includes("/webhooks/")) return hub.app.fetch(request);
    ingress.enter();
    try {
      return await hub.app.fetch(request);
    } finally {
      ingress.leave();
    }
  };
  const { server, address } = await listen(fetch, { host: config.host, port: config.port }).catch(
    async (error: Error) => {
      // The threads started above would keep the process alive; they hold nothing that needs finishing yet.
      await stopWork();
      database.close();
      throw error;
    },
  );
  logger.info(
    {
      address: address.address,
      port: address.port,
      threads: config.threads,
      // The effective configuration: a GitHub App stored by /setup/github takes the hub out of sandbox mode.
      sandbox: effective.sandbox,
      db: config.dbPath,
      publicUrl: config.publicUrl,
    },
    effective.sandbox
      ? "hub listening in sandbox mode"
      : `hub listening (live: ${liveSources(effective).join(", ")})`,
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    server.close();
    await stopWork();
    database.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

/** What takes the hub out of sandbox mode, for the start log line. */
function liveSources(config: Config): string[] {
  return [
    config.github.appId ? `GitHub App ${config.github.appId}` : null,
    config.slack.botToken ? "Slack bot token" : null,
    config.slack.clientId ? "Slack OAuth" : null,
    config.linear.apiKey ? "Linear API key" : null,
    config.linear.clientId ? "Linear OAuth" : null,
  ].filter((s): s is string => s !== null);
}

main().catch((error: Error) => {
  // A mistake the message already explains gets one line; anything unexpected keeps its stack.
  const detail = error instanceof ListenError ? error.message : (error.stack ?? error.message);
  process.stderr.write(`The hub failed to start: ${detail}\n`);
  process.exit(1);
});
