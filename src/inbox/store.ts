import { and, asc, desc, eq, inArray, lte, sql } from "drizzle-orm";
import { preparedWrite } from "../db/prepared";
import { type InboxRow, type InboxStatus, inbox } from "../db/schema/inbox";
import type { Database } from "../db/types";
import type { Platform } from "../ingress/events";
import { sha256Hex } from "../lib/crypto";
import { groupCommit } from "../lib/group-commit";
import { newId } from "../lib/ids";
import { encodePayload } from "./payload-codec";

export interface NewDelivery {
  platform: Platform;
  deliveryKey: string;
  /**
   * True where the delivery key is not signed (GitHub's header): the store then keys the row a second time on
   * a SHA-256 of the body, so the same signed body under a new id is a duplicate. Hashed here, not at ingress,
   * so the work happens beside the write (on Node, on the inbox thread) rather than before the HTTP answer.
   */
  replayDigest: boolean;
  eventType: string;
  /** The body as received: the bytes (the ingress path) or their UTF-8 text. */
  payload: Uint8Array | string;
  /** Unknown event types are kept (so a redelivery is still a duplicate) but never processed. */
  known: boolean;
  receivedAt: number;
  /** The request it came in (its id and route), for a store that logs the deliveries it stores. */
  request?: { requestId: string; route: string };
}

export interface InboxStore {
  /** Durably stores a delivery; resolves after the commit. "duplicate" when the key was seen before. */
  add(delivery: NewDelivery): Promise<"accepted" | "duplicate">;
  /**
   * Set where the store logs each delivery it stored (Node's inbox thread, once the commit is answered): the
   * ingress path then leaves its line per delivery to the store, off the thread that answers requests.
   */
  logsDeliveries?: boolean;
  /**
   * Set where the store wakes the inbox processor itself as soon as a commit lands (Node's inbox thread): the
   * ingress path then leaves the wake to it.
   */
  wakesProcessor?: boolean;
}

/** What became of a stored delivery, as its log line and the ingress metrics name it. */
export function storedOutcome(known: boolean, stored: "accepted" | "duplicate") {
  return stored === "duplicate" ? "duplicate" : known ? "accepted" : "ignored";
}

/** After this many failed attempts a row goes dead and waits for an admin. */
export const maxInboxAttempts = 8;

export function createInboxStore(database: Database): InboxStore {
  const commit = groupCommit<NewInboxRow, "accepted" | "duplicate">(async (items) => {
    // A platform may send the same delivery twice within one batch: only the first can be new. (Rows that
    // share a body digest under different keys need nothing here: the second conflicts with the first,
    // inserted earlier in the same commit, so only the first comes back from RETURNING.)
    const firstIndex = new Map<string, number>();
    items.forEach((d, i) => {
      const key = `${d.platform}\u0000${d.deliveryKey}`;
      if (!firstIndex.has(key)) firstIndex.set(key, i);
    });
    const unique = [...firstIndex.values()].map((i) => items[i]!);
    const inserted = new Set(
      (await database.durableBatch(insertQueries(database, unique))).flatMap((rows) =>
        (rows as { platform: string; deliveryKey: string }[]).map(
          (r) => `${r.platform}\u0000${r.deliveryKey}`,
        ),
      ),
    );
    return items.map((d, i) => {
      const key = `${d.platform}\u0000${d.deliveryKey}`;
      return firstIndex.get(key) === i && inserted.has(key) ? "accepted" : "duplicate";
    });
  });
  // The row (with its digest and compressed payload) is made as each delivery arrives, so that work is done
  // while the previous batch is being committed rather than after it. This is the one place that encodes and
  // inserts inbox rows, whichever runtime stores them.
  return { add: async (delivery) => commit(await inboxRowFor(delivery)) };
}

const inboxInsertColumns = 13;

/** One prepared INSERT per row; a clash on either unique key makes the row a duplicate (nothing returned). */
const insertOne = preparedWrite((db, row: NewInboxRow) =>
  db
    .insert(inbox)
    .values({
      id: row.id,
      platform: row.platform,
      deliveryKey: row.deliveryKey,
      bodyDigest: row.bodyDigest,
      eventType: row.eventType,
      status: row.status,
      receivedAt: row.receivedAt,
      availableAt: row.availableAt,
      attempts: row.attempts,
      processedAt: row.processedAt,
      outcome: row.outcome,
      payload: row.payload,
      payloadEncoding: row.payloadEncoding,
    })
    .onConflictDoNothing()
    .returning({ platform: inbox.platform, deliveryKey: inbox.deliveryKey }),
);

