import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** The log streams of the Compliance API; `CODEX_SECURITY_LOG` is reserved and stays empty for now. */
export const complianceEventTypes = ["CODEX_LOG", "CODEX_SECURITY_LOG"] as const;
export type ComplianceEventType = (typeof complianceEventTypes)[number];

/**
 * Compliance events not yet sealed into a closed log file: the open file of each stream. Each is written in
 * the same batch as what it records (an audit record, a task transition). AUTOINCREMENT: `seq` is never
 * reused after sealed events are deleted, because closed files are named after their first `seq`.
 */
export const complianceEvents = sqliteTable(
  "compliance_events",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    workspaceId: text("workspace_id").notNull(),
    eventType: text("event_type", { enum: complianceEventTypes }).notNull(),
    /** What happened: `task.requested`, `toggles.update`, `decision.task.run`, `api_key.create`... */
    type: text("type").notNull(),
    actor: text("actor"),
    target: text("target"),
    at: integer("at").notNull(),
    /** The event's details (JSON). */
    data: text("data").notNull(),
  },
  // The open file and sealing: WHERE workspace_id = ? AND event_type = ? AND seq > ? ORDER BY seq.
  (t) => [index("compliance_events_stream").on(t.workspaceId, t.eventType, t.seq)],
);

/**
 * Closed compliance log files: JSON Lines, immutable once written (the content and its SHA-256 are stored,
 * never recomputed). A file holds the events of one hour of one stream, or a fixed number of them.
 */
export const complianceLogFiles = sqliteTable(
  "compliance_log_files",
  {
    /** `clf_<first seq>`: the open file already has the id it keeps when it closes. */
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id").notNull(),
    eventType: text("event_type", { enum: complianceEventTypes }).notNull(),
    firstSeq: integer("first_seq").notNull(),
    lastSeq: integer("last_seq").notNull(),
    eventCount: integer("event_count").notNull(),
    /** Times of the first and last event in the file. */
    startAt: integer("start_at").notNull(),
    endAt: integer("end_at").notNull(),
    /** Bytes of the JSON Lines content (UTF-8, uncompressed). */
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    content: text("content").notNull(),
    closedAt: integer("closed_at").notNull(),
  },
  (t) => [
    // Sealing is idempotent (two sealers of one file: the second inserts nothing), and listings page on it:
    // WHERE workspace_id = ? AND event_type = ? AND first_seq > ? ORDER BY first_seq.
    uniqueIndex("compliance_log_files_stream").on(t.workspaceId, t.eventType, t.firstSeq),
    // Retention: DELETE WHERE workspace_id = ? AND end_at < ?.
    index("compliance_log_files_end").on(t.workspaceId, t.endAt),
  ],
);

export type ComplianceEventRow = typeof complianceEvents.$inferSelect;
export type ComplianceLogFileRow = typeof complianceLogFiles.$inferSelect;

/** Per-workspace retention periods, in days; null keeps forever. A workspace without a row keeps everything. */
export const retentionSettings = sqliteTable("retention_settings", {
  workspaceId: text("workspace_id").primaryKey(),
  /** Prompts, thread context, answers and progress text of finished tasks. */
  taskContentDays: integer("task_content_days"),
  /** Closed compliance log files. */
  complianceLogDays: integer("compliance_log_days"),
  updatedAt: integer("updated_at").notNull(),
});
