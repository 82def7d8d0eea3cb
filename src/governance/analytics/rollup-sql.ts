import { getTableColumns, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { analyticsSeen } from "../../db/schema/analytics";
import type { BatchQuery, Db } from "../../db/types";

// The one statement shape every rollup change takes, so it can ride in the batch of the write it describes
// (D1 has no interactive transactions: the change cannot depend on what an earlier statement returned):
//
//   INSERT INTO <rollup> SELECT <key>, <deltas> [FROM <source>] WHERE <guard> [GROUP BY ...]
//   ON CONFLICT (<key>) DO UPDATE SET <counter> = <counter> + excluded.<counter>, ...
//
// The guard is the condition of the write itself (the same WHERE as a conditional UPDATE, or NOT EXISTS for an
// INSERT ... ON CONFLICT DO NOTHING), checked in the same transaction just before it: the rollup moves exactly
// when the write lands, and a lost race or a redelivery adds nothing. (SQLite needs the WHERE to tell the
// upsert's ON from a join's: https://sqlite.org/lang_upsert.html#parsing_ambiguity.)

export type RollupValue = SQL | number | string;

type ColumnsOf<T extends SQLiteTable> = T["_"]["columns"];

/** An SQL integer literal (a bound JS number is a REAL in SQLite, which would make `/` divide exactly). */
export const literal = (n: number): SQL => sql.raw(String(Math.trunc(n)));

/** `created_at` as its UTC day, in SQL. */
export const dayOfColumn = (column: SQLiteColumn): SQL => sql`(${column} / ${literal(86_400_000)})`;

/** A boolean condition as 1 or 0. */
export const oneIf = (condition: SQL): SQL => sql`(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;

/**
 * Adds `deltas` to the rollup row `key`, creating it when missing, for every row the tail selects (the tail is
 * `FROM ... WHERE ...` or just `WHERE <guard>`, and must hold a WHERE).
 */
export function addToRollup<T extends SQLiteTable>(
  db: Db,
  table: T,
  key: Partial<Record<keyof ColumnsOf<T>, RollupValue>>,
  deltas: Partial<Record<keyof ColumnsOf<T>, RollupValue>>,
  tail: SQL,
): BatchQuery {
  const columns = getTableColumns(table) as Record<string, SQLiteColumn>;
  const given = { ...key, ...deltas } as Record<string, RollupValue | undefined>;
  const values = Object.keys(columns).map((name) => {
    const value = given[name] ?? 0;
    return typeof value === "object" ? value : sql`${value}`;
  });
  const target = Object.keys(key).map((name) => columns[name]!);
  const set = Object.fromEntries(
    Object.keys(deltas).map((name) => {
      const column = sql.identifier(columns[name]!.name);
      return [name, sql`${column} + excluded.${column}`];
    }),
  );
  return (
    db
      // biome-ignore lint/suspicious/noExplicitAny: the select lists every column in order (drizzle cannot type SQL).
      .insert(table as any)
      .select(sql`SELECT ${sql.join(values, sql`, `)} ${tail}`)
      .onConflictDoUpdate({ target, set })
  );
}

/** A member or conversation already counted in an audience on a day (`analytics_seen`). */
export interface Seen {
  workspaceId: string;
  day: number;
  audience: string;
  key: string;
}

/** 1 when `seen` has not been counted yet, else 0: the delta of a distinct count. */
export const unseen = (seen: Seen): SQL =>
  oneIf(
    sql`NOT EXISTS (SELECT 1 FROM ${analyticsSeen} WHERE ${analyticsSeen.workspaceId} = ${seen.workspaceId} AND ${analyticsSeen.day} = ${seen.day} AND ${analyticsSeen.audience} = ${seen.audience} AND ${analyticsSeen.key} = ${seen.key})`,
  );

/** Remembers `seen` keys as counted, when the guard holds; a key already there is kept. */
export function remember(db: Db, seen: readonly Seen[], guard: SQL): BatchQuery {
  const selects = seen.map(
    (s) => sql`SELECT ${s.workspaceId}, ${s.day}, ${s.audience}, ${s.key} WHERE ${guard}`,
  );
  return db.insert(analyticsSeen).select(sql.join(selects, sql` UNION ALL `)).onConflictDoNothing();
}
