import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Every admin change (who, what, before → after) and every access decision on live traffic (with its
 * request and trace). No foreign keys: the record outlives what it describes.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id"),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    target: text("target"),
    before: text("before", { mode: "json" }),
    after: text("after", { mode: "json" }),
    decision: text("decision", { mode: "json" }),
    request: text("request", { mode: "json" }),
    /** The decision's code (ALLOWED, CLOUD_DISABLED, ...), so denials can be counted without parsing JSON. */
    code: text("code"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    // Audit listings: WHERE workspace_id = ? ORDER BY created_at DESC.
    index("audit_log_workspace_created").on(t.workspaceId, t.createdAt),
  ],
);

export type AuditRow = typeof auditLog.$inferSelect;
