import { once } from "node:events";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import BetterSqlite3 from "better-sqlite3";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { preparedWrite } from "../../src/db/prepared";
import { inbox } from "../../src/db/schema/inbox";
import { workspaces } from "../../src/db/schema/workspaces";
import { createInboxStore } from "../../src/inbox/store";
import { silentLogger } from "../../src/lib/logger";
import { openNodeDatabase } from "../../src/runtime/node-db";
import { startThread } from "../../src/runtime/threads";
import { threadWriteLock, writeLockBuffer } from "../../src/runtime/write-lock";
import { removeTempDir } from "../helpers/temp-dir";

// The hub's threads each write through their own connection. They take turns through a lock in shared memory
// (write-lock.ts); a write that meets another process's commit waits for it too (the connections answer
// SQLITE_BUSY at once and the write is tried again): nothing fails as busy, on either side, and every write
// lands once.

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeTempDir(dir);
});

/** A database file in a directory of its own, with one workspace. */
async function databaseWithWorkspace(writeLock?: SharedArrayBuffer) {
  const dir = mkdtempSync(join(tmpdir(), "hub-write-lock-"));
  dirs.push(dir);
  const dbPath = join(dir, "hub.sqlite");
  // No checkpoint thread: these tests are about the write lock, and a thread that boots late would still be
  // opening the file while the test removes its directory.
  const database = openNodeDatabase(dbPath, { checkpoints: "inline", writeLock });
  await database.db.insert(workspaces).values({ id: "ws_1", name: "One", createdAt: 1, updatedAt: 1 });
  return { dbPath, database };
}

it.each([
  ["sharing the hub's write lock, as its threads do", true],
  ["without it, as another process would", false],
])(
  "lets two connections write at once, %s: each write waits its turn, none fails as busy",
  async (_, shared) => {
    const writeLock = shared ? writeLockBuffer() : undefined;
    const { dbPath, database } = await databaseWithWorkspace(writeLock);

    // Another thread commits deliveries one after another, with the acknowledged (WAL-synced) commit.
    const entry = pathToFileURL(join(import.meta.dirname, "fixtures", "writer-thread.ts")).href;
    const writer = await startThread("writer", entry, { dbPath, writeLock }, silentLogger);
    // Its first report: it has committed ten deliveries and goes on.
    await once(writer.worker, "message");

    // Meanwhile this connection writes: single statements, batches and acknowledged commits.
    const store = createInboxStore(database);
    const failures: string[] = [];
    for (let i = 0; i < 200; i++) {
      await Promise.all([
        database.db
          .update(workspaces)
          .set({ updatedAt: i + 2 })
          .where(eq(workspaces.id, "ws_1"))
          .catch((e: Error) => failures.push(e.message)),
        database
          .batch([
            database.db
              .update(workspaces)
              .set({ name: `One ${i}` })
              .where(eq(workspaces.id, "ws_1")),
          ])
          .catch((e: Error) => failures.push(e.message)),
        store
          .add({
            platform: "slack",
            deliveryKey: `mine-${i}`,
            eventType: "event_callback.app_mention",
            payload: `{"i":${i}}`,
            replayDigest: false,
            known: true,
            receivedAt: i,
          })
          .catch((e: Error) => failures.push(e.message)),
      ]);
    }

    const stopped = new Promise<{ written: number }>((resolve) =>
      writer.worker.on("message", (m: { type: string; written: number }) => {
        if (m.type === "stopped") resolve(m);
      }),
    );
    await writer.stop();
    const { written } = await stopped;

    expect(failures).toEqual([]);
    const rows = await database.db.select({ key: inbox.deliveryKey }).from(inbox);
    expect(rows.filter((r) => r.key.startsWith("mine-"))).toHaveLength(200);
    expect(rows.filter((r) => r.key.startsWith("w-"))).toHaveLength(written);
    expect(written).toBeGreaterThan(0);
    const [ws] = await database.db.select().from(workspaces);
    expect(ws).toMatchObject({ name: "One 199", updatedAt: 201 });
    database.close();
  },
);

/**
 * Another connection takes the write lock and keeps it until a timer on this very thread lets it go (after
 * 50 ms): a write waiting for it can only land if the wait leaves this thread's event loop free to run that
 * timer. `releasedAt()` is when the timer ran (0 before).
 */
function lockedUntilThisThreadsTimer(dbPath: string) {
  const other = new BetterSqlite3(dbPath);
  other.exec("BEGIN IMMEDIATE");
  let releasedAt = 0;
  setTimeout(() => {
    releasedAt = performance.now();
    other.exec("COMMIT");
  }, 50);
  return { releasedAt: () => releasedAt, close: () => other.close() };
}

