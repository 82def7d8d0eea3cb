import { blob, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const inboxStatuses = ["pending", "processing", "done", "ignored", "dead"] as const;
export type InboxStatus = (typeof inboxStatuses)[number];

/**
 * Every verified delivery, stored before it is acknowledged. The (platform, delivery_key) pair is the
 * dedupe key: a redelivery hits the unique index and changes nothing. Where the key is an unsigned header
 * (GitHub, Linear), (platform, body_digest) is a second one: the same signed body under a new id is a
 * duplicate too, for as long as the row is kept (the retention sweep, at least 8 days).
 */
export const inbox = sqliteTable(
  "inbox",
  {
    id: text("id").primaryKey(),
    platform: text("platform", { enum: ["github", "slack", "linear"] }).notNull(),
    deliveryKey: text("delivery_key").notNull(),
    /** Hex SHA-256 of the signed body; null where the key itself is signed (Slack, see ingress/slack/verify.ts). */
    bodyDigest: text("body_digest"),
    eventType: text("event_type").notNull(),
    status: text("status", { enum: inboxStatuses }).notNull().default("pending"),
    receivedAt: integer("received_at").notNull(),
    /** Earliest time the processor may (re)try the row; moved forward by backoff after a failure. */
    availableAt: integer("available_at").notNull(),
    leaseUntil: integer("lease_until"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    processedAt: integer("processed_at"),
    /**
     * Raw body as received, compressed (src/inbox/payload-codec.ts); dropped after the retention period while
     * the row keeps the dedupe key.
     */
    payload: blob("payload", { mode: "buffer" }),
    /** "br" for Brotli; null for rows written before compression, which hold the UTF-8 bytes. */
    payloadEncoding: text("payload_encoding", { enum: ["utf-8", "br"] }),
    /** The normalized InboundEvent (JSON), written by the processor. */
    normalized: text("normalized"),
    /** What the pipeline did with the event, in a sentence (shown by the sandbox page and the admin API). */
    outcome: text("outcome"),
  },
  (t) => [
    // Dedupe on ingress: INSERT ... ON CONFLICT (platform, delivery_key) DO NOTHING.
    uniqueIndex("inbox_platform_delivery_key").on(t.platform, t.deliveryKey),
    // Replays under a new id: the same INSERT ... ON CONFLICT DO NOTHING (no target: either key is a
    // duplicate). NULLs never conflict in SQLite, so Slack rows are not held by it.
    uniqueIndex("inbox_platform_body_digest").on(t.platform, t.bodyDigest),
    // Processor claims: WHERE status = 'pending' AND available_at <= ? ORDER BY available_at LIMIT n, and
    // WHERE status = 'processing' AND lease_until <= ? (few rows: only those being processed).
    index("inbox_claim").on(t.status, t.availableAt),
    // Retention sweep and "recent events" listings: ORDER BY received_at / WHERE processed_at < ?.
    index("inbox_received_at").on(t.receivedAt),
  ],
);

export type InboxRow = typeof inbox.$inferSelect;
