import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { loadConfig } from "../src/config";
import { createHub } from "../src/hub";
import { manualClock } from "../src/lib/clock";
import { sha256Hex } from "../src/lib/crypto";
import { silentLogger } from "../src/lib/logger";
import { openNodeDatabase } from "../src/runtime/node-db";
import { createNodeMetrics } from "../src/runtime/node-metrics";
import { createTask } from "../src/tasks/service";

// Analytics benchmark: a workspace with 1,000,000 tasks and 200,000 code reviews over 180 days (plus 100,000
// reactions and replies), and each analytics endpoint asked for a 90-day range through the whole app (auth,
// rollup reads, JSON). Prints ms per request and its ratio to a plain `SELECT count(*)` over the same rows,
// measured in the same run, so machines can be compared. Target: < 50 ms per request. Then what the rollups
// cost a write: creating a task with its rollups against the bare INSERT. No assertion on time.
// Run alone: npm run bench -- analytics (or npx tsx bench/analytics.ts)

const TASKS = Number(process.env.BENCH_TASKS ?? 1_000_000);
const REVIEWS = Number(process.env.BENCH_REVIEWS ?? 200_000);
const FEEDBACK = 100_000;
const MEMBERS = 2_000;
const SPAN_DAYS = 180;
const DAY = 86_400_000;
const NOW = Date.UTC(2025, 5, 1, 12);
const WS = "ws_bench";
const KEY = "chub_bench_analytics_key";
const SURFACES = ["slack", "github", "linear", "api"] as const;
const TARGET_MS = 50;

