import { parentPort } from "node:worker_threads";
import type { Registry } from "prom-client";
import { type ThreadMetricsJson, withoutProcessMetrics } from "./node-metrics";

/** What a worker thread tells the main thread besides the answers to its own requests. */
export type ThreadReport =
  | { type: "metrics"; id: number; metrics: ThreadMetricsJson }
  | { type: "writes"; failure: { error: string } | null };

/** Asked by the main thread at each /metrics scrape (threads.ts). */
export type MetricsRequest = { type: "metrics"; id: number };

/**
 * The worker side of threads.ts: answers the main thread's metrics requests with this thread's registry and
 * forwards how this thread's database writes go, since /metrics and /readyz are served by the main thread.
 */
export function reportToMainThread(registry: Registry) {
  const port = parentPort!;
  port.on("message", async (message: { type?: string; id?: number }) => {
    if (message?.type !== "metrics") return;
    const metrics = withoutProcessMetrics(await registry.getMetricsAsJSON());
    port.postMessage({ type: "metrics", id: message.id!, metrics } satisfies ThreadReport);
  });
  return {
    /** For openNodeDatabase's `onWriteOutcome`: called when the outcome of this thread's writes changes. */
    writes(failure: { error: string } | null) {
      port.postMessage({ type: "writes", failure } satisfies ThreadReport);
    },
  };
}
