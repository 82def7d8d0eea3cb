import { closeSync, fdatasync, mkdirSync, openSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import BetterSqlite3 from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import journal from "../../migrations/meta/_journal.json" with { type: "json" };
import * as schema from "../db/schema/index";
import type { BatchQuery, Database, Db } from "../db/types";
import { startCheckpointer } from "./checkpointer";
import { type ThreadWriteLock, threadWriteLock } from "./write-lock";
import { type WriteOutcome, writeOutcomes } from "./write-outcomes";

/** How long a write waits for the other connections' writes before the database is reported busy. */
const lockWaitMs = 5_000;
const sleepCell = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));

const isBusy = (error: unknown) => String((error as { code?: unknown }).code ?? "").startsWith("SQLITE_BUSY");

/**
 * Runs a write, waiting while another connection holds the write lock. The hub's threads each have a
 * connection and all of them write: they take turns through `lock` (write-lock.ts), which wakes a waiting
 * thread as soon as the lock is let go. Another process on the same file (a backup, the sqlite3 shell) is
 * met as SQLITE_BUSY instead: SQLite's own busy handler sleeps 1, 2, 5, 10... ms between tries, far longer
 * than the commits it waits for, so the connections answer SQLITE_BUSY at once (busy_timeout 0) and the write
 * is tried again after 50 µs, doubling to 1 ms. Inside a transaction, or inside a write that already holds
 * the lock, nothing waits or is retried here: the outer write is, whole.
 */
function whileLocked<T>(sqlite: BetterSqlite3.Database, lock: ThreadWriteLock, write: () => T): T {
  if (sqlite.inTransaction || lock.held) return write();
  const deadline = performance.now() + lockWaitMs;
  for (let waitMs = 0.05; ; waitMs = Math.min(waitMs * 2, 1)) {
    try {
      return lock.holdBlocking(write, deadline);
    } catch (error) {
      if (!isBusy(error) || performance.now() >= deadline) throw error;
      Atomics.wait(sleepCell, 0, 0, waitMs);
    }
  }
}

/**
 * The same wait for a write whose caller awaits it anyway (a batch, or a prepared write awaited on its own):
 * while another thread or process holds the write lock the thread's event loop goes on (the HTTP thread
 * keeps acknowledging webhooks instead of sleeping on the lock). After SQLITE_BUSY (another process) the
 * write is tried again at once for the first few tries, then every millisecond.
 */
async function whenUnlocked<T>(
  sqlite: BetterSqlite3.Database,
  lock: ThreadWriteLock,
  write: () => T,
): Promise<T> {
  if (sqlite.inTransaction || lock.held) return write();
  const deadline = performance.now() + lockWaitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await lock.hold(write, deadline);
    } catch (error) {
      if (!isBusy(error) || performance.now() >= deadline) throw error;
      await new Promise((r) => (attempt < 10 ? setImmediate(r) : setTimeout(r, 1)));
    }
  }
}

export const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), "../../migrations");

interface SyncQuery {
  config?: { returning?: unknown };
  all(): unknown;
  run(): unknown;
}

/**
 * Opens the SQLite file (WAL) and applies migrations. Webhook deliveries are committed with an fsync before
 * they are acknowledged; ingress groups many deliveries into one commit, so that fsync is paid per batch.
 */
