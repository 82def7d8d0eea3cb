import { and, asc, desc, eq, inArray, lt, lte, or, sql } from "drizzle-orm";
import type { OutboundRequest } from "../clients/types";
import { preparedQuery, preparedWrite } from "../db/prepared";
import { type OutboxRow, type OutboxStatus, outbox } from "../db/schema/outbox";
import type { Database } from "../db/types";
import { erasureMayBeDue } from "../governance/erasure";

/** After this many failed attempts (rate limits not counted) a row goes dead and waits for an admin. */
export const maxOutboxAttempts = 8;
/** Rate limits do not use up the budget, but a call rate-limited this often is stuck: it goes dead too. */
export const maxOutboxRateLimits = 50;

const waitingDue = (now: number) => and(eq(outbox.status, "pending"), lte(outbox.availableAt, now));
// A worker that died mid-call leaves its lease behind; once it runs out the row is claimed again.
const abandonedDue = (now: number) => and(eq(outbox.status, "sending"), lte(outbox.leaseUntil, now));
const due = (now: number) => or(waitingDue(now), abandonedDue(now));

/**
 * Claims up to `limit` due rows for one worker, and up to `limit` more whose lease ran out (a worker died with
 * them; normally none). The conditional UPDATE is the claim: two workers never hold
 * the same row, and only the lease holder can later mark it sent or failed (its `lease_until` must match).
 * Subqueries pick the rows and the UPDATE finds them by primary key. A writing statement holds SQLite's one
 * write lock from start to end (and D1 runs each statement alone), so the picked rows are still due; repeating
 * the condition outside the subqueries would make SQLite walk every due row instead, which a backlog (a
 * platform down for an hour) makes thousands. For the same reason the calls that are due and the calls whose
 * lease ran out are two subqueries, each taking its first rows in index order: one condition OR-ing both made
 * SQLite gather every due row and sort them all for each claim (4 ms a claim behind a few thousand calls).
 */
export async function claimOutbox(database: Database, now: number, leaseMs: number, limit: number) {
  const rows = (await claimDue(database, { now, leaseUntil: now + leaseMs, limit })) as OutboxRow[];
  // Oldest first, so replies go out in the order they were queued.
  return rows.sort((a, b) => a.availableAt - b.availableAt || a.createdAt - b.createdAt);
}

const claimDue = preparedWrite((db, v: { now: number; leaseUntil: number; limit: number }) => {
  const pending = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(waitingDue(v.now))
    .orderBy(asc(outbox.availableAt), asc(outbox.createdAt))
    .limit(v.limit);
  const abandoned = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(abandonedDue(v.now))
    .orderBy(asc(outbox.leaseUntil))
    .limit(v.limit);
  return db
    .update(outbox)
    .set({ status: "sending", leaseUntil: v.leaseUntil, attempts: sql`${outbox.attempts} + 1` })
    .where(or(inArray(outbox.id, pending), inArray(outbox.id, abandoned)))
    .returning();
});

/** Claims one row by id, on the same terms as `claimOutbox` (for a call that must leave right away). */
export async function claimOutboxRow(database: Database, id: string, now: number, leaseMs: number) {
  const [row] = await database.db
    .update(outbox)
    .set({ status: "sending", leaseUntil: now + leaseMs, attempts: sql`${outbox.attempts} + 1` })
    .where(and(eq(outbox.id, id), due(now)))
    .returning();
  return row ?? null;
}

const rowByKey = preparedQuery((db, v: { dedupeKey: string }) =>
  db.select().from(outbox).where(eq(outbox.dedupeKey, v.dedupeKey)).limit(1),
);

/** The call queued under `dedupeKey`, sent or not (a surface finds a posted message or a reaction by it). */
export async function outboxRowByKey(database: Database, dedupeKey: string): Promise<OutboxRow | null> {
  const [row] = await rowByKey(database.db).all({ dedupeKey });
  return row ?? null;
}

const held = (row: OutboxRow) =>
  and(eq(outbox.id, row.id), eq(outbox.status, "sending"), eq(outbox.leaseUntil, row.leaseUntil!));

/** The platform's answer, kept small: enough to find the posted message again, not a copy of every payload. */
function responseJson(response: unknown): string | null {
  if (response === undefined) return null;
  const text = JSON.stringify(response) ?? null;
  return text && text.length > 8000 ? JSON.stringify({ truncated: true, length: text.length }) : text;
}

const markSent = preparedWrite(
  (db, v: { id: string; leaseUntil: number; now: number; response: string | null }) =>
    db
      .update(outbox)
      .set({ status: "sent", sentAt: v.now, leaseUntil: null, lastError: null, response: v.response })
      .where(and(eq(outbox.id, v.id), eq(outbox.status, "sending"), eq(outbox.leaseUntil, v.leaseUntil)))
      .returning({ id: outbox.id, erasureMayBeDue: erasureMayBeDue(outbox.taskId) }),
);

/**
 * Marks a claimed row sent, as a write for a batch; its result is empty when the lease had run out and
 * another worker took the row.
 */
export function markSentQuery(database: Database, row: OutboxRow, now: number, response: unknown) {
  return markSent(database, {
    id: row.id,
    leaseUntil: row.leaseUntil!,
    now,
    response: responseJson(response),
  });
}

export interface Failure {
  error: string;
  /** When to try again; null: never (dead now). */
  retryAt: number | null;
  rateLimited?: boolean;
}

