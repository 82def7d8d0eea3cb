import { execFile } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { Agent, createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { signExecutorRequest } from "../src/tasks/executors/http-signing";
import { processCpuMs, start } from "./processes";

/**
 * End-to-end latency: signed Slack mentions sent at a steady rate to the built hub (sandbox workspace, durable
 * inbox, http executor), each asking for a task; a stand-in task runner records when each task reaches it.
 * Prints p50/p99 of "mention sent → task handed to the runner", beside the acknowledgement latency of the
 * same requests (the baseline: what the sender waits for anyway), and the CPU each mention cost the hub and the
 * load generator. `BENCH_RATE` (default 200 a second), `BENCH_LATENCY_SECONDS` (default 30) and
 * `BENCH_WARMUP_SECONDS` (default 3, sent first at the same rate and left out of the figures) change the load.
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const rate = Number(process.env.BENCH_RATE ?? "200");
const seconds = Number(process.env.BENCH_LATENCY_SECONDS ?? "30");
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? "3");
const secret = "bench-secret";
const runnerSecret = "bench-runner-secret-0123456789abcdef";
const adminToken = "bench-admin-token-0123456789";

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

function startHub(env: Record<string, string>) {
  return start(
    ["dist/runtime/node.js"],
    env,
    (line) => (line.includes('"hub listening') ? (JSON.parse(line) as { port: number }).port : null),
    [],
  );
}

/**
 * The stand-in runner: takes every task at once (202), notes when it arrived (by the mention's nonce), and
 * reports it done through the signed callback, as a runner does.
 */
async function startRunner(arrived: Map<string, number>) {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const at = performance.timeOrigin + performance.now();
      const text = Buffer.concat(chunks).toString("utf8");
      const nonce = /latency-(\d+)/.exec(text)?.[1];
      if (nonce && !arrived.has(nonce)) arrived.set(nonce, at);
      res.writeHead(202, { "content-type": "application/json" }).end("{}");
      const { task, callbackUrl } = JSON.parse(text) as { task: { id: string }; callbackUrl: string };
      void finish(task.id, callbackUrl);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, port: (server.address() as AddressInfo).port };
}

async function finish(taskId: string, callbackUrl: string) {
  const body = JSON.stringify({ type: "result", answer: "Done." });
  const headers = await signExecutorRequest(runnerSecret, body, {
    timestampSeconds: Date.now() / 1000,
    delivery: `done-${taskId}`,
    target: { method: "POST", path: new URL(callbackUrl).pathname },
  });
  await post(callbackUrl, { "content-type": "application/json", ...headers }, body).catch(() => {});
}

