import { parentPort, workerData } from "node:worker_threads";
import type { GeneratedSecrets } from "../config";
import { startBackgroundLoops } from "./background-loops";
import type { BackgroundMessage } from "./background-thread";
import { ingressPressure } from "./ingress-pressure";
import { openNodeHub } from "./node-boot";
import { createNodeLogger, loadNodeConfig } from "./node-config";
import { createNodeMetrics } from "./node-metrics";
import { lowerThreadPriority } from "./thread-priority";
import { reportToMainThread } from "./thread-reports";

/**
 * The background thread: processes the inbox, runs tasks and delivers the outbox on its own database
 * connection, at a lower CPU priority, so acknowledging webhooks never waits behind that work.
 */
const { env, generated, ingress, writeLock } = workerData as {
  env: Record<string, string | undefined>;
  generated?: GeneratedSecrets;
  ingress: SharedArrayBuffer;
  writeLock: SharedArrayBuffer;
};
const { config } = loadNodeConfig(env, generated);
const logger = createNodeLogger(config, { thread: "background" });
lowerThreadPriority(logger);
// Inbox processing, tasks and the outbox are counted here; the main thread asks for them at each scrape.
const { metrics, registry } = createNodeMetrics({ thread: "background", defaults: true });
const report = reportToMainThread(registry);
const { hub, database, egress } = await openNodeHub(config, logger, {
  thread: "background",
  metrics,
  onWriteOutcome: report.writes,
  writeLock,
});

const loops = startBackgroundLoops(hub, logger, ingressPressure(ingress));

parentPort!.on("message", async (message: BackgroundMessage) => {
  switch (message.type) {
    case "wake":
      if (message.loop === "inbox") hub.deps.wakeProcessor();
      else if (message.loop === "tasks") hub.deps.tasks.wake();
      else hub.deps.wakeOutbox();
      return;
    case "abort":
      hub.deps.tasks.abort(message.taskId);
      return;
    case "metrics":
      // Answered by reportToMainThread.
      return;
    case "stop":
      await loops.stop();
      await egress?.close();
      database.close();
      parentPort!.postMessage({ type: "stopped" });
      return;
  }
});
parentPort!.postMessage({ type: "ready" });
