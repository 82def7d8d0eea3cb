import { parentPort, workerData } from "node:worker_threads";
import type { GeneratedSecrets } from "../config";
import { createInboxStore, type NewDelivery, storedOutcome } from "../inbox/store";
import type { InboxCommitted, InboxMessage, InboxReply } from "./inbox-thread";
import { createNodeLogger, loadNodeConfig } from "./node-config";
import { openNodeDatabase } from "./node-db";
import { createNodeMetrics } from "./node-metrics";
import { reportToMainThread } from "./thread-reports";

/**
 * The inbox thread: compresses and durably stores the deliveries the HTTP thread verified, on its own database
 * connection. Deliveries that arrive while a commit is being synced to disk go into the next one, so a burst
 * costs one fsync per batch, and the HTTP thread keeps reading requests meanwhile instead of blocking on the disk.
 */
const { env, generated, writeLock } = workerData as {
  env: Record<string, string | undefined>;
  generated?: GeneratedSecrets;
  writeLock: SharedArrayBuffer;
};
const { config } = loadNodeConfig(env, generated);
const logger = createNodeLogger(config, { thread: "inbox" });
// Nothing of the hub's own is counted here; the registry carries this thread's Node metrics (heap, event loop).
const { registry } = createNodeMetrics({ thread: "inbox", defaults: true });
const report = reportToMainThread(registry);
// Checkpoints (copying the WAL into the database file) are left to the thread the background thread's
// connection starts for them (checkpointer.ts).
const database = openNodeDatabase(config.dbPath, {
  checkpoints: "off",
  onWriteOutcome: report.writes,
  writeLock,
  // The rows are there for the processor once committed; only the acknowledgements wait for the sync. (A
  // claim made while an earlier batch syncs takes its rows too: a delivery is processed from its commit on.)
  onDurableCommit: () => parentPort!.postMessage({ type: "committed" } satisfies InboxCommitted),
});
const inbox = createInboxStore(database);
const inFlight = new Set<Promise<void>>();

async function store(batch: number, deliveries: NewDelivery[]) {
  let reply: InboxReply;
  try {
    reply = { type: "added", batch, results: await Promise.all(deliveries.map(inbox.add)) };
  } catch (error) {
    logger.error({ error: (error as Error).message, deliveries: deliveries.length }, "inbox write failed");
    reply = { type: "failed", batch, message: (error as Error).message };
  }
  parentPort!.postMessage(reply);
  // The line per delivery the ingress path would write, written here after the answer: its cost (serializing,
  // redacting, writing to stdout) stays off the HTTP thread and off the acknowledgement's way.
  if (reply.type !== "added") return;
  for (const [i, stored] of reply.results.entries()) logDelivery(deliveries[i]!, stored);
}

function logDelivery(delivery: NewDelivery, stored: "accepted" | "duplicate") {
  logger.info(
    {
      ...delivery.request,
      platform: delivery.platform,
      deliveryId: delivery.deliveryKey,
      eventType: delivery.eventType,
      outcome: storedOutcome(delivery.known, stored),
    },
    "delivery",
  );
}

parentPort!.on("message", async (message: InboxMessage) => {
  if (message.type === "add") {
    const done = store(message.batch, message.deliveries).finally(() => inFlight.delete(done));
    inFlight.add(done);
    return;
  }
  if (message.type !== "stop") return;
  // Deliveries already handed over are stored and answered before the connection closes.
  await Promise.allSettled([...inFlight]);
  database.close();
  parentPort!.postMessage({ type: "stopped" });
});
parentPort!.postMessage({ type: "ready" });