it("keeps the thread's event loop running while a batch waits for another connection's lock", async () => {
  const { dbPath, database } = await databaseWithWorkspace();
  const started = performance.now();
  const other = lockedUntilThisThreadsTimer(dbPath);

  await database.batch([
    database.db.update(workspaces).set({ name: "Renamed" }).where(eq(workspaces.id, "ws_1")),
  ]);

  expect(other.releasedAt()).toBeGreaterThan(started);
  const [ws] = await database.db.select().from(workspaces);
  expect(ws?.name).toBe("Renamed");
  other.close();
  database.close();
});

const rename = preparedWrite((db, v: { id: string; name: string }) =>
  db.update(workspaces).set({ name: v.name }).where(eq(workspaces.id, v.id)).returning({ id: workspaces.id }),
);

it("keeps the thread's event loop running while a prepared write awaited on its own waits for the lock", async () => {
  const { dbPath, database } = await databaseWithWorkspace();
  // As above, for a single prepared write (a callback's delivery id, say): were it to sleep on the lock, the
  // timer that releases the lock could not run, and the write would fail as busy after five seconds.
  const other = lockedUntilThisThreadsTimer(dbPath);

  const rows = (await rename(database, { id: "ws_1", name: "Renamed alone" })) as { id: string }[];
  const landedAt = performance.now();

  expect(rows).toEqual([{ id: "ws_1" }]);
  expect(other.releasedAt()).toBeGreaterThan(0);
  expect(landedAt).toBeGreaterThanOrEqual(other.releasedAt());
  const [ws] = await database.db.select().from(workspaces);
  expect(ws?.name).toBe("Renamed alone");
  other.close();
  database.close();
});

describe("the threads' write lock", () => {
  /** A holder that never lets go (a thread stuck in a write). */
  const heldForever = (buffer: SharedArrayBuffer) => Atomics.store(new Int32Array(buffer), 0, 1);

  it("runs a write once another thread lets the lock go, with the waiting thread's event loop free", async () => {
    const lock = threadWriteLock();
    const entry = pathToFileURL(join(import.meta.dirname, "fixtures", "lock-holder-thread.ts")).href;
    const holder = await startThread("lock-holder", entry, { buffer: lock.buffer }, silentLogger);
    try {
      const next = (type: string) =>
        new Promise<{ at?: number }>((resolve) => {
          const listener = (message: { type: string; at?: number }) => {
            if (message.type !== type) return;
            holder.worker.off("message", listener);
            resolve(message);
          };
          holder.worker.on("message", listener);
        });
      const holding = next("holding");
      const released = next("released");
      holder.worker.postMessage({ holdMs: 100 });
      await holding;

      const now = () => performance.timeOrigin + performance.now();
      let timerAt = 0;
      setTimeout(() => {
        timerAt = now();
      }, 20);
      const wroteAt = await lock.hold(() => {
        expect(lock.held).toBe(true);
        return now();
      }, performance.now() + 5_000);
      const { at: releasedAt } = await released;

      // The write waited for the other thread, and this thread's timer ran meanwhile.
      expect(wroteAt).toBeGreaterThanOrEqual(releasedAt!);
      expect(timerAt).toBeGreaterThan(0);
      expect(timerAt).toBeLessThan(wroteAt);
      expect(lock.held).toBe(false);
      // Free again: another turn is taken at once.
      expect(lock.holdBlocking(() => "again", performance.now() + 1)).toBe("again");
    } finally {
      await holder.stop();
    }
  });

  it("gives up as a busy database when the lock is not let go in time", async () => {
    const lock = threadWriteLock();
    heldForever(lock.buffer);
    let ran = false;
    const failure = await lock
      .hold(() => {
        ran = true;
      }, performance.now() + 30)
      .catch((error: Error & { code?: string }) => error);
    expect(failure).toMatchObject({ code: "SQLITE_BUSY" });
    expect(() => lock.holdBlocking(() => (ran = true), performance.now() + 30)).toThrow(/database is locked/);
    expect(ran).toBe(false);
  });

  it("lets the lock go when the write throws", async () => {
    const lock = threadWriteLock();
    await expect(
      lock.hold(() => {
        throw new Error("constraint failed");
      }, performance.now() + 1_000),
    ).rejects.toThrow("constraint failed");
    expect(lock.held).toBe(false);
    expect(Atomics.load(new Int32Array(lock.buffer), 0)).toBe(0);
  });
});
