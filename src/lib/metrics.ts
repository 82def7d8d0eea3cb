/**
 * The hub's metrics as domain code records them. The Prometheus registry behind them depends on the runtime
 * (prom-client is Node-only, src/runtime/node-metrics.ts), so shared code sees only these shapes.
 */
export interface Counter<L extends string> {
  inc(labels: Record<L, string>, by?: number): void;
}

export interface Histogram<L extends string> {
  observe(labels: Record<L, string>, value: number): void;
}

/** Values read from the database at scrape time; the same whichever thread or isolate answers the scrape. */
export interface ScrapeReadings {
  inboxDepth: Record<string, number>;
  tasks: { queued: number; running: number };
  outbox: { pending: number; dead: number };
}

export interface Metrics {
  /** hub_webhook_deliveries_total{platform,outcome} */
  deliveries: Counter<"platform" | "outcome">;
  /** hub_webhook_ack_seconds{platform} */
  ackLatency: Histogram<"platform">;
  /** hub_inbox_processed_total{platform,result} */
  processed: Counter<"platform" | "result">;
  /** hub_tasks_finished_total{kind,outcome} */
  tasksFinished: Counter<"kind" | "outcome">;
  /** hub_task_duration_seconds{kind,outcome}: from start to finish, for tasks that started. */
  taskDuration: Histogram<"kind" | "outcome">;
  /** hub_outbox_sent_total{platform} */
  outboxSent: Counter<"platform">;
  /** hub_outbox_retries_total{platform}: failed calls scheduled for another attempt. */
  outboxRetries: Counter<"platform">;
  /** Prometheus text for one scrape: every recorder of this process (all its threads) plus the readings. */
  scrape(readings: ScrapeReadings): Promise<{ contentType: string; body: string }>;
}
