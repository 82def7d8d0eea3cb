import type { Database } from "../db/types";

// D1 binds at most 100 parameters per statement (SQLite allows far more), so lists that grow with the
// workspace (group members, collaborators, referenced ids) are split into statements that fit; writes that
// must land together still go into one batch.

export function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** How many rows of `columns` bound values fit in one statement (keeping a few parameters for the rest). */
export const rowsPerStatement = (database: Pick<Database, "maxParams">, columns: number): number =>
  Math.max(1, Math.floor((database.maxParams - 4) / columns));

/** How many ids fit in one `IN (...)` next to a few other parameters. */
export const idsPerStatement = (database: Pick<Database, "maxParams">): number =>
  Math.max(1, database.maxParams - 4);

/** Up to this many ids are looked up by id; beyond it, loading the workspace's rows is one statement. */
export const SMALL_LOOKUP = 50;

/** Groups rows by a key, keeping each group's values in order: one pass instead of a filter per parent. */
export function groupBy<T, V>(
  rows: readonly T[],
  key: (row: T) => string,
  value: (row: T) => V,
): Map<string, V[]> {
  const map = new Map<string, V[]>();
  for (const row of rows) {
    const k = key(row);
    const list = map.get(k);
    if (list) list.push(value(row));
    else map.set(k, [value(row)]);
  }
  return map;
}