export function openNodeDatabase(
  path: string,
  options: {
    /**
     * Who copies the WAL back into the file: a thread of its own (`thread`, the default for a file), SQLite on
     * this connection as commits pass its threshold (`inline`), or someone else (`off`).
     */
    checkpoints?: "thread" | "inline" | "off";
    onWriteOutcome?: WriteOutcome;
    /** The hub's threads' write lock (write-lock.ts), shared by every connection of the hub to this file. */
    writeLock?: SharedArrayBuffer;
    /**
     * Told when a durable batch has committed, before its sync: its rows are there for the other connections
     * to read from that moment (the inbox thread wakes the processor then, not once the disk has answered).
     */
    onDurableCommit?: () => void;
  } = {},
): Database & { close(): void; sqlite: BetterSqlite3.Database } {
  if (path !== ":memory:") {
    mkdirSync(dirname(resolve(path)), { recursive: true, mode: 0o700 });
    // The file holds sealed tokens, members and audit records. SQLite would create it with the process umask
    // (usually world-readable) and gives its -wal and -shm files the database file's mode, so it is created
    // here first, owner-only. An existing file keeps the mode its operator gave it.
    closeSync(openSync(path, "a", 0o600));
  }
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma("journal_mode = WAL");
  // WAL with synchronous=NORMAL: a commit survives a crash of the hub without an fsync of its own; the
  // commits that promise more (durableBatch) sync the WAL once they land, which also syncs every earlier one.
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  // Freed space (a row deleted, a value overwritten, an overflow page released) is overwritten with zeros, so
  // text erased for zero data retention or a deletion does not linger in free pages of the file.
  sqlite.pragma("secure_delete = ON");
  // Copying the WAL back into the database (a checkpoint) would run on whichever connection commits past the
  // threshold, and that commit would wait on the disk: one connection of the hub has a thread for it
  // (checkpointer.ts), and the others leave it to that one.
  const checkpoints = path === ":memory:" ? "inline" : (options.checkpoints ?? "thread");
  if (checkpoints !== "inline") sqlite.pragma("wal_autocheckpoint = 0");
  // Readiness (/readyz) needs to know when writes stop landing (a full disk) though reads still work.
  const writes = writeOutcomes(options.onWriteOutcome ?? (() => {}));
  const lock = threadWriteLock(options.writeLock);
  cacheStatements(sqlite, (statement) => watchWrites(sqlite, lock, statement, writes.track));
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  // Without its thread (it failed), this connection checkpoints itself again, as SQLite does by default.
  const checkpointer =
    checkpoints === "thread"
      ? startCheckpointer(path, () => sqlite.pragma("wal_autocheckpoint = 1000"))
      : null;
  // From here on, waiting for the write lock is whileLocked's (above), not SQLite's.
  sqlite.pragma("busy_timeout = 0");

  // better-sqlite3 runs each query synchronously, so the writes inside the transaction callback really are
  // one transaction; nothing else can interleave with them.
  const transaction = sqlite.transaction((queries: readonly BatchQuery[]) =>
    queries.map((q) => {
      const query = q as unknown as SyncQuery;
      return query.config?.returning ? query.all() : query.run();
    }),
  );
  // What synchronous=FULL does for a commit (sync the WAL once its frames are written), done after the write
  // lock is released: FULL syncs while holding the lock, and every other thread's writes then wait for the
  // disk too. A commit's frames are in the WAL when the commit returns; syncing the file afterwards makes
  // them durable (and every commit before them), and a checkpoint that copied them first synced them itself.
  // (Opened for appending only so that it exists; nothing is written through it.)
  const walFd = path === ":memory:" ? null : openSync(`${path}-wal`, "a", 0o600);
  const syncWal = walFd === null ? async () => {} : walSyncs(walFd, writes.track);
  // The commit itself can fail (the disk fills while the WAL grows) after every statement in it succeeded.
  // BEGIN IMMEDIATE takes the write lock first, so a busy database is met before any statement ran.
  const commit = (queries: readonly BatchQuery[]) => writes.track(() => transaction.immediate(queries));

  return {
    db: db as unknown as Db,
    sqlite,
    maxParams: 32766,
    preparedWrites: true,
    batch: async (queries) => (queries.length === 0 ? [] : whenUnlocked(sqlite, lock, () => commit(queries))),
    writeAlone: (write) => whenUnlocked(sqlite, lock, write),
    durableBatch: async (queries) => {
      if (queries.length === 0) return [];
      // Acknowledgements wait on this commit, and then on the WAL's sync.
      const results = await whenUnlocked(sqlite, lock, () => commit(queries));
      options.onDurableCommit?.();
      await syncWal();
      return results;
    },
    // Rewrites the header's user_version with its own value: a real commit (a page appended to the WAL) that
    // changes nothing, so it fails exactly when the storage refuses writes.
    probeWrite: async () =>
      whileLocked(sqlite, lock, () =>
        writes.track(() => {
          const version = sqlite.pragma("user_version", { simple: true }) as number;
          sqlite.pragma(`user_version = ${Number(version)}`);
        }),
      ),
    // The WAL still holds the pages as they were before the erasure: copy everything into the database file
    // and truncate the WAL to zero bytes. It waits (busy_timeout) for readers of older snapshots to finish;
    // when one does not in time, the next erasure or the hourly sweep tries again.
    forgetErased: async () => {
      sqlite.pragma("busy_timeout = 5000");
      try {
        const [result] = sqlite.pragma("wal_checkpoint(TRUNCATE)") as { busy: number }[];
        if (result?.busy) throw new Error("the WAL checkpoint after an erasure was blocked by a reader");
      } finally {
        sqlite.pragma("busy_timeout = 0");
      }
    },
    async migrationStatus() {
      const row = sqlite.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number };
      return { applied: row.n, shipped: journal.entries.length };
    },
    close: () => {
      checkpointer?.stop();
      sqlite.close();
      if (walFd !== null) closeSync(walFd);
    },
  };
}

