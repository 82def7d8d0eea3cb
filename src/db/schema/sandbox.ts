import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** What the sandbox clients would have sent to Slack, GitHub or Linear: shown on /sandbox. */
export const sandboxOutbound = sqliteTable(
  "sandbox_outbound",
  {
    id: text("id").primaryKey(),
    platform: text("platform").notNull(),
    operation: text("operation").notNull(),
    /** The request as the real client would send it (JSON). */
    request: text("request").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  // Listing on /sandbox: ORDER BY created_at DESC LIMIT n.
  (t) => [index("sandbox_outbound_created_at").on(t.createdAt)],
);
