import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import type * as schema from "./schema/index";

/**
 * The database handle domain code sees. Both better-sqlite3 ('sync') and D1 ('async') fit it; always
 * `await` queries so the same code runs on either.
 */
export type Db = BaseSQLiteDatabase<"sync" | "async", unknown, typeof schema>;

/** A write query built on `Db` (insert / update / delete, optionally with `.returning()`). */
export type BatchQuery = { toSQL(): unknown } & PromiseLike<unknown>;

/**
 * Runs several writes so that all land or none do: a transaction on better-sqlite3, `batch()` on D1
 * (D1 has no interactive transactions, so no logic may run between the writes). Returns each query's result.
 */
export type Batch = (queries: readonly BatchQuery[]) => Promise<unknown[]>;

export interface Database {
  db: Db;
  batch: Batch;
  /**
   * Like `batch`, but the commit reaches stable storage (survives power loss) before it resolves. Used where
   * the hub promises durability to someone else: storing a webhook before acknowledging it. Everything else
   * is durable across a crash of the hub and becomes durable on disk with the next durable commit.
   */
  durableBatch: Batch;
  /**
   * Whether `batch` runs writes prepared once and bound to their values (better-sqlite3); D1's batch takes
   * drizzle's builders only. See prepared.ts.
   */
  preparedWrites?: boolean;
  /**
   * Runs one prepared write awaited on its own. Where writers wait for each other's lock (SQLite's connections
   * on several threads), the wait lets the thread's event loop go on; where absent, the write just runs.
   */
  writeAlone?<T>(write: () => T): Promise<T>;
  /** Most bound parameters one statement may carry (SQLite: 32766; D1: 100). */
  maxParams: number;
  /**
   * A write that changes nothing but must reach storage, for /readyz to see whether writes land again after
   * they failed. Where there is none, readiness waits for the hub's next real write.
   */
  probeWrite?(): Promise<void>;
  /**
   * After text was erased (zero data retention, a deletion): makes sure no copy of it is left in the files
   * the database keeps. Where there is none (D1 manages its own storage), erasing the rows is all there is.
   */
  forgetErased?(): Promise<void>;
  /** Number of migrations applied vs shipped, for /readyz. */
  migrationStatus(): Promise<{ applied: number; shipped: number }>;
}
