import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { workspaces } from "./workspaces";

export const limitScopes = ["environment", "group", "member"] as const;

/**
 * Limits of one environment, group or member of a workspace, on top of the workspace's own (task_settings):
 * a task starts only when every limit that applies to it has room. A null field is no limit of this scope
 * (for an environment's `max_running`: the workspace's per-environment default). `scope_id` names the
 * environment, group or member; rows of one that is gone match no task and are dropped with the workspace.
 */
export const taskScopeLimits = sqliteTable(
  "task_scope_limits",
  {
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    scope: text("scope", { enum: limitScopes }).notNull(),
    scopeId: text("scope_id").notNull(),
    maxRunning: integer("max_running"),
    tasksPerDay: integer("tasks_per_day"),
    reviewsPerDay: integer("reviews_per_day"),
    updatedAt: integer("updated_at").notNull(),
  },
  // claimNextTasks and listings: WHERE workspace_id = ? AND scope = ? AND scope_id = ? (the primary key).
  (t) => [primaryKey({ columns: [t.workspaceId, t.scope, t.scopeId] })],
);

export const countScopes = ["workspace", ...limitScopes] as const;

/**
 * Tasks started per UTC day, per workspace, environment, group and member and per kind: what the daily limits
 * are checked against, one row read per scope instead of a count over the day's tasks. Incremented by the
 * batch that starts a task (claimNextTasks), so the count and the start land together.
 */
export const taskDayCounts = sqliteTable(
  "task_day_counts",
  {
    workspaceId: text("workspace_id").notNull(),
    scope: text("scope", { enum: countScopes }).notNull(),
    /** The environment, group or member id; empty for the workspace itself. */
    scopeId: text("scope_id").notNull(),
    /** Days since the Unix epoch, in UTC: the day resets at 00:00 UTC. */
    day: integer("day").notNull(),
    kind: text("kind", { enum: ["task", "review"] }).notNull(),
    started: integer("started").notNull(),
  },
  (t) => [
    // Limit checks and the upsert that counts a start: the whole key.
    primaryKey({ columns: [t.workspaceId, t.scope, t.scopeId, t.day, t.kind] }),
    // Sweep of past days: DELETE WHERE day < ?.
    index("task_day_counts_day").on(t.day),
  ],
);
