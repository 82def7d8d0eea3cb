import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createSlackClient } from "../src/clients/slack/client";
import { enqueueOutbound } from "../src/outbox/enqueue";
import { deliverDue, lanesPerPlatform } from "../src/outbox/worker";
import { createWorld } from "../test/helpers/world";

/**
 * Outbound delivery against a platform that takes its time: a Slack Web API stand-in (node:http) answering
 * every call after `BENCH_SLACK_MS` (default 100 ms, about what chat.postMessage takes), `calls` messages
 * spread over `channels` channels, delivered by the outbox worker through the real Slack client. The
 * baseline, in the same run, is one lane per platform: every call after the one before, the hub's delivery
 * before lanes.
 */
const answerMs = Number(process.env.BENCH_SLACK_MS ?? "100");
const calls = 120;
const channels = 40;

async function drain(lanes: number, url: string): Promise<number> {
  const world = createWorld({
    clients: { slack: createSlackClient({ botToken: "xoxb-bench", apiUrl: url, timeoutMs: 10_000 }) },
  });
  try {
    for (let i = 0; i < calls; i++) {
      await enqueueOutbound(world.deps, {
        request: {
          platform: "slack",
          operation: "chat.postMessage",
          args: { channel: `C${i % channels}`, text: `message ${i}` },
        },
        dedupeKey: `bench:${i}`,
      });
    }
    const started = performance.now();
    let sent = 0;
    while (sent < calls) sent += (await deliverDue(world.deps, { lanes })).sent;
    return calls / ((performance.now() - started) / 1000);
  } finally {
    world.close();
  }
}

export async function benchOutbox() {
  let counter = 0;
  const slack = createServer((req, res) => {
    req.resume();
    req.on("end", () =>
      setTimeout(() => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(
          JSON.stringify({ ok: true, channel: "C", ts: `1700000000.${String(++counter).padStart(6, "0")}` }),
        );
      }, answerMs),
    );
  });
  await new Promise<void>((r) => slack.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(slack.address() as AddressInfo).port}/api/`;
  try {
    console.log(
      `outbox: ${calls} Slack messages over ${channels} channels, each answered after ${answerMs} ms`,
    );
    const one = await drain(1, url);
    const lanes = await drain(lanesPerPlatform, url);
    console.log(`  one lane (baseline)   ${one.toFixed(1).padStart(7)} calls/s`);
    console.log(
      `  ${lanesPerPlatform} lanes               ${lanes.toFixed(1).padStart(7)} calls/s   ${(lanes / one).toFixed(1)}x the baseline`,
    );
  } finally {
    slack.close();
  }
}
