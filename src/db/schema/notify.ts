import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { workspaces } from "./workspaces";

/**
 * Slack channels told when a task ends (`/codex notify on [env]`). A null environment means every
 * environment of the workspace.
 */
export const notifySubscriptions = sqliteTable(
  "notify_subscriptions",
  {
    id: text("id").primaryKey(),
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    environmentId: text("environment_id"),
    /** `environment_id`, or `*` for all: the unique index needs a non-null value to compare. */
    environmentKey: text("environment_key").notNull(),
    slackTeamId: text("slack_team_id").notNull(),
    channelId: text("channel_id").notNull(),
    createdBy: text("created_by"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    // One subscription per (channel, environment): subscribing twice changes nothing. SQLite treats NULLs as
    // distinct in unique indexes, hence environment_key rather than environment_id.
    uniqueIndex("notify_subscriptions_unique").on(t.workspaceId, t.channelId, t.environmentKey),
    // Finding who to tell when a task ends: WHERE workspace_id = ? AND (environment_id = ? OR environment_id IS NULL).
    index("notify_subscriptions_workspace_env").on(t.workspaceId, t.environmentId),
  ],
);
