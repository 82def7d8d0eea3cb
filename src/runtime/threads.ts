import { once } from "node:events";
import { Worker } from "node:worker_threads";
import type { Logger } from "../lib/logger";
import type { WriteHealth } from "../lib/write-health";
import type { ThreadMetricsJson } from "./node-metrics";
import type { ThreadReport } from "./thread-reports";

/**
 * Starts one of the hub's worker threads (`entry` is a module beside this file, named by its `.ts` source) and
 * waits until it says it is ready. If the thread dies, the process exits so that a supervisor restarts the hub:
 * leases and the inbox hand the interrupted work to the new process. Threads that report (thread-reports.ts)
 * answer metrics requests and tell how their database writes go, recorded in `writes` under the thread's name.
 */
export async function startThread(
  name: string,
  entry: string,
  data: Record<string, unknown>,
  logger: Logger,
  options: { writes?: WriteHealth } = {},
) {
  // Built (`npm run build`), each entry is bundled as plain JavaScript beside this code in dist/runtime/; from
  // source, thread-entry.mjs first registers tsx, which worker threads do not inherit.
  const built = !import.meta.url.endsWith(".ts");
  const worker = built
    ? new Worker(new URL(entry.replace(/\.ts$/, ".js"), import.meta.url), { name, workerData: data })
    : new Worker(new URL("./thread-entry.mjs", import.meta.url), { name, workerData: { ...data, entry } });
  let stopping = false;
  worker.on("error", (error) =>
    logger.error({ thread: name, error: error.message, stack: error.stack }, "thread failed"),
  );
  worker.on("exit", (code) => {
    if (stopping) return;
    logger.error({ thread: name, code }, "thread exited; stopping the hub");
    process.exit(1);
  });
  const [first] = (await once(worker, "message")) as [{ type: string }];
  if (first.type !== "ready") throw new Error(`the ${name} thread answered ${first.type}`);

  const metricsWaiting = new Map<number, (metrics: ThreadMetricsJson) => void>();
  let nextRequest = 0;
  worker.on("message", (report: ThreadReport | { type?: undefined }) => {
    if (report?.type === "metrics") metricsWaiting.get(report.id)?.(report.metrics);
    else if (report?.type === "writes") options.writes?.record(name, report.failure);
  });

  return {
    worker,
    name,
    /** The thread's metrics registry as JSON; null when it did not answer within `timeoutMs`. */
    metrics(timeoutMs: number): Promise<ThreadMetricsJson | null> {
      const id = nextRequest++;
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          metricsWaiting.delete(id);
          resolve(null);
        }, timeoutMs);
        metricsWaiting.set(id, (metrics) => {
          clearTimeout(timer);
          metricsWaiting.delete(id);
          resolve(metrics);
        });
        worker.postMessage({ type: "metrics", id });
      });
    },
    /** Asks the thread to finish (it answers "stopped"), then ends it. */
    async stop() {
      stopping = true;
      // Answers to work handed over before the stop may still come first; wait for "stopped" itself.
      const stopped = new Promise<void>((resolve) => {
        const onMessage = (message: { type?: string }) => {
          if (message?.type !== "stopped") return;
          worker.off("message", onMessage);
          resolve();
        };
        worker.on("message", onMessage);
        worker.once("exit", () => resolve());
      });
      worker.postMessage({ type: "stop" });
      await stopped;
      await worker.terminate();
    },
  };
}
