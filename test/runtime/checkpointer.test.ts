import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, expect, it, vi } from "vitest";
import { workspaces } from "../../src/db/schema/workspaces";
import { startCheckpointer } from "../../src/runtime/checkpointer";
import { openNodeDatabase } from "../../src/runtime/node-db";
import { removeTempDir } from "../helpers/temp-dir";

// Commits only append to the WAL; a thread of the database's own copies the WAL back into the file, so no
// commit of the hub's threads waits on that copy and its fsync.
// (It copies once a second, so the test that expects no copy waits longer than that.)

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeTempDir(dir);
});

function tempPath() {
  const dir = mkdtempSync(join(tmpdir(), "hub-checkpoints-"));
  dirs.push(dir);
  return join(dir, "hub.sqlite");
}

/** About 2 MB of rows, committed one by one, as the hub's threads commit. */
async function writeRows(database: ReturnType<typeof openNodeDatabase>) {
  for (let i = 0; i < 400; i++) {
    await database.db
      .insert(workspaces)
      .values({ id: `ws_${i}`, name: "x".repeat(5000), createdAt: i, updatedAt: i });
  }
}

it("copies the WAL back into the database file from a thread of its own, not from a commit", async () => {
  const path = tempPath();
  const database = openNodeDatabase(path);
  try {
    expect(database.sqlite.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
    const before = statSync(path).size;
    await writeRows(database);
    await vi.waitFor(() => expect(statSync(path).size).toBeGreaterThan(before + 1_500_000), {
      timeout: 5_000,
      interval: 50,
    });
  } finally {
    database.close();
  }
});

it("leaves the WAL alone when another connection checkpoints", async () => {
  const path = tempPath();
  const database = openNodeDatabase(path, { checkpoints: "off" });
  try {
    const before = statSync(path).size;
    await writeRows(database);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(statSync(path).size).toBe(before);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(1_500_000);
  } finally {
    database.close();
  }
});

it("tells its connection when the checkpoint thread fails, so the connection checkpoints again itself", async () => {
  const failures: Error[] = [];
  startCheckpointer(join(tmpdir(), "no-such-directory-for-hub", "hub.sqlite"), (error) =>
    failures.push(error),
  );
  await vi.waitFor(() => expect(failures).toHaveLength(1), { timeout: 5_000, interval: 20 });
  expect(failures[0]!.message).toMatch(/unable to open|directory does not exist|exited/i);
});

it("starts the WAL over from its top, once it holds more than its limit, while the writes never pause", async () => {
  const path = tempPath();
  const database = openNodeDatabase(path, { checkpoints: "off" });
  const limit = 256;
  const checkpoints = startCheckpointer(path, () => {}, { everyMs: 50, restartFrames: limit });
  try {
    // A commit after another for a second, each read back, as the hub's threads write and read.
    const until = performance.now() + 1_000;
    for (let i = 0; performance.now() < until; i++) {
      await database.db
        .insert(workspaces)
        .values({ id: `ws_${i}`, name: "x".repeat(3000), createdAt: i, updatedAt: i });
      await database.db
        .select()
        .from(workspaces)
        .where(eq(workspaces.id, `ws_${i}`));
    }
    const file = statSync(path).size;
    expect(file).toBeGreaterThan(4 * 1024 * 1024);
    // Without a restart the WAL holds every page of every commit of the second: four times the database file
    // here. Started over whenever it passed its limit, it stays below the file, or near it when the whole suite
    // keeps the checkpoint thread from its turns (its size is the most it ever held): 1.2 times, once.
    expect(statSync(`${path}-wal`).size).toBeLessThan(2 * file);
  } finally {
    checkpoints.stop();
    database.close();
  }
});
