import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Web sign-in sessions (task page). The cookie carries a random token, signed; only its SHA-256 is stored,
 * so a copy of the database does not let anyone sign in. Rows are looked up on every request, which is what
 * lets sign-out and member deactivation end a session at once.
 */
export const webSessions = sqliteTable(
  "sessions",
  {
    /** SHA-256 (hex) of the cookie's token. */
    id: text("id").primaryKey(),
    /**
     * How the person proved who they are: `slack`, `github`, `local` (sandbox only) or `key` (an admin API key
     * pasted once; the subject is then the key's id).
     */
    provider: text("provider", { enum: ["slack", "github", "local", "key"] }).notNull(),
    /** Lower-cased email (Slack, local) or lower-cased GitHub login, matched to members per workspace. */
    subject: text("subject").notNull(),
    /** What to call the person on pages. */
    displayName: text("display_name").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [
    // Ending every session of one person (member deactivated): WHERE provider = ? AND subject = ?.
    index("sessions_subject").on(t.provider, t.subject),
    // Sweeping expired rows: WHERE expires_at < ?.
    index("sessions_expires_at").on(t.expiresAt),
  ],
);

export type WebSessionRow = typeof webSessions.$inferSelect;
