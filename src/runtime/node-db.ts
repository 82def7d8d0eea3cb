import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import BetterSqlite3 from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import journal from "../../migrations/meta/_journal.json" with { type: "json" };
import * as schema from "../db/schema/index";
import type { BatchQuery, Database, Db } from "../db/types";
import { type WriteOutcome, writeOutcomes } from "./write-outcomes";

/** About five seconds of retrying (mostly 1 ms waits) before a busy database is reported as an error. */
const maxBusyRetries = 5000;

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
  options: { checkpoints?: boolean; onWriteOutcome?: WriteOutcome } = {},
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
  // commits that promise more (durableBatch) switch to FULL, which also syncs every earlier commit in the WAL.
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  // Freed space (a row deleted, a value overwritten, an overflow page released) is overwritten with zeros, so
  // text erased for zero data retention or a deletion does not linger in free pages of the file.
  sqlite.pragma("secure_delete = ON");
  // Copying the WAL back into the database (a checkpoint) runs on whichever connection commits past the
  // threshold; the HTTP thread leaves that to the background thread so an acknowledgement never waits on it.
  if (options.checkpoints === false) sqlite.pragma("wal_autocheckpoint = 0");
  // Readiness (/readyz) needs to know when writes stop landing (a full disk) though reads still work.
  const writes = writeOutcomes(options.onWriteOutcome ?? (() => {}));
  cacheStatements(sqlite, writes.watch);
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });

  // better-sqlite3 runs each query synchronously, so the writes inside the transaction callback really are
  // one transaction; nothing else can interleave with them.
  const transaction = sqlite.transaction((queries: readonly BatchQuery[]) =>
    queries.map((q) => {
      const query = q as unknown as SyncQuery;
      return query.config?.returning ? query.all() : query.run();
    }),
  );
  // The commit itself can fail (the disk fills while the WAL grows) after every statement in it succeeded.
  const runAll = (queries: readonly BatchQuery[]) => writes.track(() => transaction(queries));

  return {
    db: db as unknown as Db,
    sqlite,
    maxParams: 32766,
    preparedWrites: true,
    batch: async (queries) => (queries.length === 0 ? [] : runAll(queries)),
    durableBatch: async (queries) => {
      if (queries.length === 0) return [];
      // Acknowledgements wait on this commit, and the HTTP thread must never sleep in SQLite's busy handler
      // (its back-off sleeps reach 50-100 ms) while the background thread holds the write lock: try without
      // waiting, and if the lock is taken, yield to the event loop and try again.
      for (let attempt = 0; ; attempt++) {
        sqlite.pragma("busy_timeout = 0");
        sqlite.pragma("synchronous = FULL");
        try {
          return runAll(queries);
        } catch (error) {
          if ((error as { code?: string }).code !== "SQLITE_BUSY" || attempt >= maxBusyRetries) throw error;
        } finally {
          sqlite.pragma("synchronous = NORMAL");
          sqlite.pragma("busy_timeout = 5000");
        }
        await new Promise((r) => (attempt < 10 ? setImmediate(r) : setTimeout(r, 1)));
      }
    },
    // Rewrites the header's user_version with its own value: a real commit (a page appended to the WAL) that
    // changes nothing, so it fails exactly when the storage refuses writes.
    probeWrite: async () =>
      writes.track(() => {
        const version = sqlite.pragma("user_version", { simple: true }) as number;
        sqlite.pragma(`user_version = ${Number(version)}`);
      }),
    // The WAL still holds the pages as they were before the erasure: copy everything into the database file
    // and truncate the WAL to zero bytes. It waits (busy_timeout) for readers of older snapshots to finish;
    // when one does not in time, the next erasure or the hourly sweep tries again.
    forgetErased: async () => {
      const [result] = sqlite.pragma("wal_checkpoint(TRUNCATE)") as { busy: number }[];
      if (result?.busy) throw new Error("the WAL checkpoint after an erasure was blocked by a reader");
    },
    async migrationStatus() {
      const row = sqlite.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number };
      return { applied: row.n, shipped: journal.entries.length };
    },
    close: () => sqlite.close(),
  };
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
