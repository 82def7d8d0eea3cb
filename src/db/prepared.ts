import { type Placeholder, sql } from "drizzle-orm";
import type { BatchQuery, Database, Db } from "./types";

// drizzle builds a query's SQL from its builder every time the query runs: 20-120 µs for the hub's queries,
// more than SQLite takes to run most of them. The queries of the event path (a few dozen per event) are fixed
// shapes, so each is built once per database handle with placeholders and then run with its values.
//
// A shape's builder sees its values as placeholders (on Node) or as the values themselves (D1 batches): it
// must use them only as values of the query, never look at them (no `.trim()`, no `if`), and pass null rather
// than undefined. Values compared in a WHERE are bound as they are given (no column encoder): booleans as 0/1.

/** The values of a shape, each as a drizzle placeholder of the same name. */
const placeholders = new Proxy({} as Record<string, Placeholder>, {
  get: (_, name) => sql.placeholder(String(name)),
});

interface Preparable<P> {
  prepare(): P;
}

/**
 * A read (or a write run on its own) prepared once per database handle: `find(db).get({ id })`. Both drivers
 * answer it (D1 asynchronously); always `await` the result.
 */
export function preparedQuery<V extends Record<string, unknown>, P>(
  build: (db: Db, values: V) => Preparable<P>,
): (db: Db) => P {
  const byDb = new WeakMap<Db, P>();
  return (db) => {
    let prepared = byDb.get(db);
    if (!prepared) {
      prepared = build(db, placeholders as unknown as V).prepare();
      byDb.set(db, prepared);
    }
    return prepared;
  };
}

interface PreparedWrite {
  run(values: Record<string, unknown>): unknown;
  all(values: Record<string, unknown>): unknown;
  getQuery(): unknown;
}

type WriteBuilder = BatchQuery & Preparable<unknown> & { config?: { returning?: unknown } };

/**
 * A write for `database.batch([...])` (or awaited on its own), prepared once per database handle where the
 * driver runs prepared writes in its batches (better-sqlite3), built from its values where it does not (D1's
 * batch takes drizzle's builders only).
 */
export function preparedWrite<V extends Record<string, unknown>>(
  build: (db: Db, values: V) => BatchQuery,
): (database: Database, values: V) => BatchQuery {
  const byDb = new WeakMap<Db, { prepared: PreparedWrite; returning: boolean }>();
  return (database, values) => {
    if (!database.preparedWrites) return build(database.db, values);
    let shape = byDb.get(database.db);
    if (!shape) {
      // Every BatchQuery is one of drizzle's insert, update or delete builders, which can be prepared.
      const builder = build(database.db, placeholders as unknown as V) as WriteBuilder;
      shape = { prepared: builder.prepare() as PreparedWrite, returning: Boolean(builder.config?.returning) };
      byDb.set(database.db, shape);
    }
    return boundWrite(shape.prepared, shape.returning, values, database.writeAlone);
  };
}

/** A prepared write with its values: what a batch on better-sqlite3 runs (`config`, `run`, `all`). */
function boundWrite(
  prepared: PreparedWrite,
  returning: boolean,
  values: Record<string, unknown>,
  writeAlone: Database["writeAlone"],
) {
  const execute = () => (returning ? prepared.all(values) : prepared.run(values));
  return {
    config: { returning },
    run: () => prepared.run(values),
    all: () => prepared.all(values),
    toSQL: () => prepared.getQuery(),
    // biome-ignore lint/suspicious/noThenProperty: awaited on its own, it runs like drizzle's builders do.
    then<A, B>(
      resolve?: (value: unknown) => A | PromiseLike<A>,
      reject?: (reason: unknown) => B | PromiseLike<B>,
    ) {
      const ran = writeAlone ? writeAlone(execute) : new Promise((ok) => ok(execute()));
      return ran.then(resolve, reject);
    },
  };
}