/**
 * Syncs of the WAL shared by the commits that wait for them (the thread goes on committing meanwhile): a
 * sync covers every commit made before it started, so a commit made while one runs waits for the next, which
 * starts when the running one ends and serves every commit that came in between.
 */
function walSyncs(fd: number, track: <T>(write: () => T) => T): () => Promise<void> {
  let running: Promise<void> | null = null;
  let queued: Promise<void> | null = null;
  const sync = (): Promise<void> => {
    if (!running) {
      running = new Promise<void>((resolve, reject) =>
        fdatasync(fd, (error) => {
          running = null;
          // Noted as any write is, so readiness sees a disk that refuses to sync.
          try {
            track(() => {
              if (error) throw error;
            });
            resolve();
          } catch (failure) {
            reject(failure);
          }
        }),
      );
      return running;
    }
    queued ??= running
      .catch(() => {})
      .then(() => {
        queued = null;
        return sync();
      });
    return queued;
  };
  return sync;
}

/**
 * Makes each run of a statement that writes wait for the write lock (whileLocked) and note how it went
 * (`track`, for readiness). Statements that only read are left as they are.
 */
function watchWrites(
  sqlite: BetterSqlite3.Database,
  lock: ThreadWriteLock,
  statement: BetterSqlite3.Statement,
  track: <T>(write: () => T) => T,
): void {
  if (statement.readonly) return;
  for (const method of ["run", "get", "all"] as const) {
    const original = statement[method].bind(statement) as (...args: unknown[]) => unknown;
    (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) =>
      whileLocked(sqlite, lock, () => track(() => original(...args)));
  }
}

/**
 * drizzle prepares a new better-sqlite3 statement for every query it runs, and preparing (parsing and
 * planning the SQL) costs more than running most of the hub's small queries. The hub's SQL comes from a fixed
 * set of query shapes, so prepared statements are kept by their SQL text (a bounded LRU). A reused statement
 * is put back in its default mode, since drizzle switches some to raw (array) rows.
 */
function cacheStatements(
  sqlite: BetterSqlite3.Database,
  watch: (statement: BetterSqlite3.Statement) => void,
  capacity = 1000,
): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, BetterSqlite3.Statement>();
  sqlite.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (statement) {
      cache.delete(source);
      if (statement.reader) statement.raw(false);
    } else {
      statement = prepare(source);
      watch(statement);
      if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
    }
    cache.set(source, statement);
    return statement;
  }) as typeof sqlite.prepare;
}
