import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Every scope an API key can hold, and the one list of them: `admin` opens the admin API and SCIM;
 * `scim` opens SCIM provisioning (/scim/v2) and nothing else, for an identity provider's token;
 * `analytics.read` and `compliance.*` open the analytics and compliance APIs.
 */
export const apiScopes = ["admin", "scim", "analytics.read", "compliance.read", "compliance.delete"] as const;
export type ApiScope = (typeof apiScopes)[number];

/** Admin API keys. Only the SHA-256 digest of a key is kept; the key itself is shown once, at creation. */
export const apiKeys = sqliteTable(
  "api_keys",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    hash: text("hash").notNull(),
    /** The first characters of the key, so an admin can tell keys apart without the secret. */
    prefix: text("prefix").notNull(),
    scopes: text("scopes", { mode: "json" }).notNull().$type<ApiScope[]>(),
    createdBy: text("created_by").notNull(),
    createdAt: integer("created_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  // Authentication: WHERE hash = ? on every API request.
  (t) => [uniqueIndex("api_keys_hash").on(t.hash)],
);

export type ApiKeyRow = typeof apiKeys.$inferSelect;
