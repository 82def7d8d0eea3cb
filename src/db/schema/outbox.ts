import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const outboxStatuses = ["pending", "sending", "sent", "dead"] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

/**
 * Every call the hub makes to Slack, GitHub or Linear, written before it is attempted. The dedupe key makes
 * enqueueing idempotent (one reply per task per surface), and the worker owns retries: platform SDKs are
 * told not to retry on their own.
 */
export const outbox = sqliteTable(
  "outbox",
  {
    id: text("id").primaryKey(),
    /** e.g. `reply:<taskId>` or `notice:<taskId>:<channel>`: a second enqueue with the same key does nothing. */
    dedupeKey: text("dedupe_key").notNull(),
    platform: text("platform", { enum: ["github", "slack", "linear"] }).notNull(),
    operation: text("operation").notNull(),
    /** The call's arguments (JSON). */
    args: text("args").notNull(),
    /** Who the call is made as (JSON): a Slack team, a GitHub installation and repository, a Linear organization. */
    target: text("target"),
    taskId: text("task_id"),
    status: text("status", { enum: outboxStatuses }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    /** Attempts answered with a rate limit: they wait as told and do not use up the failure budget. */
    rateLimited: integer("rate_limited").notNull().default(0),
    /** Earliest time the worker may (re)try: `Retry-After` or backoff moves it forward. */
    availableAt: integer("available_at").notNull(),
    leaseUntil: integer("lease_until"),
    lastError: text("last_error"),
    /** What the platform answered (JSON), e.g. the posted message's `ts`. */
    response: text("response"),
    createdAt: integer("created_at").notNull(),
    sentAt: integer("sent_at"),
  },
  (t) => [
    // Idempotent enqueue: INSERT ... ON CONFLICT (dedupe_key) DO NOTHING.
    uniqueIndex("outbox_dedupe_key").on(t.dedupeKey),
    // Worker claims: WHERE status IN ('pending','sending') AND available_at|lease_until <= ? ORDER BY created_at.
    index("outbox_claim").on(t.status, t.availableAt),
    // Admin listings (`?status=dead`), newest first: WHERE status = ? ORDER BY created_at DESC; and the
    // retention sweep: WHERE status = 'sent' AND created_at < ?.
    index("outbox_status_created").on(t.status, t.createdAt),
    // What was sent for one task (task page, tests, the edits of a Slack task's status message): WHERE task_id = ?.
    index("outbox_task").on(t.taskId),
  ],
);

export type OutboxRow = typeof outbox.$inferSelect;