// The load generator shares the machine's two cores with the hub: it sends with node:http over kept-alive
// connections (fetch costs it several times the CPU per request, which the hub would then lack).
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** POSTs `body` and resolves with the status once the answer was read whole. */
function post(url: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "POST", agent, headers }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** A port free at this moment, so the hub's PUBLIC_URL (which callbacks go to) can name it. */
async function freePort(): Promise<number> {
  const probe: Server = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

function mention(n: number) {
  const payload = JSON.parse(readFileSync(join(root, "scripts/samples/slack-app-mention.json"), "utf8"));
  const ts = Math.floor(Date.now() / 1000);
  payload.event_id = `EvLAT${process.pid}x${n}`;
  payload.event.ts = payload.event.event_ts = `${ts}.${String(n).padStart(6, "0")}`;
  payload.event.client_msg_id = `lat-${n}`;
  payload.event.text = `<@U0CODEX> latency-${n} fix the flaky login test in Codertocat/Hello-World`;
  payload.event_time = ts;
  const body = JSON.stringify(payload);
  const signature = `v0=${createHmac("sha256", secret).update(`v0:${ts}:${body}`).digest("hex")}`;
  return {
    body,
    headers: {
      "content-type": "application/json",
      "x-slack-request-timestamp": String(ts),
      "x-slack-signature": signature,
    },
  };
}

export async function benchLatency() {
  await promisify(execFile)(process.execPath, ["scripts/build.mjs"], { cwd: root });
  const arrived = new Map<string, number>();
  const runner = await startRunner(arrived);
  const dir = mkdtempSync(join(tmpdir(), "hub-bench-latency-"));
  const port = await freePort();
  const hub = startHub({
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    HUB_DB_PATH: join(dir, "hub.sqlite"),
    SLACK_SIGNING_SECRET: secret,
    HUB_ADMIN_TOKEN: adminToken,
    HUB_LOG_LEVEL: "info",
    HUB_EXECUTOR: "http",
    HUB_EXECUTOR_URL: `http://127.0.0.1:${runner.port}/run`,
    HUB_EXECUTOR_SECRET: runnerSecret,
    // The hub as configured by default, or on one thread (README: HUB_THREADS).
    HUB_THREADS: process.env.BENCH_HUB_THREADS ?? "3",
  });
  try {
    const base = `http://127.0.0.1:${await hub.port}`;
    const url = `${base}/webhooks/slack/events`;
    // The workspace's running-task limit (4 by default) would measure the queue, not the hub: 100 here.
    const limits = await fetch(`${base}/api/v1/workspaces/ws_local/task-limits`, {
      method: "PUT",
      headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" },
      body: JSON.stringify({ maxRunning: 100, maxRunningPerEnvironment: 100 }),
    });
    if (!limits.ok) throw new Error(`setting the task limits failed: ${await limits.text()}`);
    console.log(
      `latency: ${rate} Slack mentions a second for ${seconds} s, each a task for the http executor`,
    );
    const sent = new Map<string, number>();
    const acks: number[] = [];
    let failed = 0;
    /** Sends `count` mentions numbered from `first` at the steady rate; `measured` ones are timed. */
    const send = async (first: number, count: number, measured: boolean) => {
      const start = performance.now();
      const requests: Promise<void>[] = [];
      for (let i = 0; i < count; i++) {
        // A steady rate: each mention leaves at its own time, whatever the answers to earlier ones.
        const wait = start + (i * 1000) / rate - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        const n = first + i;
        const { body, headers } = mention(n);
        const at = performance.now();
        if (measured) sent.set(String(n), performance.timeOrigin + at);
        requests.push(
          post(url, headers, body).then(
            (status) => {
              if (!measured) return;
              if (status >= 200 && status < 300) acks.push(performance.now() - at);
              else failed++;
            },
            () => void (measured && failed++),
          ),
        );
      }
      await Promise.all(requests);
    };
    // The first second of a fresh process is its compiler's (p50 ten times the steady one here): a warm-up at
    // the same rate comes first, and is left out of every figure.
    const warmup = rate * warmupSeconds;
    await send(0, warmup, false);
    const measuredFrom = Date.now();
    const cpuBefore = { hub: processCpuMs(hub.child.pid!), load: process.cpuUsage() };
    const total = rate * seconds;
    await send(warmup, total, true);
    // Tasks still on their way to the runner get a few seconds more.
    const reached = () => [...sent.keys()].filter((nonce) => arrived.has(nonce)).length;
    for (let i = 0; i < 100 && reached() < sent.size - failed; i++)
      await new Promise((r) => setTimeout(r, 100));
    const load = process.cpuUsage(cpuBefore.load);
    const cpu = {
      hub: (processCpuMs(hub.child.pid!) - cpuBefore.hub) / total,
      load: (load.user + load.system) / 1000 / total,
    };

    // Where the time went, from the rows: received → processed (inbox), → task created, → task started.
    const stages = await stageLatencies(join(dir, "hub.sqlite"), measuredFrom);
    const latencies = [...sent]
      .filter(([nonce]) => arrived.has(nonce))
      .map(([nonce, at]) => arrived.get(nonce)! - at)
      .sort((a, b) => a - b);
    acks.sort((a, b) => a - b);
    const ms = (v: number) => `${v.toFixed(1).padStart(7)} ms`;
    console.log(
      `  acknowledged   p50 ${ms(percentile(acks, 0.5))}   p99 ${ms(percentile(acks, 0.99))}   (${acks.length} of ${total}; ${failed} failed)`,
    );
    console.log(
      `  task started   p50 ${ms(percentile(latencies, 0.5))}   p99 ${ms(percentile(latencies, 0.99))}   (${latencies.length} tasks reached the runner; target p50 < 20 ms, p99 < 100 ms) ${percentile(latencies, 0.5) < 20 && percentile(latencies, 0.99) < 100 ? "ok" : "MISSED"}`,
    );
    console.log(
      `  stages (p50/p99, from the rows): inbox processed ${stages.processed}   task created ${stages.created}   task started ${stages.started}   started → finished by the callback ${stages.held}`,
    );
    console.log(
      `  CPU per mention: hub ${cpu.hub.toFixed(2)} ms (all its threads, mention to finished task), load generator and runner ${cpu.load.toFixed(2)} ms; ${rate} a second needs ${((rate * (cpu.hub + cpu.load)) / 1000).toFixed(2)} of the machine's ${availableParallelism()} cores`,
    );
  } finally {
    hub.child.kill("SIGTERM");
    await new Promise((r) => hub.child.once("exit", r));
    runner.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function stageLatencies(dbPath: string, since: number) {
  const { default: Database } = await import("better-sqlite3");
  const db = new Database(dbPath, { readonly: true });
  const rows = db
    .prepare(
      `SELECT i.received_at AS received, i.processed_at AS processed, t.created_at AS created, t.started_at AS started, t.finished_at AS finished
       FROM inbox i JOIN tasks t ON t.inbox_id = i.id WHERE i.platform = 'slack' AND i.received_at >= ?`,
    )
    .all(since) as {
    received: number;
    processed: number;
    created: number;
    started: number | null;
    finished: number | null;
  }[];
  db.close();
  const spread = (values: number[]) => {
    const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
    return `${percentile(sorted, 0.5)}/${percentile(sorted, 0.99)} ms`;
  };
  return {
    processed: spread(rows.map((r) => r.processed - r.received)),
    created: spread(rows.map((r) => r.created - r.received)),
    started: spread(rows.map((r) => (r.started ?? Number.NaN) - r.received)),
    // From the claim to the runner's callback settling it: how long each of the running slots is held.
    held: spread(rows.map((r) => (r.finished ?? Number.NaN) - (r.started ?? Number.NaN))),
  };
}
