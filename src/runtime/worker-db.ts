import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import journal from "../../migrations/meta/_journal.json" with { type: "json" };
import * as schema from "../db/schema/index";
import type { Batch, Database, Db } from "../db/types";

/**
 * The hub's database on D1. D1 has no interactive transactions: `batch()` sends the statements as one
 * implicit transaction (all land or none do), which is all the shared code asks of a batch. D1 commits every
 * write durably before it answers, so a durable batch is the same call. Migrations are applied by
 * `wrangler d1 migrations apply`, which records them in `d1_migrations`.
 */
export function openD1Database(d1: D1Database): Database {
  const db = drizzle(d1, { schema });
  const batch: Batch = async (queries) => {
    if (queries.length === 0) return [];
    // drizzle's D1 batch takes a non-empty tuple of its own query builders; the shared code builds exactly those.
    return [...(await db.batch(queries as unknown as Parameters<typeof db.batch>[0]))];
  };
  return {
    db: db as unknown as Db,
    batch,
    durableBatch: batch,
    // D1 allows at most 100 bound parameters per statement.
    maxParams: 100,
    async migrationStatus() {
      const rows = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM d1_migrations`).catch(() => []);
      return { applied: Number(rows[0]?.n ?? 0), shipped: journal.entries.length };
    },
  };
}
