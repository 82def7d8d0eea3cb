import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { workspaces } from "./workspaces";

// What the Slack surface keeps: OAuth installations (one bot token per team or Enterprise Grid organization),
// each channel's default environment, requests waiting for a button press, and the threads Codex was
// mentioned in (so later replies in those threads reach Codex too).

const workspaceId = () =>
  text("workspace_id")
    .notNull()
    .references(() => workspaces.id, { onDelete: "cascade" });

/**
 * One row per installation of the Slack app through OAuth v2. `installKey` is `team:<T…>` for a workspace
 * install or `enterprise:<E…>` for an org-wide install. The bot token is sealed with HUB_ENCRYPTION_KEY
 * (src/lib/secret-box.ts) and never leaves the hub in clear except on the way to Slack.
 */
export const slackInstallations = sqliteTable(
  "slack_installations",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceId(),
    installKey: text("install_key").notNull(),
    teamId: text("team_id"),
    teamName: text("team_name"),
    enterpriseId: text("enterprise_id"),
    appId: text("app_id"),
    botUserId: text("bot_user_id"),
    /** `v2.<iv>.<ciphertext>`: the xoxb- token, sealed bound to this row's `install_key`. */
    botToken: text("bot_token").notNull(),
    scopes: text("scopes").notNull().default(""),
    /** Slack user id of whoever installed the app. */
    installedBy: text("installed_by"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    // Token lookup per outbound call: WHERE install_key = ?; a reinstall updates the same row.
    uniqueIndex("slack_installations_key").on(t.installKey),
    // Listing a workspace's installations: WHERE workspace_id = ?.
    index("slack_installations_workspace").on(t.workspaceId),
  ],
);

/** `/codex env default <name>`: where mentions in a channel run when the message names no environment. */
export const slackChannelDefaults = sqliteTable(
  "slack_channel_defaults",
  {
    workspaceId: workspaceId(),
    teamId: text("team_id").notNull(),
    channelId: text("channel_id").notNull(),
    /** No foreign key: a deleted environment simply stops being the default (it is no longer usable). */
    environmentId: text("environment_id").notNull(),
    setBy: text("set_by"),
    updatedAt: integer("updated_at").notNull(),
  },
  // Mention routing: WHERE workspace_id = ? AND team_id = ? AND channel_id = ? (the primary key).
  (t) => [primaryKey({ columns: [t.workspaceId, t.teamId, t.channelId] })],
);

export const slackPendingKinds = ["pick", "confirm"] as const;

/**
 * A request waiting for its requester to press a button: an environment pick or a confirmation. Used at most
 * once: the press that resolves it records the inbox row that did, so a retry of that same press finds it
 * again while any other press finds it taken.
 */
export const slackPending = sqliteTable(
  "slack_pending",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceId(),
    kind: text("kind", { enum: slackPendingKinds }).notNull(),
    teamId: text("team_id").notNull(),
    /** Only this Slack user's presses are honoured. */
    userId: text("user_id").notNull(),
    /** What to resume (JSON): the mention, or the command to run once confirmed. */
    payload: text("payload").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    resolvedAt: integer("resolved_at"),
    /** Inbox row of the press that resolved it. */
    resolvedBy: text("resolved_by"),
    /** `env:<id>`, `confirm` or `decline`. */
    resolution: text("resolution"),
  },
  // Clearing old rows: WHERE expires_at < ?.
  (t) => [index("slack_pending_expires").on(t.expiresAt)],
);

/** Threads Codex was mentioned in: a later reply there is for Codex too, without another @mention. */
export const slackThreadMarks = sqliteTable(
  "slack_thread_marks",
  {
    teamId: text("team_id").notNull(),
    channelId: text("channel_id").notNull(),
    threadTs: text("thread_ts").notNull(),
    workspaceId: workspaceId(),
    createdAt: integer("created_at").notNull(),
  },
  // "Was Codex mentioned in this thread?": WHERE team_id = ? AND channel_id = ? AND thread_ts = ? (the key).
  (t) => [primaryKey({ columns: [t.teamId, t.channelId, t.threadTs] })],
);

export type SlackInstallationRow = typeof slackInstallations.$inferSelect;
export type SlackPendingRow = typeof slackPending.$inferSelect;
