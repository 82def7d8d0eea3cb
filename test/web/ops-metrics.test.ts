import { describe, expect, it } from "vitest";
import { createSlackClient } from "../../src/clients/slack/client";
import { enqueueOutbound } from "../../src/outbox/enqueue";
import { deliverDue } from "../../src/outbox/worker";
import { createTask } from "../../src/tasks/service";
import { useMockServer } from "../helpers/mock-server";
import { parseScrape } from "../helpers/prometheus";
import { createWorld } from "../helpers/world";
import { githubDelivery, send } from "../ingress/deliveries";
import { SLACK_API, slackFake } from "../outbox/slack-fake";
import { fakeExecutor, newTask } from "../tasks/fixtures";

const server = useMockServer();

async function scrape(hub: { request(path: string): Response | Promise<Response> }) {
  const res = await hub.request("/metrics");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseScrape(await res.text());
}

describe("/metrics after real traffic (one thread)", () => {
  it("counts a processed webhook, a finished task and an outbox call retried then sent", async () => {
    const { executor } = fakeExecutor(async () => ({ answer: "done" }));
    const hub = createWorld({
      clients: { slack: createSlackClient({ botToken: "xoxb-test", apiUrl: SLACK_API, timeoutMs: 100 }) },
      executor,
      taskRunner: { resolveEnvironment: async () => undefined },
    });
    try {
      const fake = slackFake(() => hub.clock.now());
      server.use(fake.handler);
      fake.script("flaky", [{ kind: "http", status: 500 }]);

      const delivery = await githubDelivery("pull_request", "opened", {
        secret: hub.secrets.github.current,
        at: hub.clock.now(),
      });
      expect((await send(hub, "/webhooks/github", delivery)).status).toBe(200);
      await hub.processor.drain();

      await createTask(hub.deps, newTask({ kind: "review" }));
      await createTask(hub.deps, newTask());
      await hub.taskRunner.drain();

      const post = {
        platform: "slack" as const,
        operation: "chat.postMessage",
        args: { channel: "C1", text: "flaky" },
      };
      await enqueueOutbound(hub.deps, { request: post, dedupeKey: "metrics:flaky" });
      await deliverDue(hub.deps, { random: () => 0 });
      // Retried, not sent yet: one pending call.
      const between = await scrape(hub);
      expect(between.value("hub_outbox_retries_total", { platform: "slack" })).toBe(1);
      expect(between.value("hub_outbox_pending")).toBe(1);
      hub.clock.advance(60_000);
      await deliverDue(hub.deps, { random: () => 0 });

      const m = await scrape(hub);
      expect(m.value("hub_webhook_deliveries_total", { platform: "github", outcome: "accepted" })).toBe(1);
      expect(m.count("hub_webhook_ack_seconds", { platform: "github" })).toBe(1);
      expect(m.value("hub_inbox_processed_total", { platform: "github" })).toBe(1);
      expect(m.value("hub_inbox_depth", { status: "pending" })).toBe(0);
      expect(
        m.value("hub_inbox_depth", { status: "done" }) + m.value("hub_inbox_depth", { status: "ignored" }),
      ).toBe(1);
      expect(m.value("hub_tasks_finished_total")).toBe(2);
      expect(m.value("hub_tasks_finished_total", { kind: "task", outcome: "completed" })).toBe(1);
      // "done" is not the findings JSON a review answers with: that review ends as failed.
      expect(m.value("hub_tasks_finished_total", { kind: "review", outcome: "failed" })).toBe(1);
      expect(m.count("hub_task_duration_seconds")).toBe(2);
      expect(m.value("hub_tasks_queued")).toBe(0);
      expect(m.value("hub_tasks_running")).toBe(0);
      expect(m.value("hub_outbox_sent_total", { platform: "slack" })).toBe(1);
      expect(m.value("hub_outbox_retries_total", { platform: "slack" })).toBe(1);
      expect(m.value("hub_outbox_pending")).toBe(0);
      expect(m.value("hub_outbox_dead")).toBe(0);
      expect(m.value("hub_metrics_thread_up", { thread: "http" })).toBe(1);
      expect(fake.delivered().map((c) => c.args.text)).toContain("flaky");
    } finally {
      hub.close();
    }
  });
});