/**
 * Where writes can be prepared (better-sqlite3), each row runs the one prepared INSERT: drizzle then builds
 * no SQL per batch, which cost the inbox thread more than SQLite's own work. Elsewhere (D1) multi-row
 * INSERTs, as many rows per statement as the driver's bound-parameter limit allows (100), keep a batch short.
 * No conflict target: a clash on either unique key, (platform, delivery_key) or (platform, body_digest),
 * makes the delivery a duplicate.
 */
function insertQueries(database: Database, rows: NewInboxRow[]) {
  if (database.preparedWrites) return rows.map((row) => insertOne(database, row));
  const perStatement = Math.max(1, Math.floor(database.maxParams / inboxInsertColumns));
  const queries = [];
  for (let i = 0; i < rows.length; i += perStatement) {
    queries.push(
      database.db
        .insert(inbox)
        .values(rows.slice(i, i + perStatement))
        .onConflictDoNothing()
        .returning({ platform: inbox.platform, deliveryKey: inbox.deliveryKey }),
    );
  }
  return queries;
}

type NewInboxRow = Awaited<ReturnType<typeof inboxRowFor>>;

async function inboxRowFor(d: NewDelivery) {
  const bytes = typeof d.payload === "string" ? new TextEncoder().encode(d.payload) : d.payload;
  return {
    id: newId("evt"),
    platform: d.platform,
    deliveryKey: d.deliveryKey,
    bodyDigest: d.replayDigest ? await sha256Hex(bytes as Uint8Array<ArrayBuffer>) : null,
    eventType: d.eventType,
    status: d.known ? ("pending" as const) : ("ignored" as const),
    receivedAt: d.receivedAt,
    availableAt: d.receivedAt,
    attempts: 0,
    processedAt: d.known ? null : d.receivedAt,
    outcome: d.known ? null : "ignored: the hub does not act on this event type",
    ...encodePayload(bytes),
  };
}

/**
 * Claims up to `limit` rows for one worker: rows whose lease ran out (their worker died) first, then pending
 * rows in the order they fell due. Each claim is one UPDATE whose subquery picks the rows; a writing statement
 * holds SQLite's one write lock from start to end (and D1 runs each statement alone), so two workers never
 * share a row. The subquery walks the (status, available_at) index in order and stops at the limit, and the
 * UPDATE finds the picked rows by primary key (repeating the condition outside the subquery would make SQLite
 * scan every due row instead): a claim costs the same with a backlog of a hundred thousand rows as with ten,
 * and holds the write lock only that long.
 */
export async function claimInbox(database: Database, now: number, leaseMs: number, limit: number) {
  const values = { now, leaseUntil: now + leaseMs, limit };
  const expired = (await claimExpired(database, values)) as InboxRow[];
  if (expired.length >= limit) return expired;
  const due = (await claimDue(database, { ...values, limit: limit - expired.length })) as InboxRow[];
  // RETURNING follows the table's order, not the subquery's: put the rows back in the order they fell due.
  return [...expired, ...due.sort((a, b) => a.availableAt - b.availableAt)];
}

interface ClaimValues extends Record<string, unknown> {
  now: number;
  leaseUntil: number;
  limit: number;
}

const claimed = (v: ClaimValues) => ({
  status: "processing" as const,
  leaseUntil: v.leaseUntil,
  attempts: sql`${inbox.attempts} + 1`,
});

const claimExpired = preparedWrite((db, v: ClaimValues) =>
  db
    .update(inbox)
    .set(claimed(v))
    .where(
      inArray(
        inbox.id,
        db
          .select({ id: inbox.id })
          .from(inbox)
          .where(and(eq(inbox.status, "processing"), lte(inbox.leaseUntil, v.now)))
          .limit(v.limit),
      ),
    )
    .returning(),
);

const claimDue = preparedWrite((db, v: ClaimValues) =>
  db
    .update(inbox)
    .set(claimed(v))
    .where(
      inArray(
        inbox.id,
        db
          .select({ id: inbox.id })
          .from(inbox)
          .where(and(eq(inbox.status, "pending"), lte(inbox.availableAt, v.now)))
          .orderBy(asc(inbox.availableAt))
          .limit(v.limit),
      ),
    )
    .returning(),
);

