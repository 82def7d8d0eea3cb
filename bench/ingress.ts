import { type ChildProcess, execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import examples from "@octokit/webhooks-examples/api.github.com/index.json" with { type: "json" };
import Database from "better-sqlite3";
import { processCpuMs, start } from "./processes";

/**
 * Ingress benchmark. GitHub: the hub (real Node entry, durable SQLite inbox) against a bare node:http server
 * that only checks the HMAC (the floor) and a Probot 14 app with a no-op handler, loaded in turn, two rounds,
 * by a separate load-generator process with signed ~23.6 KB `pull_request.opened` deliveries. Slack: the hub
 * against @slack/bolt's App with a no-op listener, signed `app_mention`s. Prints req/s, p50/p99 and the CPU the
 * receiving process used per acknowledged request (all its threads: on this machine the load generator shares
 * the cores, so CPU per request is what bounds the rate), the ratios, each server's peak RSS, and whether every
 * acknowledged delivery was stored. The hub runs twice, as configured by default (three threads) and with
 * `HUB_THREADS=1` (one thread, less memory). Each receiver first takes `BENCH_WARMUP_SECONDS` (default 2) of
 * the same load unmeasured.
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);
const secret = "bench-secret";
const duration = process.env.BENCH_SECONDS ?? "8";
const connections = process.env.BENCH_CONNECTIONS ?? "50";
const rounds = Number(process.env.BENCH_ROUNDS ?? "2");
/** Load each receiver takes, unmeasured, before the first round: a fresh process runs its first seconds cold. */
const warmup = process.env.BENCH_WARMUP_SECONDS ?? "2";

type Result = {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
};

const portLine = (l: string) => (JSON.parse(l) as { port?: number }).port ?? null;

async function load(
  url: string,
  label: string,
  body: string,
  kind: "github" | "slack",
  seconds = duration,
): Promise<Result> {
  const { stdout } = await run(
    process.execPath,
    ["--import", "tsx", "bench/load.ts", url, seconds, connections, label, kind],
    {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", BENCH_BODY: body, BENCH_SECRET: secret },
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as Result;
}

/** A measured row: `load` against a server process, and the CPU it used (every thread) per acknowledged request. */
type Measured = Result & { cpuUs: number };

async function measure(
  child: ChildProcess,
  url: string,
  label: string,
  body: string,
  kind: "github" | "slack",
): Promise<Measured> {
  const before = processCpuMs(child.pid!);
  const result = await load(url, label, body, kind);
  return { ...result, cpuUs: ((processCpuMs(child.pid!) - before) * 1000) / Math.max(1, result.ok) };
}

/**
 * Waits (up to a minute) until the processes have finished what the last load left them: a hub processes the
 * deliveries it acknowledged after the load ends, and that work would otherwise run during the next
 * receiver's measurement, slowing it on this machine's shared cores.
 */
async function untilIdle(children: ChildProcess[]) {
  const cpu = () => children.reduce((sum, child) => sum + processCpuMs(child.pid!), 0);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const before = cpu();
    await new Promise((r) => setTimeout(r, 500));
    // Idle, a hub's loops use about 1% of a core; below a tenth of one, its backlog is done.
    if (cpu() - before < 50) return;
  }
}

/** The highest resident set size the process has had (Linux), in MB. */
function peakRssMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** Inbox rows per platform in a stopped hub's database. */
function storedByPlatform(dbPath: string): Record<string, number> {
  const db = new Database(dbPath, { readonly: true });
  try {
    const rows = db.prepare("SELECT platform, count(*) AS n FROM inbox GROUP BY platform").all() as {
      platform: string;
      n: number;
    }[];
    return Object.fromEntries(rows.map((r) => [r.platform, r.n]));
  } finally {
    db.close();
  }
}

function stop(child: ChildProcess) {
  if (child.exitCode !== null) return Promise.resolve();
  child.kill("SIGTERM");
  return new Promise((r) => child.once("exit", r));
}

const row = (name: string, r: Measured) =>
  `  ${name.padEnd(11)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${String(r.p50).padStart(3)} ms   p99 ${String(r.p99).padStart(3)} ms   CPU ${r.cpuUs.toFixed(0).padStart(4)} µs/req   2xx ${r.ok}  non-2xx ${r.non2xx}  errors ${r.errors}`;
const x = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
const check = (ok: boolean) => (ok ? "ok" : "MISSED");

export async function benchIngress() {
  const definitions = examples as unknown as { name: string; examples: { action?: string }[] }[];
  const payload = definitions
    .find((d) => d.name === "pull_request")!
    .examples.filter((e) => e.action === "opened")[1];
  // One extra top-level field makes every request's body (and its signature) unique; see bench/load.ts.
  const githubBody = JSON.stringify({ ...payload, bench_nonce: "__NONCE__" });
  const mention = JSON.parse(readFileSync(join(root, "test/fixtures/slack/app-mention.json"), "utf8"));
  const slackBody = JSON.stringify({ ...mention, event_id: "__NONCE__" });
  const dir = mkdtempSync(join(tmpdir(), "hub-bench-"));

  const floor = start(["bench/floor-server.ts"], { BENCH_SECRET: secret }, portLine);
  const probot = start(["bench/probot-server.ts"], { BENCH_SECRET: secret }, portLine);
  const bolt = start(["bench/bolt-server.ts"], { BENCH_SECRET: secret }, portLine);
  // The hub runs as in production: its build (`npm run build`), logging at info (one line per delivery is
  // part of the measured cost).
  await run(process.execPath, ["scripts/build.mjs"], { cwd: root });
  const starting = (["3", "1"] as const).map((threads) => {
    const dbPath = join(dir, `hub-${threads}.sqlite`);
    const { child, port } = start(
      ["dist/runtime/node.js"],
      {
        PORT: "0",
        HUB_DB_PATH: dbPath,
        HUB_THREADS: threads,
        GITHUB_WEBHOOK_SECRET: secret,
        SLACK_SIGNING_SECRET: secret,
        HUB_ADMIN_TOKEN: "bench-admin-token-0123456789",
        HUB_LOG_LEVEL: "info",
      },
      (l) => (l.includes('"hub listening') ? JSON.parse(l).port : null),
      [],
    );
    // `key` labels its deliveries (ids and Slack event ids), so it has no spaces.
    const [name, key] = threads === "3" ? ["hub", "hub"] : ["hub 1 thr", "hub1t"];
    return { name, key, child, port, dbPath, acked: { github: 0, slack: 0 } };
  });
  const children = [floor.child, probot.child, bolt.child, ...starting.map((h) => h.child)];
  const [floorPort, probotPort, boltPort] = await Promise.all([floor.port, probot.port, bolt.port]);
  const hubs = await Promise.all(
    starting.map(async (h) => ({ ...h, url: `http://127.0.0.1:${await h.port}` })),
  );
  const [hub, hubOne] = hubs as [(typeof hubs)[0], (typeof hubs)[0]];
  const hubChildren = hubs.map((h) => h.child);

  try {
    console.log(
      `ingress: ${Buffer.byteLength(githubBody)} B signed pull_request.opened, ${connections} connections, ${duration} s each, ${rounds} rounds interleaved, after ${warmup} s of unmeasured load each`,
    );
    // The hubs' warm-up deliveries are stored too; they are counted as acknowledged below.
    await load(`http://127.0.0.1:${floorPort}/`, "warm", githubBody, "github", warmup);
    await load(`http://127.0.0.1:${probotPort}/`, "warm", githubBody, "github", warmup);
    for (const h of hubs) {
      h.acked.github += (
        await load(`${h.url}/webhooks/github`, `warm${h.key}`, githubBody, "github", warmup)
      ).ok;
    }
    const github: { floor: Measured; probot: Measured; hub: Measured }[] = [];
    for (let i = 0; i < rounds; i++) {
      await untilIdle(hubChildren);
      const f = await measure(floor.child, `http://127.0.0.1:${floorPort}/`, "floor", githubBody, "github");
      await untilIdle(hubChildren);
      const p = await measure(
        probot.child,
        `http://127.0.0.1:${probotPort}/`,
        "probot",
        githubBody,
        "github",
      );
      const measured: Measured[] = [];
      for (const each of hubs) {
        await untilIdle(hubChildren);
        const m = await measure(
          each.child,
          `${each.url}/webhooks/github`,
          `${each.key}${i}`,
          githubBody,
          "github",
        );
        each.acked.github += m.ok;
        measured.push(m);
      }
      const [threaded, single] = measured as [Measured, Measured];
      github.push({ floor: f, probot: p, hub: threaded });
      console.log(`round ${i + 1}`);
      console.log(row("floor", f));
      console.log(row("probot", p));
      console.log(row(hub.name, threaded));
      console.log(row(hubOne.name, single));
      console.log(
        `  hub/probot ${x(threaded.rps, p.rps)} (target >= 1.0x, aim 1.2x)   hub/floor ${x(threaded.rps, f.rps)} (target >= 0.45x)   hub p99 ${threaded.p99} ms (target < 40 ms) ${check(threaded.p99 < 40)}   CPU per request hub/probot ${x(threaded.cpuUs, p.cpuUs)}   one thread/three ${x(single.rps, threaded.rps)}`,
      );
    }

    console.log(`\nslack: ${Buffer.byteLength(slackBody)} B signed app_mention, same load`);
    await load(`http://127.0.0.1:${boltPort}/slack/events`, "warm", slackBody, "slack", warmup);
    for (const h of hubs) {
      h.acked.slack += (
        await load(`${h.url}/webhooks/slack/events`, `EvWarm${h.key}`, slackBody, "slack", warmup)
      ).ok;
    }
    for (let i = 0; i < rounds; i++) {
      await untilIdle(hubChildren);
      const b = await measure(
        bolt.child,
        `http://127.0.0.1:${boltPort}/slack/events`,
        "bolt",
        slackBody,
        "slack",
      );
      const measured: Measured[] = [];
      for (const each of hubs) {
        await untilIdle(hubChildren);
        const m = await measure(
          each.child,
          `${each.url}/webhooks/slack/events`,
          `Ev${each.key}${i}`,
          slackBody,
          "slack",
        );
        each.acked.slack += m.ok;
        measured.push(m);
      }
      const [threaded, single] = measured as [Measured, Measured];
      console.log(`round ${i + 1}`);
      console.log(row("bolt", b));
      console.log(row(hub.name, threaded));
      console.log(row(hubOne.name, single));
      console.log(
        `  hub/bolt ${x(threaded.rps, b.rps)} (target >= 1.2x) ${check(threaded.rps >= 1.2 * b.rps)}   CPU per request hub/bolt ${x(threaded.cpuUs, b.cpuUs)}   one thread/three ${x(single.rps, threaded.rps)}`,
      );
    }

    const memory = {
      hub: peakRssMb(hub.child),
      hubOne: peakRssMb(hubOne.child),
      probot: peakRssMb(probot.child),
      bolt: peakRssMb(bolt.child),
      floor: peakRssMb(floor.child),
    };
    console.log(
      `\nmemory, peak RSS: hub ${memory.hub.toFixed(0)} MB (target < 150 MB) ${check(memory.hub < 150)}   hub on one thread ${memory.hubOne.toFixed(0)} MB ${check(memory.hubOne < 150)}   probot ${memory.probot.toFixed(0)} MB   bolt ${memory.bolt.toFixed(0)} MB   floor ${memory.floor.toFixed(0)} MB`,
    );
    for (const h of hubs) {
      await stop(h.child);
      const stored = storedByPlatform(h.dbPath);
      for (const platform of ["github", "slack"] as const) {
        const n = stored[platform] ?? 0;
        const acked = h.acked[platform];
        console.log(
          `durably stored (${h.name}, ${platform}): ${n} inbox rows for ${acked} acknowledged deliveries ${n >= acked ? "(every acknowledged one; requests in flight at the end are stored but not counted as acknowledged)" : "(MISSING ROWS)"}`,
        );
      }
    }
    const best = (k: "floor" | "probot" | "hub") => Math.max(...github.map((g) => g[k].rps));
    console.log(
      `summary (best round each): hub/probot ${x(best("hub"), best("probot"))}, hub/floor ${x(best("hub"), best("floor"))}`,
    );
  } finally {
    for (const child of children) await stop(child);
    rmSync(dir, { recursive: true, force: true });
  }
}
