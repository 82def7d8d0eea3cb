import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { listSandboxOutbound } from "../../src/clients/sandbox";
import { createHub } from "../../src/hub";
import { manualClock } from "../../src/lib/clock";
import { silentLogger } from "../../src/lib/logger";
import { deliverDue } from "../../src/outbox/worker";
import { openNodeDatabase } from "../../src/runtime/node-db";
import { createNodeMetrics } from "../../src/runtime/node-metrics";
import { createCommandExecutor } from "../../src/tasks/executors/command";
import { demoAgentCommand } from "../../src/tasks/executors/node-executors";
import { ensureLocalWorkspace } from "../../src/workspace/workspaces";
import { testConfig, testSecrets } from "../helpers/app";
import { slackHeaders } from "../ingress/deliveries";

// `npm run demo` sends scripts/samples/slack-app-mention.json (team T0SANDBOX, user U0ADMIN, "in
// Codertocat/Hello-World") to a sandbox hub whose agent is the demo agent: the mention must be answered in
// its thread, with no account anywhere.

let close: (() => void) | undefined;
afterEach(() => close?.());

describe("the sandbox demo's Slack mention", () => {
  it("is answered end to end: 👀, 'working on it', then the answer in the thread", async () => {
    const database = openNodeDatabase(":memory:");
    close = () => database.close();
    const clock = manualClock(Date.now());
    const hub = createHub({
      metrics: createNodeMetrics({ thread: "http" }).metrics,
      config: testConfig(),
      database,
      clock,
      logger: silentLogger,
      executor: createCommandExecutor({ command: demoAgentCommand(), env: { PATH: process.env.PATH ?? "" } }),
    });
    expect(hub.deps.config.sandbox).toBe(true);
    await ensureLocalWorkspace(hub.deps);

    const payload = JSON.parse(
      readFileSync(new URL("../../scripts/samples/slack-app-mention.json", import.meta.url), "utf8"),
    );
    const body = JSON.stringify(payload);
    const headers = slackHeaders(
      body,
      { secret: testSecrets.slack.current, at: clock.now() },
      "application/json",
    );
    expect((await hub.app.request("/webhooks/slack/events", { method: "POST", body, headers })).status).toBe(
      200,
    );
    await hub.processor.drain();
    await hub.taskRunner.drain();
    await deliverDue(hub.deps);

    const calls = (await listSandboxOutbound(database, 50)).reverse();
    const slack = calls
      .filter((c) => c.platform === "slack")
      .map((c) => ({ op: c.operation, args: c.request as Record<string, string> }));
    const ts = payload.event.ts;
    expect(slack.find((c) => c.op === "reactions.add")?.args).toMatchObject({
      channel: "C0SANDBOX",
      timestamp: ts,
      name: "eyes",
    });
    const posts = slack.filter((c) => c.op === "chat.postMessage");
    expect(posts.map((p) => p.args.thread_ts)).toEqual([ts, ts]);
    expect(posts[0]!.args.text).toContain("Working on it in *hello-world*");
    expect(posts[1]!.args.text).toContain(
      "✅ *Completed:* fix the flaky login test in Codertocat/Hello-World",
    );
    expect(slack.some((c) => c.op === "chat.postEphemeral")).toBe(false);
  });
});
