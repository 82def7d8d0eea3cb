import type { AssetLoader } from "../deps";
import type { Logger } from "../lib/logger";
import type { Metrics, ScrapeReadings } from "../lib/metrics";

/**
 * Structured JSON lines on the console, which Workers Logs (and `wrangler tail`) collect. Fields whose names
 * say they hold a secret are replaced, as the Node logger's redaction does.
 */
export function workerLogger(level: string, bindings: Record<string, unknown> = {}): Logger {
  // HUB_LOG_LEVEL as pino reads it: "silent" (past every level) writes nothing.
  const order = ["trace", "debug", "info", "warn", "error", "fatal", "silent"];
  const threshold = Math.max(0, order.indexOf(level));
  const write = (lvl: string) => (obj: Record<string, unknown>, msg?: string) => {
    if (order.indexOf(lvl) < threshold) return;
    const line = JSON.stringify({ level: lvl, time: Date.now(), ...bindings, ...obj, msg }, redact);
    if (lvl === "error") console.error(line);
    else if (lvl === "warn") console.warn(line);
    else console.log(line);
  };
  return {
    child: (more) => workerLogger(level, { ...bindings, ...more }),
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
  };
}

const secretKeys = new Set(["token", "secret", "authorization", "privateKey"]);
function redact(key: string, value: unknown) {
  return secretKeys.has(key) ? "[redacted]" : value;
}

/**
 * Metrics on Workers: each isolate is short-lived and one of many, so in-memory counters would say little.
 * Counters are dropped (Workers Analytics and logs count requests); a scrape reports the database readings,
 * which are the same whichever isolate answers.
 */
export function workerMetrics(): Metrics {
  const none = { inc() {}, observe() {} };
  return {
    deliveries: none,
    ackLatency: none,
    processed: none,
    tasksFinished: none,
    taskDuration: none,
    outboxSent: none,
    outboxRetries: none,
    async scrape(readings: ScrapeReadings) {
      const lines: string[] = [];
      const gauge = (name: string, help: string, values: [string, number][]) => {
        lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`);
        for (const [labels, value] of values) lines.push(`${name}${labels} ${value}`);
      };
      gauge(
        "hub_inbox_depth",
        "Inbox rows by status.",
        Object.entries(readings.inboxDepth).map(([status, n]) => [`{status="${status}"}`, n]),
      );
      gauge("hub_tasks_queued", "Tasks waiting to run.", [["", readings.tasks.queued]]);
      gauge("hub_tasks_running", "Tasks running now.", [["", readings.tasks.running]]);
      gauge("hub_outbox_pending", "Outbound calls waiting to be delivered.", [["", readings.outbox.pending]]);
      gauge("hub_outbox_dead", "Outbound calls that gave up and wait for an admin.", [
        ["", readings.outbox.dead],
      ]);
      return { contentType: "text/plain; version=0.0.4; charset=utf-8", body: `${lines.join("\n")}\n` };
    },
  };
}

/**
 * Files of npm packages on Workers. wrangler uploads swagger-ui-dist as the Worker's static assets
 * (wrangler.toml [assets]); they are read through the ASSETS binding, never served on their own.
 */
export function workerAssetLoader(assets: Fetcher | undefined): AssetLoader {
  const served = "swagger-ui-dist/";
  return {
    async read(path) {
      if (!assets || !path.startsWith(served) || path.split("/").includes("..")) return null;
      const response = await assets.fetch(`https://assets.local/${path.slice(served.length)}`);
      return response.ok ? new Uint8Array(await response.arrayBuffer()) : null;
    },
  };
}