const completeRow = preparedWrite(
  (db, v: { id: string; leaseUntil: number; now: number; normalized: string | null; outcome: string }) =>
    db
      .update(inbox)
      .set({
        status: "done",
        processedAt: v.now,
        leaseUntil: null,
        normalized: v.normalized,
        outcome: v.outcome,
        lastError: null,
      })
      .where(and(eq(inbox.id, v.id), eq(inbox.status, "processing"), eq(inbox.leaseUntil, v.leaseUntil))),
);

/** Marks a claimed row done; only the holder of the current lease can (its lease_until must match). */
export function completeInboxQuery(
  database: Database,
  row: InboxRow,
  now: number,
  normalized: string | null,
  outcome: string,
) {
  return completeRow(database, { id: row.id, leaseUntil: row.leaseUntil!, now, normalized, outcome });
}

/** Records a failure: back to pending with exponential backoff, or dead after the last attempt. */
export async function failInbox(database: Database, row: InboxRow, now: number, error: string) {
  const dead = row.attempts >= maxInboxAttempts;
  const backoffMs = Math.min(2 ** row.attempts * 1000, 15 * 60_000);
  await database.db
    .update(inbox)
    .set({
      status: dead ? "dead" : "pending",
      availableAt: now + backoffMs,
      leaseUntil: null,
      lastError: error.slice(0, 2000),
      processedAt: dead ? now : null,
    })
    .where(and(eq(inbox.id, row.id), eq(inbox.status, "processing"), eq(inbox.leaseUntil, row.leaseUntil!)));
}

/** Marks a claimed row dead at once (its payload cannot be read as its event), keeping the reason. */
export async function markInboxDead(database: Database, row: InboxRow, now: number, reason: string) {
  await database.db
    .update(inbox)
    .set({ status: "dead", leaseUntil: null, lastError: reason.slice(0, 2000), processedAt: now })
    .where(and(eq(inbox.id, row.id), eq(inbox.status, "processing"), eq(inbox.leaseUntil, row.leaseUntil!)));
}

/** Puts a dead row back in the queue (admin action), as a query to batch with its audit record. */
export function retryInboxQuery(database: Database, id: string, now: number) {
  return database.db
    .update(inbox)
    .set({ status: "pending", attempts: 0, availableAt: now, lastError: null, processedAt: null })
    .where(and(eq(inbox.id, id), eq(inbox.status, "dead")))
    .returning({ id: inbox.id });
}

export async function retryInbox(database: Database, id: string, now: number) {
  return (await retryInboxQuery(database, id, now)).length > 0;
}

export async function listInbox(
  database: Database,
  filter: { status?: InboxStatus; limit: number; before?: number },
) {
  const conditions = [
    filter.status ? eq(inbox.status, filter.status) : undefined,
    filter.before ? lte(inbox.receivedAt, filter.before) : undefined,
  ].filter((c) => c !== undefined);
  return database.db
    .select({
      id: inbox.id,
      platform: inbox.platform,
      deliveryKey: inbox.deliveryKey,
      eventType: inbox.eventType,
      status: inbox.status,
      attempts: inbox.attempts,
      lastError: inbox.lastError,
      outcome: inbox.outcome,
      receivedAt: inbox.receivedAt,
      processedAt: inbox.processedAt,
    })
    .from(inbox)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(inbox.receivedAt))
    .limit(filter.limit);
}

export async function inboxDepth(database: Database): Promise<Record<InboxStatus, number>> {
  const rows = await database.db
    .select({ status: inbox.status, n: sql<number>`count(*)` })
    .from(inbox)
    .groupBy(inbox.status);
  const depth = { pending: 0, processing: 0, done: 0, ignored: 0, dead: 0 };
  for (const r of rows) depth[r.status] = Number(r.n);
  return depth;
}

/**
 * Retention: raw payloads of finished deliveries go after `retentionDays`; the rows (and so their dedupe
 * keys) stay at least 8 days, longer than GitHub Enterprise Server's 7-day manual redelivery window.
 */
export async function sweepInbox(database: Database, now: number, retentionDays: number) {
  const day = 86_400_000;
  const finished = inArray(inbox.status, ["done", "ignored"]);
  const dropped = await database.db
    .update(inbox)
    .set({ payload: null, payloadEncoding: null })
    .where(
      and(finished, lte(inbox.processedAt, now - retentionDays * day), sql`${inbox.payload} IS NOT NULL`),
    )
    .returning({ id: inbox.id });
  const deleted = await database.db
    .delete(inbox)
    .where(and(finished, lte(inbox.processedAt, now - Math.max(retentionDays, 8) * day)))
    .returning({ id: inbox.id });
  return { payloadsDropped: dropped.length, rowsDeleted: deleted.length };
}
