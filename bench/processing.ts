import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setupServer } from "msw/node";
import { tasks } from "../src/db/schema/tasks";
import { githubWorld } from "../test/github/acme";
import { githubExample } from "../test/helpers/github-examples";
import { createWorld, type World } from "../test/helpers/world";
import { seedAcme, slackWorld } from "../test/slack/acme";
import { BOT, mentionPayload } from "../test/slack/requests";

/**
 * Processing benchmark: CPU per processed GitHub `pull_request.opened` (decide, plan, create the review task)
 * and per Slack `app_mention` (decide, choose the environment, create the task) through the real surfaces of
 * a hub whose outbound calls in-process fakes answer (their CPU is counted too), beside the processor's own
 * cost (claim, decode, normalize, complete) with a step that does nothing, measured in the same run. Each
 * first processes a few hundred deliveries unmeasured, so the figures are of a running hub, not of its
 * start. Then a backlog: rows already in the inbox, drained by the processor from a database file.
 * `BENCH_PROCESS_EVENTS` (default 2,000) and `BENCH_BACKLOG` (default 100,000) shorten it.
 */
const events = Number(process.env.BENCH_PROCESS_EVENTS ?? "2000");
const backlog = Number(process.env.BENCH_BACKLOG ?? "100000");
const warmup = 300;

/** `n` new pull requests, numbered after the ones stored before in this world. */
async function store(world: World, n: number, prefix: string) {
  const first = world.inbox().length;
  const base = githubExample("pull_request", "opened");
  for (let i = 0; i < n; i += 500) {
    const adds = [];
    for (let j = i; j < Math.min(n, i + 500); j++) {
      const payload = structuredClone(base);
      payload.installation = { id: 1 };
      // A new pull request each time (opened happens once per pull request), with its own head commit.
      payload.number = first + j + 1;
      payload.pull_request.number = first + j + 1;
      payload.pull_request.head.sha = `${prefix}${j.toString(16).padStart(40 - prefix.length, "0")}`;
      adds.push(
        world.deps.inbox.add({
          platform: "github",
          deliveryKey: `${prefix}-${j}`,
          replayDigest: true,
          eventType: "pull_request.opened",
          payload: JSON.stringify(payload),
          known: true,
          receivedAt: world.clock.now(),
        }),
      );
    }
    await Promise.all(adds);
  }
}

async function storeMentions(world: World, n: number) {
  for (let i = 0; i < n; i++) {
    const payload = mentionPayload({ text: `<@${BOT}> fix the flaky login test in acme/web`, user: "U0MAX" });
    await world.deps.inbox.add({
      platform: "slack",
      deliveryKey: payload.event_id,
      replayDigest: false,
      eventType: "event_callback.app_mention",
      payload: JSON.stringify(payload),
      known: true,
      receivedAt: world.clock.now(),
    });
  }
}

/** Processes `warmup` deliveries unmeasured, then measures `n` more. */
async function steady(world: World, fill: (n: number, prefix: string) => Promise<void>, n: number) {
  await fill(warmup, "w");
  await world.processor.drain();
  await fill(n, "m");
  return measure(world, n);
}

async function measure(world: World, n: number) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const processed = await world.processor.drain();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { processed, wallMs, cpuMsPer: (used.user + used.system) / 1000 / n, rate: (n / wallMs) * 1000 };
}

export async function benchProcessing() {
  const server = setupServer();
  server.listen({ onUnhandledRequest: "bypass" });
  const dir = mkdtempSync(join(tmpdir(), "hub-bench-processing-"));
  try {
    console.log(
      `processing: ${events} stored deliveries after ${warmup} unmeasured: GitHub pull_request.opened (each a new pull request), Slack app_mention (each a new task)`,
    );
    const noop = createWorld({ step: async () => ({ outcome: "ok" }) });
    const baseline = await steady(noop, (n, prefix) => store(noop, n, prefix), events);
    noop.close();

    const github = async (dbPath?: string) => {
      const { world } = await githubWorld(server, dbPath ? { dbPath } : {});
      const m = await steady(world, (n, prefix) => store(world, n, prefix), events);
      const created = world.rows(tasks).length - warmup;
      world.close();
      return { ...m, created };
    };
    const slack = async (dbPath?: string) => {
      const { world } = slackWorld(server, dbPath ? { dbPath } : {});
      await seedAcme(world, {}, { linkSlack: true });
      const m = await steady(world, (n) => storeMentions(world, n), events);
      const created = world.rows(tasks).length - warmup;
      world.close();
      return { ...m, created };
    };
    const full = await github();
    const mentions = await slack();
    // The same on a database file, as the hub runs: each commit then also writes its pages to the WAL.
    const fullOnDisk = await github(join(dir, "github.sqlite"));
    const mentionsOnDisk = await slack(join(dir, "slack.sqlite"));

    const row = (name: string, m: typeof baseline, note: string) =>
      console.log(
        `  ${name.padEnd(13)} ${m.cpuMsPer.toFixed(3)} ms CPU per delivery   ${m.rate.toFixed(0).padStart(4)} deliveries/s   ${note}`,
      );
    const versus = (m: typeof baseline) =>
      `target <= 0.5 ms ${m.cpuMsPer <= 0.5 ? "ok" : "MISSED"}, ${(m.cpuMsPer / baseline.cpuMsPer).toFixed(1)}x the no-op step`;
    row("no-op step", baseline, "(the processor alone: claim, decode, normalize, complete)");
    row("github", full, `(${full.created} review tasks created; ${versus(full)})`);
    row("slack", mentions, `(${mentions.created} tasks created; ${versus(mentions)})`);
    row("github, file", fullOnDisk, `(database on disk; ${versus(fullOnDisk)})`);
    row("slack, file", mentionsOnDisk, `(database on disk; ${versus(mentionsOnDisk)})`);

    console.log(`backlog: ${backlog} pull_request.opened rows in an inbox on disk, drained by the processor`);
    const onDisk = createWorld({
      dbPath: join(dir, "backlog.sqlite"),
      step: async () => ({ outcome: "ok" }),
    });
    await store(onDisk, backlog, "c");
    const drained = await measure(onDisk, backlog);
    onDisk.close();
    console.log(
      `  no-op step   ${drained.rate.toFixed(0)} deliveries/s (the processor alone: claim, decode, normalize, commit; target >= 1,500/s) ${drained.rate >= 1500 ? "ok" : "MISSED"}`,
    );
    console.log(
      `  github       ${fullOnDisk.rate.toFixed(0)} deliveries/s with the GitHub surface (the "github, file" run above) ${fullOnDisk.rate >= 1500 ? "ok" : "MISSED"}`,
    );
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
