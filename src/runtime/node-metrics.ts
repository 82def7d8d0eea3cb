import { AggregatorRegistry, Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { Metrics, ScrapeReadings } from "../lib/metrics";

/** What one thread's registry holds, as `registry.getMetricsAsJSON()` gives it (plain data, sent between threads). */
export type ThreadMetricsJson = Awaited<ReturnType<Registry["getMetricsAsJSON"]>>;

/** Another thread of this process whose recorders a scrape includes. */
export interface MetricsPeer {
  name: string;
  /** Its registry as JSON, or null when it did not answer within `timeoutMs`. */
  metrics(timeoutMs: number): Promise<ThreadMetricsJson | null>;
}

export interface NodeMetricsOptions {
  /** This thread's name, the `thread` label of the Node default metrics. */
  thread: string;
  /**
   * Collect Node's default metrics (heap, GC, event loop lag...). Each thread is its own V8 isolate with its own
   * event loop, so every thread of the hub collects them, labelled with its name: the background thread's lag
   * is the one that shows processing falling behind. Off in tests that build many hubs in one process.
   */
  defaults?: boolean;
  /** The other threads, asked at each scrape (only the thread that serves /metrics has any). */
  peers?: () => MetricsPeer[];
  /** How long a scrape waits for a peer; a busy thread must not hold the scrape up. */
  peerTimeoutMs?: number;
}

/** The process-wide `process_*` metrics are the same on every thread; only the serving thread reports them. */
export function withoutProcessMetrics(json: ThreadMetricsJson): ThreadMetricsJson {
  return json.filter((metric) => !metric.name.startsWith("process_"));
}

/**
 * The hub's recorders on a prom-client registry of this thread. A scrape asks every other thread for its
 * registry (AggregatorRegistry semantics: counters and histograms are summed over threads) and adds the
 * gauges read from the database, and `hub_metrics_thread_up{thread}` telling which threads answered in time.
 */
export function createNodeMetrics(options: NodeMetricsOptions): { metrics: Metrics; registry: Registry } {
  const registry = new Registry();
  if (options.defaults) collectDefaultMetrics({ register: registry, labels: { thread: options.thread } });
  const registers = [registry];
  const metrics: Metrics = {
    deliveries: new Counter({
      name: "hub_webhook_deliveries_total",
      help: "Webhook deliveries by platform and outcome.",
      labelNames: ["platform", "outcome"],
      registers,
    }),
    ackLatency: new Histogram({
      name: "hub_webhook_ack_seconds",
      help: "Time from request to acknowledgement, including the durable inbox write.",
      labelNames: ["platform"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    processed: new Counter({
      name: "hub_inbox_processed_total",
      help: "Inbox rows processed, by platform and result.",
      labelNames: ["platform", "result"],
      registers,
    }),
    tasksFinished: new Counter({
      name: "hub_tasks_finished_total",
      help: "Tasks that reached a final status, by kind and outcome (completed, failed, cancelled).",
      labelNames: ["kind", "outcome"],
      registers,
    }),
    taskDuration: new Histogram({
      name: "hub_task_duration_seconds",
      help: "Time from a task's start to its end, by kind and outcome.",
      labelNames: ["kind", "outcome"],
      buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600],
      registers,
    }),
    outboxSent: new Counter({
      name: "hub_outbox_sent_total",
      help: "Outbound platform calls delivered, by platform.",
      labelNames: ["platform"],
      registers,
    }),
    outboxRetries: new Counter({
      name: "hub_outbox_retries_total",
      help: "Outbound platform calls that failed and were scheduled again, by platform.",
      labelNames: ["platform"],
      registers,
    }),
    scrape: async (readings) => {
      const peers = options.peers?.() ?? [];
      const timeoutMs = options.peerTimeoutMs ?? 1_000;
      const [own, ...answers] = await Promise.all([
        registry.getMetricsAsJSON(),
        ...peers.map((peer) => peer.metrics(timeoutMs).catch(() => null)),
      ]);
      const arrived = answers.filter((answer): answer is ThreadMetricsJson => answer !== null);
      const merged = Registry.merge([
        AggregatorRegistry.aggregate([own!, ...arrived]),
        scrapeGauges(readings, [
          { thread: options.thread, up: true },
          ...peers.map((peer, i) => ({ thread: peer.name, up: answers[i] !== null })),
        ]),
      ]);
      return { contentType: merged.contentType, body: await merged.metrics() };
    },
  };
  return { metrics, registry };
}

/** A registry made for one scrape: the values read from the database and which threads answered. */
function scrapeGauges(readings: ScrapeReadings, threads: { thread: string; up: boolean }[]): Registry {
  const registry = new Registry();
  const registers = [registry];
  const inbox = new Gauge({
    name: "hub_inbox_depth",
    help: "Inbox rows by status.",
    labelNames: ["status"],
    registers,
  });
  for (const [status, n] of Object.entries(readings.inboxDepth)) inbox.set({ status }, n);
  const gauge = (name: string, help: string, value: number) =>
    new Gauge({ name, help, registers }).set(value);
  gauge("hub_tasks_queued", "Tasks waiting to run.", readings.tasks.queued);
  gauge("hub_tasks_running", "Tasks running now.", readings.tasks.running);
  gauge(
    "hub_outbox_pending",
    "Outbound calls waiting to be sent (new or to be retried).",
    readings.outbox.pending,
  );
  gauge("hub_outbox_dead", "Outbound calls that gave up and wait for an admin.", readings.outbox.dead);
  const up = new Gauge({
    name: "hub_metrics_thread_up",
    help: "1 when the thread's metrics are in this scrape, 0 when it did not answer in time.",
    labelNames: ["thread"],
    registers,
  });
  for (const t of threads) up.set({ thread: t.thread }, t.up ? 1 : 0);
  return registry;
}
