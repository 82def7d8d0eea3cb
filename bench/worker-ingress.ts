import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import examples from "@octokit/webhooks-examples/api.github.com/index.json" with { type: "json" };

/**
 * The Worker's ingress on this machine: `wrangler dev` (workerd, local D1 and Queues from Miniflare, the
 * queue consumer processing as it would on Cloudflare) loaded by bench/load.ts with the same signed
 * ~23 KB `pull_request.opened` deliveries as bench/ingress.ts loads the Node hub with. Prints req/s,
 * p50/p99 and how many inbox rows D1 holds afterwards. `npx tsx bench/worker-ingress.ts`.
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);
const secret = "bench-secret";
const duration = process.env.BENCH_SECONDS ?? "10";
const connections = process.env.BENCH_CONNECTIONS ?? "50";
const wrangler = join(root, "node_modules/.bin/wrangler");

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

async function waitUntilUp(url: string, child: ChildProcess) {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error("wrangler dev exited");
    const ok = await fetch(url).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error("wrangler dev did not start");
}

const definitions = examples as unknown as { name: string; examples: { action?: string }[] }[];
const payload = definitions
  .find((d) => d.name === "pull_request")!
  .examples.filter((e) => e.action === "opened")[1];
const body = JSON.stringify({ ...payload, bench_nonce: "__NONCE__" });
const persist = mkdtempSync(join(tmpdir(), "hub-worker-bench-"));
// BENCH_INGRESS_ONLY=1: the same Worker without its queue consumers, so the messages wait in the queue and
// the isolate does nothing but acknowledge (what ingress alone costs, apart from processing).
const ingressOnly = process.env.BENCH_INGRESS_ONLY === "1";
const config = join(root, ".wrangler", "bench-wrangler.toml");
if (ingressOnly) {
  mkdirSync(join(root, ".wrangler"), { recursive: true });
  const toml = readFileSync(join(root, "wrangler.toml"), "utf8")
    .replace(/\[\[queues\.consumers\]\][^[]*/g, "")
    .replace('main = "src/', 'main = "../src/')
    .replace('migrations_dir = "migrations"', 'migrations_dir = "../migrations"')
    .replace('directory = "node_modules/', 'directory = "../node_modules/');
  writeFileSync(config, toml);
}
const configArgs = ingressOnly ? ["--config", config] : [];
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" };
await run(
  wrangler,
  ["d1", "migrations", "apply", "codex-hub", "--local", "--persist-to", persist, ...configArgs],
  {
    cwd: root,
    env,
  },
);
const port = await freePort();
const vars = {
  GITHUB_WEBHOOK_SECRET: secret,
  HUB_ADMIN_TOKEN: "bench-admin-token-0123456789",
  HUB_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
  HUB_EXECUTOR_SECRET: "bench-executor-secret",
  SLACK_SIGNING_SECRET: "bench-slack",
  LINEAR_WEBHOOK_SECRET: "bench-linear",
  HUB_LOG_LEVEL: "warn",
};
const child = spawn(
  wrangler,
  [
    "dev",
    ...configArgs,
    "--local",
    "--port",
    String(port),
    "--ip",
    "127.0.0.1",
    "--persist-to",
    persist,
    ...Object.entries(vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
  ],
  { cwd: root, env, stdio: ["ignore", "ignore", "inherit"] },
);
try {
  await waitUntilUp(`http://127.0.0.1:${port}/healthz`, child);
  const { stdout } = await run(
    process.execPath,
    [
      "--import",
      "tsx",
      "bench/load.ts",
      `http://127.0.0.1:${port}/webhooks/github`,
      duration,
      connections,
      "worker",
    ],
    {
      cwd: root,
      env: { PATH: process.env.PATH ?? "", BENCH_BODY: body, BENCH_SECRET: secret },
      maxBuffer: 1 << 20,
    },
  );
  const r = JSON.parse(stdout.trim().split("\n").at(-1)!) as Record<string, number>;
  // Let the queue consumer catch up before counting what it processed.
  await new Promise((res) => setTimeout(res, 5000));
  const counted = await run(
    wrangler,
    [
      "d1",
      "execute",
      "codex-hub",
      "--local",
      "--persist-to",
      persist,
      ...configArgs,
      "--json",
      "--command",
      "SELECT status, count(*) AS n FROM inbox GROUP BY status",
    ],
    { cwd: root, env },
  );
  const rows = JSON.parse(counted.stdout)[0].results as { status: string; n: number }[];
  console.log(
    `worker ingress${ingressOnly ? " (no queue consumer)" : ""}: ${Buffer.byteLength(body)} B signed pull_request.opened, ${connections} connections, ${duration} s`,
  );
  console.log(
    `worker ${r.rps!.toFixed(0).padStart(7)} req/s   p50 ${r.p50} ms   p99 ${r.p99} ms   2xx ${r.ok}  non-2xx ${r.non2xx}  errors ${r.errors}`,
  );
  console.log(`inbox rows in D1 by status: ${rows.map((x) => `${x.status} ${x.n}`).join(", ")}`);
} finally {
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  rmSync(persist, { recursive: true, force: true });
}
