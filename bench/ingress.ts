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
 * acknowledged delivery was stored. Each receiver first takes
 * `BENCH_WARMUP_SECONDS` (default 2) of the same load unmeasured.
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

/** The highest resident set size the process has had (Linux), in MB. */
function peakRssMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

function stop(child: ChildProcess) {
  if (child.exitCode !== null) return Promise.resolve();
  child.kill("SIGTERM");
  return new Promise((r) => child.once("exit", r));
}

const row = (name: string, r: Measured) =>
  `  ${name.padEnd(8)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${String(r.p50).padStart(3)} ms   p99 ${String(r.p99).padStart(3)} ms   CPU ${r.cpuUs.toFixed(0).padStart(4)} µs/req   2xx ${r.ok}  non-2xx ${r.non2xx}  errors ${r.errors}`;
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
  const dbPath = join(dir, "hub.sqlite");

  const floor = start(["bench/floor-server.ts"], { BENCH_SECRET: secret }, portLine);
  const probot = start(["bench/probot-server.ts"], { BENCH_SECRET: secret }, portLine);
  const bolt = start(["bench/bolt-server.ts"], { BENCH_SECRET: secret }, portLine);
  // The hub runs as in production: its build (`npm run build`), logging at info (one line per delivery is
  // part of the measured cost).
  await run(process.execPath, ["scripts/build.mjs"], { cwd: root });
  const hub = start(
    ["dist/runtime/node.js"],
    {
      PORT: "0",
      HUB_DB_PATH: dbPath,
      GITHUB_WEBHOOK_SECRET: secret,
      SLACK_SIGNING_SECRET: secret,
      HUB_ADMIN_TOKEN: "bench-admin-token-0123456789",
      HUB_LOG_LEVEL: "info",
    },
    (l) => (l.includes('"hub listening') ? JSON.parse(l).port : null),
    [],
  );
  const [floorPort, probotPort, boltPort, hubPort] = await Promise.all([
    floor.port,
    probot.port,
    bolt.port,
    hub.port,
  ]);
  const children = [floor.child, probot.child, bolt.child, hub.child];

  try {
    console.log(
      `ingress: ${Buffer.byteLength(githubBody)} B signed pull_request.opened, ${connections} connections, ${duration} s each, ${rounds} rounds interleaved, after ${warmup} s of unmeasured load each`,
    );
    const hubAcked = { github: 0, slack: 0 };
    // The hub's warm-up deliveries are stored too; they are counted as acknowledged below.
    await load(`http://127.0.0.1:${floorPort}/`, "warm", githubBody, "github", warmup);
    await load(`http://127.0.0.1:${probotPort}/`, "warm", githubBody, "github", warmup);
    hubAcked.github += (
      await load(`http://127.0.0.1:${hubPort}/webhooks/github`, "warm", githubBody, "github", warmup)
    ).ok;
    const github: { floor: Measured; probot: Measured; hub: Measured }[] = [];
    for (let i = 0; i < rounds; i++) {
      const f = await measure(floor.child, `http://127.0.0.1:${floorPort}/`, "floor", githubBody, "github");
      const p = await measure(
        probot.child,
        `http://127.0.0.1:${probotPort}/`,
        "probot",
        githubBody,
        "github",
      );
      const h = await measure(
        hub.child,
        `http://127.0.0.1:${hubPort}/webhooks/github`,
        `hub${i}`,
        githubBody,
        "github",
      );
      hubAcked.github += h.ok;
      github.push({ floor: f, probot: p, hub: h });
      console.log(`round ${i + 1}`);
      console.log(row("floor", f));
      console.log(row("probot", p));
      console.log(row("hub", h));
      console.log(
        `  hub/probot ${x(h.rps, p.rps)} (target >= 1.0x, aim 1.2x)   hub/floor ${x(h.rps, f.rps)} (target >= 0.45x)   hub p99 ${h.p99} ms (target < 40 ms) ${check(h.p99 < 40)}   CPU per request hub/probot ${x(h.cpuUs, p.cpuUs)}`,
      );
    }

    console.log(`\nslack: ${Buffer.byteLength(slackBody)} B signed app_mention, same load`);
    await load(`http://127.0.0.1:${boltPort}/slack/events`, "warm", slackBody, "slack", warmup);
    hubAcked.slack += (
      await load(`http://127.0.0.1:${hubPort}/webhooks/slack/events`, "EvWarm", slackBody, "slack", warmup)
    ).ok;
    for (let i = 0; i < rounds; i++) {
      const b = await measure(
        bolt.child,
        `http://127.0.0.1:${boltPort}/slack/events`,
        "bolt",
        slackBody,
        "slack",
      );
      const h = await measure(
        hub.child,
        `http://127.0.0.1:${hubPort}/webhooks/slack/events`,
        `Ev${i}`,
        slackBody,
        "slack",
      );
      hubAcked.slack += h.ok;
      console.log(`round ${i + 1}`);
      console.log(row("bolt", b));
      console.log(row("hub", h));
      console.log(
        `  hub/bolt ${x(h.rps, b.rps)} (target >= 1.2x) ${check(h.rps >= 1.2 * b.rps)}   CPU per request hub/bolt ${x(h.cpuUs, b.cpuUs)}`,
      );
    }

    const memory = {
      hub: peakRssMb(hub.child),
      probot: peakRssMb(probot.child),
      bolt: peakRssMb(bolt.child),
      floor: peakRssMb(floor.child),
    };
    await stop(hub.child);
    const db = new Database(dbPath, { readonly: true });
    const stored = Object.fromEntries(
      (
        db.prepare("SELECT platform, count(*) AS n FROM inbox GROUP BY platform").all() as {
          platform: string;
          n: number;
        }[]
      ).map((r) => [r.platform, r.n]),
    );
    db.close();

    console.log(
      `\nmemory, peak RSS: hub ${memory.hub.toFixed(0)} MB (target < 150 MB) ${check(memory.hub < 150)}   probot ${memory.probot.toFixed(0)} MB   bolt ${memory.bolt.toFixed(0)} MB   floor ${memory.floor.toFixed(0)} MB`,
    );
    for (const platform of ["github", "slack"] as const) {
      const n = stored[platform] ?? 0;
      const acked = hubAcked[platform];
      console.log(
        `durably stored (${platform}): ${n} inbox rows for ${acked} acknowledged deliveries ${n >= acked ? "(every acknowledged one; requests in flight at the end are stored but not counted as acknowledged)" : "(MISSING ROWS)"}`,
      );
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
