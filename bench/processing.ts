import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setupServer } from "msw/node";
import { tasks } from "../src/db/schema/tasks";
import { githubWorld } from "../test/github/acme";
import { githubExample } from "../test/helpers/github-examples";
import { createWorld, type World } from "../test/helpers/world";

/**
 * Processing benchmark: CPU per processed GitHub `pull_request.opened` (decide, plan, create the review task)
 * through the real GitHub surface of a hub whose outbound GitHub calls an in-process fake answers (its CPU is
 * counted too), beside the processor's own cost (claim, decode, normalize, complete) with a step that does
 * nothing, measured in the same run. Then a backlog: rows already in the inbox, drained by the processor from
 * a database file. `BENCH_PROCESS_EVENTS` (default 2,000) and `BENCH_BACKLOG` (default 100,000) shorten it.
 */
const events = Number(process.env.BENCH_PROCESS_EVENTS ?? "2000");
const backlog = Number(process.env.BENCH_BACKLOG ?? "100000");

async function store(world: World, n: number, prefix: string) {
  const base = githubExample("pull_request", "opened");
  for (let i = 0; i < n; i += 500) {
    const adds = [];
    for (let j = i; j < Math.min(n, i + 500); j++) {
      const payload = structuredClone(base);
      payload.installation = { id: 1 };
      // A new pull request each time (opened happens once per pull request), with its own head commit.
      payload.number = j + 1;
      payload.pull_request.number = j + 1;
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
    console.log(`processing: ${events} stored pull_request.opened deliveries, each a new pull request`);
    const noop = createWorld({ step: async () => ({ outcome: "ok" }) });
    await store(noop, events, "a");
    const baseline = await measure(noop, events);
    noop.close();

    const { world } = await githubWorld(server);
    await store(world, events, "b");
    const full = await measure(world, events);
    const created = world.rows(tasks).length;
    world.close();
    console.log(
      `  no-op step   ${baseline.cpuMsPer.toFixed(3)} ms CPU per delivery   ${baseline.rate.toFixed(0)} deliveries/s`,
    );
    console.log(
      `  github       ${full.cpuMsPer.toFixed(3)} ms CPU per delivery   ${full.rate.toFixed(0)} deliveries/s   (${created} review tasks created; target <= 0.5 ms, ${(full.cpuMsPer / baseline.cpuMsPer).toFixed(1)}x the no-op step)`,
    );

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
      `  github       ${full.rate.toFixed(0)} deliveries/s with the GitHub surface (from the run above, in memory) ${full.rate >= 1500 ? "ok" : "MISSED"}`,
    );
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
