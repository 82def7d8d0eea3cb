import { serve } from "@hono/node-server";
import { ensureLocalWorkspace } from "../admin/workspaces";
import { missingSecrets } from "../config";
import { systemClock } from "../lib/clock";
import { writeHealth } from "../lib/write-health";
import { startBackgroundThread } from "./background-thread";
import { startInboxThread } from "./inbox-thread";
import { ingressPressure } from "./ingress-pressure";
import { createNodeLogger, loadNodeConfig, openNodeHub } from "./node-boot";
import { createNodeMetrics } from "./node-metrics";

/**
 * Node entry: `npm start`. Config → database (migrated) → the local workspace → an inbox thread that
 * durably stores verified webhook deliveries, and a background thread that processes the inbox, runs tasks
 * and delivers the outbox → the HTTP server on this thread (which verifies and parses the deliveries).
 */
async function main() {
  const env = process.env;
  const { config, generated, created, secretsPath } = loadNodeConfig(env);
  const logger = createNodeLogger(config);
  if (created && generated) {
    const shown = missingSecrets(env).map((name) => `  ${name}=${generated[name]}`);
    process.stdout.write(
      `Generated secrets for the variables you did not set (kept in ${secretsPath}; shown this once):\n${shown.join("\n")}\n`,
    );
  }

  const ingress = ingressPressure();
  let background: Awaited<ReturnType<typeof startBackgroundThread>> | undefined;
  let inboxThread: Awaited<ReturnType<typeof startInboxThread>> | undefined;
  // /metrics and /readyz are served here and cover every thread: the other threads count into their own
  // registries (asked at each scrape) and report how their writes go.
  const writes = writeHealth(systemClock.now);
  const { metrics } = createNodeMetrics({
    thread: "http",
    defaults: true,
    peers: () => [background, inboxThread].filter((thread) => thread !== undefined),
  });
  const { hub, database } = await openNodeHub(config, logger, {
    thread: "http",
    metrics,
    writes,
    onWriteOutcome: (failure) => writes.record("http", failure),
    abortTask: (id) => background?.abort(id),
    // Started below, before the server listens.
    inbox: { add: (delivery) => inboxThread!.inbox.add(delivery) },
  });
  // Before anything is served or processed: the workspace every event and API call resolves to.
  await ensureLocalWorkspace(hub.deps);
  [background, inboxThread] = await Promise.all([
    startBackgroundThread(env, generated, ingress, logger, writes),
    startInboxThread(env, generated, logger, writes),
  ]);
  const wake = background.wake;
  hub.onWake(() => wake("inbox"));
  hub.onTaskWake(() => wake("tasks"));
  hub.onOutboxWake(() => wake("outbox"));

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
  const server = serve({ fetch, port: config.port }, (info) => {
    logger.info(
      { port: info.port, sandbox: config.sandbox, db: config.dbPath, publicUrl: config.publicUrl },
      config.sandbox ? "hub listening in sandbox mode" : "hub listening",
    );
  });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    server.close();
    await Promise.all([inboxThread?.stop(), background?.stop()]);
    database.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((error: Error) => {
  process.stderr.write(`The hub failed to start: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
