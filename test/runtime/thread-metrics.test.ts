import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/lib/logger";
import { writeHealth } from "../../src/lib/write-health";
import { createNodeMetrics } from "../../src/runtime/node-metrics";
import { startThread } from "../../src/runtime/threads";
import { parseScrape } from "../helpers/prometheus";

const entry = pathToFileURL(join(import.meta.dirname, "fixtures", "metrics-thread.ts")).href;
const readings = {
  inboxDepth: { pending: 3 },
  tasks: { queued: 1, running: 2 },
  outbox: { pending: 0, dead: 4 },
};

describe("metrics across threads", () => {
  it("sums every thread's counters into one scrape and says which threads did not answer in time", async () => {
    const writes = writeHealth(() => Date.now());
    const [worker, busy] = await Promise.all([
      startThread("worker", entry, { name: "worker" }, silentLogger, { writes }),
      startThread("busy", entry, { name: "busy" }, silentLogger, { writes }),
    ]);
    try {
      const { metrics } = createNodeMetrics({
        thread: "http",
        peers: () => [worker, busy],
        peerTimeoutMs: 300,
      });
      metrics.processed.inc({ platform: "github", result: "done" });
      worker.worker.postMessage({ type: "count" });
      busy.worker.postMessage({ type: "count" });

      const all = parseScrape((await metrics.scrape(readings)).body);
      expect(all.value("hub_inbox_processed_total", { platform: "github", result: "done" })).toBe(5);
      expect(all.value("hub_metrics_thread_up", { thread: "busy" })).toBe(1);
      expect(all.value("hub_inbox_depth", { status: "pending" })).toBe(3);
      expect(all.value("hub_tasks_running")).toBe(2);
      expect(all.value("hub_outbox_dead")).toBe(4);
      // Each worker thread's own Node metrics, without the process-wide ones (the main thread reports those).
      expect(all.labelValues("nodejs_heap_size_used_bytes", "thread").sort()).toEqual(["busy", "worker"]);
      expect(all.labelValues("process_cpu_user_seconds_total", "thread")).toEqual([]);

      // A thread stuck in a long synchronous step is left out instead of holding the scrape up.
      busy.worker.postMessage({ type: "block", ms: 2_000 });
      const started = performance.now();
      const partial = parseScrape((await metrics.scrape(readings)).body);
      expect(performance.now() - started).toBeLessThan(1_500);
      expect(partial.value("hub_metrics_thread_up", { thread: "busy" })).toBe(0);
      expect(partial.value("hub_metrics_thread_up", { thread: "worker" })).toBe(1);
      expect(partial.value("hub_inbox_processed_total")).toBe(3);

      // Threads report how their writes go; the main thread keeps it by thread name.
      worker.worker.postMessage({
        type: "writes",
        failure: { error: "SQLITE_FULL: database or disk is full" },
      });
      await expect.poll(() => writes.failing().map((f) => f.writer)).toEqual(["worker"]);
      worker.worker.postMessage({ type: "writes", failure: null });
      await expect.poll(() => writes.failing()).toEqual([]);
    } finally {
      await Promise.all([worker.stop(), busy.stop()]);
    }
  });
});