// Deterministic pseudo-random numbers (mulberry32): every run seeds the same workspace.
let state = 0xa11ce;
const rand = (): number => {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const int = (n: number) => Math.floor(rand() * n);

type Sqlite = ReturnType<typeof openNodeDatabase>["sqlite"];

/** Adds `n` to the counter `column` of the rollup row `key` (kept in memory while seeding). */
class Rollup {
  rows = new Map<string, Record<string, number | string>>();
  constructor(private readonly keys: string[]) {}
  add(key: (number | string)[], column: string, n = 1) {
    const id = key.join("|");
    let row = this.rows.get(id);
    if (!row) {
      row = Object.fromEntries(this.keys.map((k, i) => [k, key[i]!]));
      this.rows.set(id, row);
    }
    row[column] = ((row[column] as number | undefined) ?? 0) + n;
  }
}

/** Raw rows with bulk INSERTs in one transaction, and the daily rollups they add up to. */
function seedWorkspace(sqlite: Sqlite) {
  const usage = new Rollup(["workspace_id", "day", "surface"]);
  const daily = new Rollup(["workspace_id", "day"]);
  const findings = new Rollup(["workspace_id", "day", "priority"]);
  const seen = new Set<string>();
  const distinct = (key: string) => !seen.has(key) && Boolean(seen.add(key));
  const firstDay = Math.floor(NOW / DAY) - SPAN_DAYS;
  const insertTask = sqlite.prepare(
    `INSERT INTO tasks (id, dedupe_key, workspace_id, requester_member_id, origin, kind, title, prompt, status,
      created_at, available_at, started_at, finished_at, usage) VALUES (?, ?, ?, ?, ?, ?, 'Bench task', 'Do it', ?, ?, ?, ?, ?, ?)`,
  );
  const insertReview = sqlite.prepare(
    `INSERT INTO github_reviews (id, dedupe_key, pull_key, workspace_id, installation_id, repository, pr_number,
      head_sha, base_sha, trigger, task_id, requester_member_id, min_priority, status, created_at, finished_at)
      VALUES (?, ?, ?, ?, 1, 'acme/web', ?, 'h', 'b', ?, ?, ?, 1, ?, ?, ?)`,
  );
  const insertFeedback = sqlite.prepare(
    `INSERT INTO github_review_feedback (id, finding_id, review_id, workspace_id, kind, content, actor_login,
      priority, external_id, created_at, sentiment, counted) VALUES (?, ?, ?, ?, ?, '+1', 'someone', ?, ?, ?, ?, 1)`,
  );
  sqlite.transaction(() => {
    for (let i = 0; i < TASKS; i++) {
      const day = firstDay + int(SPAN_DAYS + 1);
      const created = day * DAY + int(DAY - 120_000);
      const surface = SURFACES[int(10) < 5 ? 0 : int(4)]!;
      const member = `mem_${int(MEMBERS)}`;
      const kind = rand() < 0.1 ? "review" : "task";
      const roll = rand();
      const status = roll < 0.85 ? "completed" : roll < 0.95 ? "failed" : "cancelled";
      const started = status === "cancelled" ? null : created + 1_000;
      const finished = created + 60_000;
      const tokens = started !== null && rand() < 0.6 ? 1_000 + int(50_000) : null;
      insertTask.run(
        `tsk_${i}`,
        `bench:${i}`,
        WS,
        member,
        JSON.stringify({ surface }),
        kind,
        status,
        created,
        created,
        started,
        finished,
        tokens === null ? null : JSON.stringify({ inputTokens: tokens, outputTokens: 500 }),
      );
      usage.add([WS, day, surface], kind === "task" ? "tasks_started" : "reviews_started");
      if (distinct(`${day}|${surface}|${member}`)) usage.add([WS, day, surface], "active_users");
      if (distinct(`${day}|cloud|${member}`)) daily.add([WS, day], "cloud_users");
      const end = Math.floor(finished / DAY);
      if (kind === "task") usage.add([WS, end, surface], `tasks_${status}`);
      if (started !== null) {
        usage.add([WS, end, surface], "runs_finished");
        usage.add([WS, end, surface], "run_duration_ms", finished - started);
      }
      if (tokens !== null) {
        usage.add([WS, end, surface], "runs_with_usage");
        usage.add([WS, end, surface], "input_tokens", tokens);
        usage.add([WS, end, surface], "output_tokens", 500);
      }
    }
    for (let i = 0; i < REVIEWS; i++) {
      const day = firstDay + int(SPAN_DAYS + 1);
      const created = day * DAY + int(DAY - 120_000);
      const member = `mem_${int(MEMBERS)}`;
      const trigger = rand() < 0.2 ? `mention:${i}` : "opened";
      const roll = rand();
      const status = roll < 0.6 ? "published" : roll < 0.85 ? "clean" : roll < 0.95 ? "failed" : "superseded";
      insertReview.run(
        `rev_${i}`,
        `bench-review:${i}`,
        `acme/web#${i}`,
        WS,
        i,
        trigger,
        `tsk_review_${i}`,
        member,
        status,
        created,
        created + 60_000,
      );
      daily.add([WS, day], "reviews");
      daily.add([WS, day], trigger.startsWith("mention:") ? "requested_reviews" : "automatic_reviews");
      if (distinct(`${day}|code_review|${member}`)) daily.add([WS, day], "review_users");
      const end = Math.floor((created + 60_000) / DAY);
      const column = { published: "reviews_published", clean: "reviews_clean", failed: "reviews_failed" }[
        status as string
      ];
      daily.add([WS, end], column ?? "reviews_cancelled");
      if (status === "published") {
        for (let f = 1 + int(3); f > 0; f--) {
          const priority = int(4);
          findings.add([WS, end, priority], "findings");
          findings.add([WS, end, priority], "comments");
        }
      }
    }
    for (let i = 0; i < FEEDBACK; i++) {
      const day = firstDay + int(SPAN_DAYS + 1);
      const priority = int(4);
      const kind = rand() < 0.7 ? "reaction" : "reply";
      const sentiment = (["positive", "positive", "negative", "neutral"] as const)[int(4)]!;
      insertFeedback.run(
        `fbk_${i}`,
        `fnd_${i}`,
        `rev_${i}`,
        WS,
        kind,
        priority,
        i,
        day * DAY + int(DAY),
        sentiment,
      );
      findings.add([WS, day, priority], `${kind === "reaction" ? "reactions" : "replies"}_${sentiment}`);
    }
    for (const [table, rollup] of [
      ["analytics_usage_daily", usage],
      ["analytics_workspace_daily", daily],
      ["analytics_findings_daily", findings],
    ] as const) {
      for (const row of rollup.rows.values()) {
        const columns = Object.keys(row);
        sqlite
          .prepare(
            `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
          )
          .run(...Object.values(row));
      }
    }
  })();
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

function timeSync(runs: number, fn: () => void): number {
  for (let i = 0; i < 3; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

async function timeAsync(runs: number, fn: () => Promise<void>): Promise<number> {
  for (let i = 0; i < 5; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

export async function benchAnalytics() {
  const dir = mkdtempSync(join(tmpdir(), "hub-bench-analytics-"));
  const database = openNodeDatabase(join(dir, "hub.sqlite"));
  const clock = manualClock(NOW);
  const hub = createHub({
    config: loadConfig({ HUB_DB_PATH: ":memory:", HUB_ADMIN_TOKEN: "bench-admin-token-0123456789abcdef" }),
    database,
    clock,
    logger: silentLogger,
    metrics: createNodeMetrics({ thread: "http" }).metrics,
  });
  const { sqlite } = database;
  try {
    sqlite
      .prepare("INSERT INTO workspaces (id, name, created_at, updated_at) VALUES (?, 'Bench', ?, ?)")
      .run(WS, NOW, NOW);
    sqlite
      .prepare(
        "INSERT INTO api_keys (id, name, hash, prefix, scopes, created_by, created_at) VALUES ('key_bench', 'bench', ?, 'chub_bench', ?, 'bench', ?)",
      )
      .run(await sha256Hex(KEY), JSON.stringify(["analytics.read"]), NOW);
    const seeding = performance.now();
    // Seeding is one big transaction: a large page cache keeps the task indexes in memory while it grows, and
    // it need not reach the disk before the reads start (they read the same connection's pages).
    // The raw tables' indexes are built once at the end, which is faster than keeping them sorted row by row.
    sqlite.pragma("cache_size = -524288");
    sqlite.pragma("synchronous = OFF");
    const indexes = sqlite
      .prepare(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ('tasks', 'github_reviews', 'github_review_feedback')",
      )
      .all() as { name: string; sql: string }[];
    for (const index of indexes) sqlite.exec(`DROP INDEX "${index.name}"`);
    seedWorkspace(sqlite);
    for (const index of indexes) sqlite.exec(index.sql);
    sqlite.exec("ANALYZE");
    sqlite.pragma("synchronous = NORMAL");
    console.log(
      `analytics: seeded ${TASKS.toLocaleString("en")} tasks, ${REVIEWS.toLocaleString("en")} reviews and ${FEEDBACK.toLocaleString("en")} reactions/replies over ${SPAN_DAYS} days in ${((performance.now() - seeding) / 1000).toFixed(1)} s`,
    );

    const end = Math.floor(NOW / DAY) * DAY;
    const start = end - 90 * DAY;
    const range = `start_time=${start / 1000}&end_time=${end / 1000}&limit=1000`;
    const count = (table: string) => {
      const statement = sqlite.prepare(
        `SELECT count(*) AS n FROM ${table} WHERE workspace_id = ? AND created_at >= ? AND created_at < ?`,
      );
      const n = (statement.get(WS, start, end) as { n: number }).n;
      return { n, ms: timeSync(20, () => statement.get(WS, start, end)) };
    };
    const endpoints = [
      { name: "usage", table: "tasks" },
      { name: "code_reviews", table: "github_reviews" },
      { name: "code_review_responses", table: "github_review_feedback" },
    ];
    console.log(
      "analytics: 90-day range, ms per request (median), vs SELECT count(*) over the same raw rows",
    );
    for (const { name, table } of endpoints) {
      const url = `/api/v1/analytics/codex/workspaces/${WS}/${name}?${range}`;
      let rows = 0;
      const ms = await timeAsync(100, async () => {
        const res = await hub.app.request(url, { headers: { authorization: `Bearer ${KEY}` } });
        if (res.status !== 200) throw new Error(`${name}: ${res.status} ${await res.text()}`);
        rows = ((await res.json()) as { data: unknown[] }).data.length;
      });
      const baseline = count(table);
      const verdict = ms < TARGET_MS ? "ok" : "OVER TARGET";
      console.log(
        `  ${name.padEnd(22)} ${ms.toFixed(2).padStart(7)} ms  ${String(rows).padStart(4)} rows  | count(*) of ${baseline.n.toLocaleString("en").padStart(9)} ${table} rows ${baseline.ms.toFixed(2).padStart(7)} ms  | ratio ${(ms / baseline.ms).toFixed(3)}  [target < ${TARGET_MS} ms: ${verdict}]`,
      );
    }

    // What the rollups add to a write: creating a task (rollups + INSERT in one batch) vs the bare INSERT.
    const writes = 2_000;
    let n = 0;
    const withRollups = await timeAsync(writes, async () => {
      n++;
      await createTask(hub.deps, {
        workspaceId: WS,
        requesterMemberId: `mem_${n % MEMBERS}`,
        origin: { surface: "api" },
        environmentId: null,
        kind: "task",
        title: "Bench",
        prompt: "Do it",
        dedupeKey: `bench-write:${n}`,
      });
    });
    const bare = sqlite.prepare(
      "INSERT INTO tasks (id, dedupe_key, workspace_id, requester_member_id, origin, kind, title, prompt, status, created_at, available_at) VALUES (?, ?, ?, 'mem_0', '{}', 'task', 'Bench', 'Do it', 'queued', ?, ?)",
    );
    const plain = timeSync(writes, () => {
      n++;
      bare.run(`tsk_bare_${n}`, `bench-bare:${n}`, WS, NOW, NOW);
    });
    console.log(
      `analytics: creating a task with its rollups ${withRollups.toFixed(3)} ms vs the bare INSERT ${plain.toFixed(3)} ms (ratio ${(withRollups / plain).toFixed(1)})`,
    );
  } finally {
    database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await benchAnalytics();
