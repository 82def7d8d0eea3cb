import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

// Daily analytics, kept up to date by the writes they describe (governance/analytics/rollup-*.ts): the
// statement that creates or ends a task, starts or settles a review, or records feedback on a finding
// carries the matching rollup change in the same batch. The analytics API and the console read only these
// tables, a few rows per day, never the raw tasks. A day is a UTC day, stored as days since 1970-01-01.

/**
 * The surfaces usage is told by: where a task came from. `local` (the Codex CLI and IDE) is reserved: local
 * clients never reach the hub, so no row carries it yet.
 */
export const analyticsSurfaces = ["slack", "github", "linear", "api", "local"] as const;
export type AnalyticsSurface = (typeof analyticsSurfaces)[number];

const count = (name: string) => integer(name).notNull().default(0);

/** Per workspace, day and surface: who used Codex, the tasks and reviews asked for, how they ended, what ran. */
export const analyticsUsageDaily = sqliteTable(
  "analytics_usage_daily",
  {
    workspaceId: text("workspace_id").notNull(),
    day: integer("day").notNull(),
    surface: text("surface").notNull(),
    /** Members who asked for a task or a review there that day (each counted once: analytics_seen). */
    activeUsers: count("active_users"),
    /** Tasks (not reviews) asked for that day. */
    tasksStarted: count("tasks_started"),
    /** Tasks that ended that day, by outcome. */
    tasksCompleted: count("tasks_completed"),
    tasksFailed: count("tasks_failed"),
    tasksCancelled: count("tasks_cancelled"),
    /** Reviews asked for that day (review tasks). */
    reviewsStarted: count("reviews_started"),
    /** Tasks and reviews that ran and ended that day, and their run time (start to end). */
    runsFinished: count("runs_finished"),
    runDurationMs: count("run_duration_ms"),
    /** Of those, the runs whose executor reported token usage, and the tokens it reported. */
    runsWithUsage: count("runs_with_usage"),
    inputTokens: count("input_tokens"),
    cachedInputTokens: count("cached_input_tokens"),
    outputTokens: count("output_tokens"),
  },
  // Reads: WHERE workspace_id = ? AND day BETWEEN ? AND ?; rollups: upsert on the whole key.
  (t) => [primaryKey({ columns: [t.workspaceId, t.day, t.surface] })],
);

/** Per workspace and day: figures that are not per surface (distinct cloud users, code reviews). */
export const analyticsWorkspaceDaily = sqliteTable(
  "analytics_workspace_daily",
  {
    workspaceId: text("workspace_id").notNull(),
    day: integer("day").notNull(),
    /** Members who asked for anything that day, on any surface (each counted once). */
    cloudUsers: count("cloud_users"),
    /** Code reviews started that day: automatic (a pull request event) or requested (`@codex review`). */
    reviews: count("reviews"),
    automaticReviews: count("automatic_reviews"),
    requestedReviews: count("requested_reviews"),
    /** Members a review started for that day (each counted once). */
    reviewUsers: count("review_users"),
    /** Reviews that ended that day: posted with findings, clean (a 👍), failed, cancelled or superseded. */
    reviewsPublished: count("reviews_published"),
    reviewsClean: count("reviews_clean"),
    reviewsFailed: count("reviews_failed"),
    reviewsCancelled: count("reviews_cancelled"),
  },
  // Reads: WHERE workspace_id = ? AND day BETWEEN ? AND ?; rollups: upsert on the whole key.
  (t) => [primaryKey({ columns: [t.workspaceId, t.day] })],
);

/** Per workspace, day and finding priority (0-3): what reviews posted and what people answered. */
export const analyticsFindingsDaily = sqliteTable(
  "analytics_findings_daily",
  {
    workspaceId: text("workspace_id").notNull(),
    day: integer("day").notNull(),
    priority: integer("priority").notNull(),
    /** Findings posted by reviews that ended that day (inline or in the summary; not those below the threshold). */
    findings: count("findings"),
    /** Of those, the ones posted as review comments (inline), which people can react and reply to. */
    comments: count("comments"),
    /** Reactions and replies to review comments recorded that day, by sentiment (governance/analytics/sentiment.ts). */
    reactionsPositive: count("reactions_positive"),
    reactionsNegative: count("reactions_negative"),
    reactionsNeutral: count("reactions_neutral"),
    repliesPositive: count("replies_positive"),
    repliesNegative: count("replies_negative"),
    repliesNeutral: count("replies_neutral"),
  },
  // Reads: WHERE workspace_id = ? AND day BETWEEN ? AND ?; rollups: upsert on the whole key.
  (t) => [primaryKey({ columns: [t.workspaceId, t.day, t.priority] })],
);

/** Per workspace, day and member: the conversations they started and the requests they sent, on any surface. */
export const analyticsMemberDaily = sqliteTable(
  "analytics_member_daily",
  {
    workspaceId: text("workspace_id").notNull(),
    day: integer("day").notNull(),
    memberId: text("member_id").notNull(),
    /** Conversations started: a Slack thread, a pull request, a Linear agent session or issue, an API task. */
    sessions: count("sessions"),
    /** Requests sent to Codex (each task or review asked for). */
    messages: count("messages"),
  },
  // Exports: WHERE workspace_id = ? AND day BETWEEN ? AND ? ORDER BY day, member_id.
  (t) => [primaryKey({ columns: [t.workspaceId, t.day, t.memberId] })],
);

/**
 * What has been counted already, so distinct counts stay distinct: `user:<surface>`, `user:cloud` and
 * `user:code_review` hold the members counted on a day; `session` holds `<member>|<conversation>` with day 0,
 * since a conversation starts once, whatever day it continues on.
 */
export const analyticsSeen = sqliteTable(
  "analytics_seen",
  {
    workspaceId: text("workspace_id").notNull(),
    day: integer("day").notNull(),
    audience: text("audience").notNull(),
    key: text("key").notNull(),
  },
  // Rollups: NOT EXISTS (... WHERE workspace_id = ? AND day = ? AND audience = ? AND key = ?), then the insert.
  (t) => [primaryKey({ columns: [t.workspaceId, t.day, t.audience, t.key] })],
);
