import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/lib/clock";
import { demoAgentCommand } from "../../src/runtime/executors/node-executors";
import { openNodeDatabase } from "../../src/runtime/node-db";
import { createTask } from "../../src/tasks/service";
import { githubExample } from "../helpers/github-examples";
import { type HubProcess, startHubProcess } from "../helpers/hub-process";
import { parseScrape } from "../helpers/prometheus";
import { githubRequest } from "../helpers/signers";

const dirs: string[] = [];
const secret = "metrics-webhook-secret";
let hub: HubProcess | undefined;
afterAll(async () => {
  await hub?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function scrape(url: string) {
  const res = await fetch(`${url}/metrics`);
  expect(res.status).toBe(200);
  return parseScrape(await res.text());
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

// The threads each run of the hub reports, and the one that writes a delivery's log line (the inbox thread,
// or on one thread the main thread, whose lines name no thread).
const shapes = [
  { threads: "3", reporting: ["background", "http", "inbox"], logs: { thread: "inbox" } },
  { threads: "1", reporting: ["main"], logs: {} },
];

describe.each(shapes)("/metrics of the real process (HUB_THREADS=$threads)", (shape) => {
  it("includes what every thread counted, in one scrape", async () => {
    await hub?.stop();
    const dir = mkdtempSync(join(tmpdir(), "hub-metrics-"));
    dirs.push(dir);
    const dbPath = join(dir, "hub.sqlite");
    hub = await startHubProcess({
      HUB_DB_PATH: dbPath,
      HUB_ADMIN_TOKEN: "metrics-admin-token-0123456789",
      GITHUB_WEBHOOK_SECRET: secret,
      HUB_EXECUTOR_COMMAND: demoAgentCommand(),
      HUB_THREADS: shape.threads,
    });
    const init = await githubRequest(githubExample("pull_request", "opened"), {
      event: "pull_request",
      delivery: crypto.randomUUID(),
      secret,
    });
    const first = await fetch(`${hub.url}/webhooks/github`, init);
    expect(first.status).toBe(200);
    // GitHub's redelivery of the same delivery: acknowledged, stored once.
    const again = await githubRequest(githubExample("pull_request", "opened"), {
      event: "pull_request",
      delivery: first.headers.get("x-hub-delivery")!,
      secret,
    });
    expect((await fetch(`${hub.url}/webhooks/github`, again)).headers.get("x-hub-delivery-status")).toBe(
      "duplicate",
    );
    // A task queued by another producer on the same database, run by the background thread.
    const producer = openNodeDatabase(dbPath);
    await createTask(
      { database: producer, clock: systemClock },
      {
        workspaceId: "ws_metrics",
        requesterMemberId: "mem_metrics",
        origin: { surface: "api" },
        environmentId: null,
        kind: "task",
        title: "metrics task",
        prompt: "Summarise the metrics",
        dedupeKey: "metrics:1",
      },
    );
    producer.close();

    const url = hub.url;
    const m = await until(
      () => scrape(url),
      (s) => s.value("hub_inbox_processed_total") > 0 && s.value("hub_tasks_finished_total") > 0,
      90_000,
    );
    // Counted where the request was answered.
    expect(m.value("hub_webhook_deliveries_total", { platform: "github", outcome: "accepted" })).toBe(1);
    expect(m.value("hub_webhook_deliveries_total", { platform: "github", outcome: "duplicate" })).toBe(1);
    expect(m.count("hub_webhook_ack_seconds", { platform: "github" })).toBe(2);
    // One log line per delivery, written once it was stored, with the request's id.
    const logged = hub.lines
      .filter((l) => l.includes('"msg":"delivery"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toEqual([
      expect.objectContaining({
        ...shape.logs,
        platform: "github",
        route: "github",
        deliveryId: first.headers.get("x-hub-delivery"),
        eventType: "pull_request.opened",
        outcome: "accepted",
        requestId: first.headers.get("x-request-id"),
      }),
      expect.objectContaining({ deliveryId: first.headers.get("x-hub-delivery"), outcome: "duplicate" }),
    ]);
    // Counted by the background work, on a thread of its own unless HUB_THREADS=1.
    expect(m.value("hub_inbox_processed_total", { platform: "github" })).toBe(1);
    expect(m.value("hub_tasks_finished_total", { kind: "task", outcome: "completed" })).toBe(1);
    expect(m.count("hub_task_duration_seconds", { kind: "task", outcome: "completed" })).toBe(1);
    // Read from the database at scrape.
    expect(m.value("hub_inbox_depth", { status: "pending" })).toBe(0);
    expect(m.value("hub_tasks_queued")).toBe(0);
    expect(m.type("hub_outbox_pending")).toBe("gauge");
    // Every thread answered, and each reports its own Node metrics; process-wide ones come once.
    for (const thread of shape.reporting) expect(m.value("hub_metrics_thread_up", { thread })).toBe(1);
    expect(m.labelValues("nodejs_heap_size_used_bytes", "thread").sort()).toEqual(shape.reporting);
    expect(m.labelValues("process_resident_memory_bytes", "thread")).toEqual([
      shape.threads === "1" ? "main" : "http",
    ]);

    const ready = await fetch(`${url}/readyz`);
    expect(await ready.json()).toMatchObject({ status: "ready" });
  }, 180_000);
});
