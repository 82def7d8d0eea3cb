/**
 * A small Prometheus text-format registry. prom-client depends on Node built-ins and would not run on
 * Workers; the hub needs only labelled counters and histograms, rendered on /metrics.
 */
type Labels = Record<string, string>;

function labelKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}="${String(labels[k]).replace(/["\\\n]/g, (ch) => (ch === "\n" ? "\\n" : `\\${ch}`))}"`)
    .join(",");
}

export class Counter {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const key = labelKey(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.values.get(labelKey(labels)) ?? 0;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const [key, value] of this.values) lines.push(`${this.name}${key ? `{${key}}` : ""} ${value}`);
    return lines.join("\n");
  }
}

export class Histogram {
  private readonly series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly buckets: readonly number[],
  ) {}
  observe(labels: Labels, value: number): void {
    const key = labelKey(labels);
    let s = this.series.get(key);
    if (!s) {
      s = { counts: this.buckets.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, s);
    }
    this.buckets.forEach((upper, i) => {
      if (value <= upper) s.counts[i]! += 1;
    });
    s.sum += value;
    s.count += 1;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [key, s] of this.series) {
      const sep = key ? `${key},` : "";
      this.buckets.forEach((upper, i) => {
        lines.push(`${this.name}_bucket{${sep}le="${upper}"} ${s.counts[i]}`);
      });
      lines.push(`${this.name}_bucket{${sep}le="+Inf"} ${s.count}`);
      lines.push(`${this.name}_sum${key ? `{${key}}` : ""} ${s.sum}`);
      lines.push(`${this.name}_count${key ? `{${key}}` : ""} ${s.count}`);
    }
    return lines.join("\n");
  }
}

export function createMetrics() {
  return {
    deliveries: new Counter("hub_webhook_deliveries_total", "Webhook deliveries by platform and outcome."),
    ackLatency: new Histogram(
      "hub_webhook_ack_seconds",
      "Time from request to acknowledgement, including the durable inbox write.",
      [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    ),
    processed: new Counter("hub_inbox_processed_total", "Inbox rows processed, by platform and result."),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** A gauge rendered from a value read at scrape time (e.g. inbox depth from the database). */
export function renderGauge(
  name: string,
  help: string,
  samples: { labels: Labels; value: number }[],
): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`];
  for (const s of samples) lines.push(`${name}{${labelKey(s.labels)}} ${s.value}`);
  return lines.join("\n");
}
