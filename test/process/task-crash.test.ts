import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/lib/clock";
import { demoAgentCommand } from "../../src/runtime/executors/node-executors";
import { openNodeDatabase } from "../../src/runtime/node-db";
import { restartedMessage } from "../../src/tasks/executors/types";
import { createTask } from "../../src/tasks/service";
import { type HubProcess, startHubProcess } from "../helpers/hub-process";

const dir = mkdtempSync(join(tmpdir(), "hub-task-crash-"));
const dbPath = join(dir, "hub.sqlite");
const runLog = join(dir, "runs.log");
const env = {
  HUB_DB_PATH: dbPath,
  HUB_ADMIN_TOKEN: "task-crash-admin-token-0123456789",
  HUB_TASK_LEASE_MS: "1000",
  // The demo agent takes a while per task and writes one line per run: a task run twice would show twice.
  HUB_EXECUTOR_COMMAND: `DEMO_AGENT_RUN_LOG='${runLog}' DEMO_AGENT_DELAY_MS=1500 ${demoAgentCommand()}`,
};
let hub: HubProcess | undefined;
afterAll(async () => {
  await hub?.stop("SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

type Row = {
  id: string;
  status: string;
  answer: string | null;
  error: string | null;
  notified_at: number | null;
};

function readTasks(): Row[] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare("SELECT id, status, answer, error, notified_at FROM tasks").all() as Row[];
  } finally {
    db.close();
  }
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      const statuses = readTasks().map((r) => r.status);
      throw new Error(`timed out waiting; task statuses: ${statuses.join(", ")}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("task crash safety (real process, SIGKILL)", () => {
  it("loses no task and runs none twice when the hub is killed while tasks run", async () => {
    hub = await startHubProcess(env);
    // Tasks are queued straight into the database the hub uses, as any producer in another process would.
    const producer = openNodeDatabase(dbPath);
    const ids: string[] = [];
    for (let i = 0; i < 16; i++) {
      const { task } = await createTask(
        { database: producer, clock: systemClock },
        {
          workspaceId: `ws_${i % 4}`,
          requesterMemberId: "mem_crash",
          origin: { surface: "api" },
          environmentId: null,
          kind: "task",
          title: `crash task ${i}`,
          prompt: `Summarise incident number ${i}`,
          dedupeKey: `crash:${i}`,
        },
      );
      ids.push(task.id);
    }
    producer.close();

    // Kill it once some tasks have answered and others are still running.
    await until(() => {
      const rows = readTasks();
      return (
        rows.filter((r) => r.status === "completed").length >= 2 && rows.some((r) => r.status === "running")
      );
    }, 30_000);
    hub.child.kill("SIGKILL");
    await new Promise((r) => hub!.child.once("exit", r));
    const atKill = new Map(readTasks().map((r) => [r.id, r.status]));
    const runningAtKill = [...atKill].filter(([, s]) => s === "running").map(([id]) => id);
    const queuedAtKill = [...atKill].filter(([, s]) => s === "queued").map(([id]) => id);
    expect(runningAtKill.length).toBeGreaterThan(0);

    hub = await startHubProcess(env);
    await until(
      () => readTasks().every((r) => ["completed", "failed", "cancelled"].includes(r.status)),
      40_000,
    );
    // Let any agent started before the kill finish, so a second run could not hide.
    await new Promise((r) => setTimeout(r, 2_000));

    const rows = new Map(readTasks().map((r) => [r.id, r]));
    const runs = existsSync(runLog) ? readFileSync(runLog, "utf8").trim().split("\n").filter(Boolean) : [];
    const runsOf = (id: string) => runs.filter((r) => r === id).length;
    expect(rows.size).toBe(16);
    for (const id of ids) {
      const row = rows.get(id)!;
      expect(runsOf(id), `task ${id} ran more than once`).toBeLessThanOrEqual(1);
      if (row.status === "completed") {
        expect(runsOf(id)).toBe(1);
        expect(row.answer).toContain("Demo agent");
      }
    }
    for (const id of runningAtKill) {
      expect(rows.get(id)).toMatchObject({ status: "failed", error: restartedMessage });
    }
    for (const id of queuedAtKill) {
      expect(rows.get(id)).toMatchObject({ status: "completed" });
    }
    // Replies cut off by the kill are sent again by the runner's sweep (every 5 s, for tasks finished 5 s ago).
    await until(() => readTasks().every((r) => r.notified_at !== null), 20_000);
    console.info(
      `tasks: ${ids.length}; running at kill: ${runningAtKill.length}; queued at kill: ${queuedAtKill.length}; agent runs: ${runs.length}`,
    );
  }, 120_000);
});
