import { like, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { bindingOf, createSecretBox, type SealedAt } from "../lib/secret-box";
import { sealedColumns } from "./sealed-columns";
import type { Database } from "./types";

export interface ResealOutcome {
  resealed: number;
  /** Values that did not open under the key (`table:column:row`); left as they are. */
  failed: string[];
}

/**
 * Values sealed before seals were bound to their place (`v1.`, no additional data) are opened and sealed
 * again bound to their table, column and row. It needs the key, so it is code rather than a SQL migration; it
 * runs at start, before anything reads a sealed value. Each row is one conditional update (`WHERE <row> = ?
 * AND <column> = <old value>`), so running it twice, or beside a writer replacing the value, changes nothing
 * it should not.
 */
export async function resealLegacyValues(database: Database, encryptionKey: string): Promise<ResealOutcome> {
  const outcome: ResealOutcome = { resealed: 0, failed: [] };
  let box: ReturnType<typeof createSecretBox> | undefined;
  for (const entry of sealedColumns) {
    const column: SQLiteColumn = entry.column;
    const rowKey: SQLiteColumn = entry.row;
    const legacy = await database.db
      .select({ row: rowKey, value: column })
      .from(column.table)
      .where(like(column, "v1.%"));
    for (const { row, value } of legacy as { row: unknown; value: string }[]) {
      const at = { column: entry.column, row: String(row) } as SealedAt;
      box ??= createSecretBox(encryptionKey);
      let plain: string;
      try {
        plain = await box.openLegacy(value);
      } catch {
        outcome.failed.push(bindingOf(at));
        continue;
      }
      const sealed = await box.seal(plain, at);
      const name = sql.identifier(column.name);
      const result = await database.db.run(
        sql`UPDATE ${column.table} SET ${name} = ${sealed} WHERE ${sql.identifier(rowKey.name)} = ${row} AND ${name} = ${value}`,
      );
      if (changes(result) > 0) outcome.resealed += 1;
    }
  }
  return outcome;
}

/** Rows an UPDATE changed: better-sqlite3 reports `changes`, D1 `meta.changes`. */
function changes(result: unknown): number {
  const r = result as { changes?: number; meta?: { changes?: number } };
  return r.changes ?? r.meta?.changes ?? 0;
}
