import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import examples from "@octokit/webhooks-examples/api.github.com/index.json" with { type: "json" };
import Database from "better-sqlite3";

/**
 * Ingress benchmark: the hub (real Node entry, durable SQLite inbox) against a bare node:http server that
 * only verifies the HMAC, both loaded in the same run by a separate load-generator process with signed
 * ~23 KB `pull_request.opened` deliveries. Prints req/s, p50/p99 and the ratio hub/floor. A reference row,
 * the floor that also parses the JSON body, shows how much of the gap is the parse that validating a body
 * needs, before anything is stored.
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);
const secret = "bench-secret";
const duration = process.env.BENCH_SECONDS ?? "10";
const connections = process.env.BENCH_CONNECTIONS ?? "50";

type Result = {
  rps: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
};

function start(args: string[], env: Record<string, string>, isReady: (line: string) => number | null) {
  const child = spawn(process.execPath, ["--import", "tsx", ...args], {
    cwd: root,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const port = new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      const p = isReady(line);
      if (p !== null) resolve(p);
    });
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited with ${code}`)));
  });
  return { child, port };
}

async function load(url: string, label: string, body: string): Promise<Result> {
  const { stdout } = await run(
    process.execPath,
    ["--import", "tsx", "bench/load.ts", url, duration, connections, label],
    {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", BENCH_BODY: body, BENCH_SECRET: secret },
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as Result;
}

function stop(child: ChildProcess) {
  child.kill("SIGTERM");
  return new Promise((r) => child.once("exit", r));
}

export async function benchIngress() {
  const definitions = examples as unknown as { name: string; examples: { action?: string }[] }[];
  const payload = definitions
    .find((d) => d.name === "pull_request")!
    .examples.filter((e) => e.action === "opened")[1];
  // One extra top-level field makes every request's body (and its signature) unique; see bench/load.ts.
  const body = JSON.stringify({ ...payload, bench_nonce: "__NONCE__" });
  const dir = mkdtempSync(join(tmpdir(), "hub-bench-"));
  const dbPath = join(dir, "hub.sqlite");

  const floor = start(["bench/floor-server.ts"], { BENCH_SECRET: secret }, (l) => JSON.parse(l).port ?? null);
  const floorParse = start(
    ["bench/floor-server.ts"],
    { BENCH_SECRET: secret, BENCH_PARSE: "1" },
    (l) => JSON.parse(l).port ?? null,
  );
  const hub = start(
    ["src/runtime/node.ts"],
    {
      PORT: "0",
      HUB_DB_PATH: dbPath,
      GITHUB_WEBHOOK_SECRET: secret,
      HUB_ADMIN_TOKEN: "bench-admin-token-0123456789",
      HUB_LOG_LEVEL: "info",
    },
    (l) => (l.includes('"hub listening') ? JSON.parse(l).port : null),
  );
  // The hub logs at info, as it would in production: one line per delivery is part of the measured cost.
  const floorPort = await floor.port;
  const floorParsePort = await floorParse.port;
  const hubPort = await hub.port;

  try {
    console.log(
      `ingress: ${Buffer.byteLength(body)} B signed pull_request.opened, ${connections} connections, ${duration} s each`,
    );
    const floorResult = await load(`http://127.0.0.1:${floorPort}/`, "floor", body);
    const floorParseResult = await load(`http://127.0.0.1:${floorParsePort}/`, "parse", body);
    const hubResult = await load(`http://127.0.0.1:${hubPort}/webhooks/github`, "hub", body);
    await stop(hub.child);
    const db = new Database(dbPath, { readonly: true });
    const stored = (db.prepare("SELECT count(*) AS n FROM inbox").get() as { n: number }).n;
    db.close();

    const row = (name: string, r: Result) =>
      `${name.padEnd(6)} ${r.rps.toFixed(0).padStart(7)} req/s   p50 ${String(r.p50).padStart(3)} ms   p99 ${String(r.p99).padStart(3)} ms   2xx ${r.ok}  non-2xx ${r.non2xx}  errors ${r.errors}`;
    console.log(row("floor", floorResult));
    console.log(`${row("+parse", floorParseResult)}   (reference: the floor that also runs JSON.parse)`);
    console.log(row("hub", hubResult));
    console.log(
      `ratio hub/floor: ${(hubResult.rps / floorResult.rps).toFixed(2)}x (target >= 0.50x), hub p99 ${hubResult.p99} ms (target < 25 ms)`,
    );
    console.log(
      `reference: (floor+parse)/floor ${(floorParseResult.rps / floorResult.rps).toFixed(2)}x, hub/(floor+parse) ${(hubResult.rps / floorParseResult.rps).toFixed(2)}x`,
    );
    console.log(
      `durably stored: ${stored} inbox rows for ${hubResult.ok} acknowledged deliveries${stored >= hubResult.ok ? " (every acknowledged one; requests still in flight at the end are stored but not counted as acknowledged)" : " (MISSING ROWS)"}`,
    );
  } finally {
    await stop(floor.child);
    await stop(floorParse.child);
    if (hub.child.exitCode === null) await stop(hub.child);
    rmSync(dir, { recursive: true, force: true });
  }
}