/** What a sent or failed mark returns: nothing when the lease had run out and another worker took the row. */
export interface Marked {
  id: string;
  /** `erasureMayBeDue` of the row's task, read in the same statement (0 for a call of no task). */
  erasureMayBeDue: number;
}

/** Back to pending until `retryAt`, or dead when there is no retry. */
export async function markFailed(
  database: Database,
  row: OutboxRow,
  now: number,
  failure: Failure,
): Promise<Marked | undefined> {
  const dead = failure.retryAt === null;
  const rows = await database.db
    .update(outbox)
    .set({
      status: dead ? "dead" : "pending",
      availableAt: failure.retryAt ?? now,
      leaseUntil: null,
      lastError: failure.error.slice(0, 2000),
      rateLimited: sql`${outbox.rateLimited} + ${failure.rateLimited ? 1 : 0}`,
    })
    .where(held(row))
    .returning({ id: outbox.id, erasureMayBeDue: erasureMayBeDue(outbox.taskId) });
  return rows[0];
}

/**
 * Gives a claimed row back untouched (a call of the same kind for the same account was just rate limited): the
 * claim's attempt is undone, since nothing was sent.
 */
export async function releaseOutbox(database: Database, row: OutboxRow, availableAt: number) {
  await database.db
    .update(outbox)
    .set({ status: "pending", availableAt, leaseUntil: null, attempts: sql`${outbox.attempts} - 1` })
    .where(held(row));
}

/** Puts a dead row back in the queue with a fresh budget (admin action); a no-op unless the row is dead. */
export function retryOutboxQuery(database: Database, id: string, now: number) {
  return database.db
    .update(outbox)
    .set({ status: "pending", attempts: 0, rateLimited: 0, availableAt: now, leaseUntil: null })
    .where(and(eq(outbox.id, id), eq(outbox.status, "dead")))
    .returning({ id: outbox.id });
}

export async function retryOutbox(database: Database, id: string, now: number) {
  return (await retryOutboxQuery(database, id, now)).length > 0;
}

export interface OutboxListFilter {
  status?: OutboxStatus;
  taskId?: string;
  limit: number;
  /** Only rows created before this time (paging: pass the last row's `createdAt`). */
  before?: number;
}

export async function listOutbox(database: Database, filter: OutboxListFilter) {
  const conditions = [
    filter.status ? eq(outbox.status, filter.status) : undefined,
    filter.taskId ? eq(outbox.taskId, filter.taskId) : undefined,
    filter.before ? lt(outbox.createdAt, filter.before) : undefined,
  ].filter((c) => c !== undefined);
  const rows = await database.db
    .select()
    .from(outbox)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(outbox.createdAt))
    .limit(filter.limit);
  return rows.map(publicRow);
}

export async function getOutboxRow(database: Database, id: string) {
  const [row] = await database.db.select().from(outbox).where(eq(outbox.id, id)).limit(1);
  return row ? publicRow(row) : undefined;
}

/** The call a row holds, as the platform client takes it. */
export function storedRequest(row: OutboxRow): OutboundRequest {
  return {
    platform: row.platform,
    operation: row.operation,
    args: JSON.parse(row.args) as Record<string, unknown>,
    ...(row.target === null ? {} : { target: JSON.parse(row.target) }),
  } as OutboundRequest;
}

/** A row as admins see it: arguments and answer parsed back from JSON. */
export function publicRow(row: OutboxRow) {
  return {
    id: row.id,
    dedupeKey: row.dedupeKey,
    platform: row.platform,
    operation: row.operation,
    target: row.target === null ? null : (JSON.parse(row.target) as unknown),
    args: JSON.parse(row.args) as Record<string, unknown>,
    taskId: row.taskId,
    status: row.status,
    attempts: row.attempts,
    rateLimited: row.rateLimited,
    availableAt: row.availableAt,
    lastError: row.lastError,
    response: row.response === null ? null : (JSON.parse(row.response) as unknown),
    createdAt: row.createdAt,
    sentAt: row.sentAt,
  };
}

export type PublicOutboxRow = ReturnType<typeof publicRow>;

export async function outboxDepth(database: Database): Promise<Record<OutboxStatus, number>> {
  const rows = await database.db
    .select({ status: outbox.status, n: sql<number>`count(*)` })
    .from(outbox)
    .groupBy(outbox.status);
  const depth = { pending: 0, sending: 0, sent: 0, dead: 0 };
  for (const r of rows) depth[r.status] = Number(r.n);
  return depth;
}

/** The earliest time a pending row becomes due, so a loop can sleep until then. */
export async function nextDueAt(database: Database): Promise<number | null> {
  const [row] = await earliestPending(database.db).all({});
  return row?.at ?? null;
}

const earliestPending = preparedQuery((db, _: Record<string, never>) =>
  db
    .select({ at: sql<number | null>`min(${outbox.availableAt})` })
    .from(outbox)
    .where(eq(outbox.status, "pending")),
);

/**
 * Sent calls are kept for `keepDays` so their dedupe keys still stop a repeat (a task re-notified after a
 * restart, a redelivered event) and admins can look back; after that they go. Dead calls stay until an admin
 * retries them.
 */
export async function sweepOutbox(database: Database, now: number, keepDays = 30): Promise<number> {
  const rows = await database.db
    .delete(outbox)
    .where(and(eq(outbox.status, "sent"), lt(outbox.createdAt, now - keepDays * 86_400_000)))
    .returning({ id: outbox.id });
  return rows.length;
}
