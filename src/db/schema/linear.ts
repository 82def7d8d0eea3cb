import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { environments } from "./access";
import { workspaces } from "./workspaces";

// What the Linear surface keeps: how each Linear organization is reached, which environment a team works in
// by default, the agent sessions in progress and what they wait for, and the ids of what the hub itself wrote
// in Linear (so its own comments and activities never start work). https://linear.app/developers/agents

/**
 * A Linear organization the hub talks to. `app`: installed through OAuth with `actor=app` (GET /setup/linear);
 * its agent sessions carry mentions and delegations, and its token is sealed (lib/secret-box.ts). `key`: reached
 * with LINEAR_API_KEY; the row only remembers whose user the key speaks as.
 */
export const linearInstallations = sqliteTable(
  "linear_installations",
  {
    organizationId: text("organization_id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    organizationName: text("organization_name"),
    actor: text("actor", { enum: ["app", "key"] }).notNull(),
    /** The Linear user the hub acts as: delegations name it, and its own comments carry it. */
    appUserId: text("app_user_id"),
    /** Sealed OAuth access token (`v2.<iv>.<ciphertext>`, bound to this row); null for `key`. */
    accessToken: text("access_token"),
    /** Sealed OAuth refresh token, when Linear issued one. */
    refreshToken: text("refresh_token"),
    tokenExpiresAt: integer("token_expires_at"),
    scopes: text("scopes"),
    /** Member who installed it (audit trail). */
    installedBy: text("installed_by"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  // Listing a workspace's installations (admin API): WHERE workspace_id = ?.
  (t) => [index("linear_installations_workspace").on(t.workspaceId)],
);

/** The environment a Linear team's requests run in when nothing more specific names one. */
export const linearTeamEnvironments = sqliteTable(
  "linear_team_environments",
  {
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    teamId: text("team_id").notNull(),
    /** Deleting the environment removes the default rather than leaving it pointing nowhere. */
    environmentId: text("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    /** The team's key or name as the admin gave it, for listings only. */
    teamName: text("team_name"),
    updatedAt: integer("updated_at").notNull(),
  },
  // Choosing the environment of a request: WHERE workspace_id = ? AND team_id = ? (the primary key).
  (t) => [primaryKey({ columns: [t.workspaceId, t.teamId] })],
);

export const linearSessionStates = ["starting", "awaiting_environment", "working", "closed"] as const;
export type LinearSessionState = (typeof linearSessionStates)[number];

/**
 * One Linear agent session and the task(s) it started: follow-up prompts continue the latest one, an answer
 * to an elicitation picks the environment of the request kept in `pending`. The progress counters throttle
 * how often executor progress becomes activities.
 */
export const linearSessions = sqliteTable("linear_sessions", {
  sessionId: text("session_id").primaryKey(),
  workspaceId: text("workspace_id")
    .notNull()
    .references(() => workspaces.id, { onDelete: "cascade" }),
  organizationId: text("organization_id").notNull(),
  issueId: text("issue_id"),
  /** The member who started the session. */
  memberId: text("member_id"),
  state: text("state", { enum: linearSessionStates }).notNull(),
  /** The latest task of the session; follow-ups are told its request and answer. */
  taskId: text("task_id"),
  environmentId: text("environment_id"),
  /** The request waiting for an environment (JSON: prompt, title, context, offered environment ids). */
  pending: text("pending"),
  /** When the last progress activity was queued, and how many were queued for the current task. */
  progressAt: integer("progress_at"),
  progressCount: integer("progress_count").notNull().default(0),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/**
 * Comments and agent activities the hub created, by the id it gave them (Linear accepts a client-chosen UUID):
 * a webhook about one of them is the hub hearing itself and is ignored.
 */
export const linearOwnObjects = sqliteTable("linear_own_objects", {
  id: text("id").primaryKey(),
  kind: text("kind", { enum: ["comment", "activity"] }).notNull(),
  createdAt: integer("created_at").notNull(),
});

export type LinearInstallationRow = typeof linearInstallations.$inferSelect;
export type LinearSessionRow = typeof linearSessions.$inferSelect;
