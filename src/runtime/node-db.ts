import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import BetterSqlite3 from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import journal from "../../migrations/meta/_journal.json" with { type: "json" };
import * as schema from "../db/schema/index";
import type { BatchQuery, Database, Db } from "../db/types";

export const migrationsFolder = resolve(dirname(fileURLToPath(import.meta.url)), "../../migrations");

interface SyncQuery {
  config?: { returning?: unknown };
  all(): unknown;
  run(): unknown;
}

/**
 * Opens the SQLite file (WAL, synchronous=FULL so a commit survives power loss; ingress groups many
 * deliveries into one commit, so the fsync is paid per batch, not per request) and applies migrations.
 */
export function openNodeDatabase(path: string): Database & { close(): void; sqlite: BetterSqlite3.Database } {
  if (path !== ":memory:") mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = FULL");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("foreign_keys = ON");
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });

  // better-sqlite3 runs each query synchronously, so the writes inside the transaction callback really are
  // one transaction; nothing else can interleave with them.
  const runAll = sqlite.transaction((queries: readonly BatchQuery[]) =>
    queries.map((q) => {
      const query = q as unknown as SyncQuery;
      return query.config?.returning ? query.all() : query.run();
    }),
  );

  return {
    db: db as unknown as Db,
    sqlite,
    maxParams: 32766,
    batch: async (queries) => (queries.length === 0 ? [] : runAll(queries)),
    async migrationStatus() {
      const row = sqlite.prepare("SELECT count(*) AS n FROM __drizzle_migrations").get() as { n: number };
      return { applied: row.n, shipped: journal.entries.length };
    },
    close: () => sqlite.close(),
  };
}
