import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * A workspace: the unit every access rule is scoped to. Its switches are columns so a PATCH is a single
 * UPDATE; `version` moves on every change to the workspace's access data, so a process holding a cached
 * snapshot can tell with one primary-key read whether another process (or Worker isolate) changed it.
 */
export const workspaces = sqliteTable("workspaces", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  codexLocal: integer("codex_local", { mode: "boolean" }).notNull().default(true),
  codexCloud: integer("codex_cloud", { mode: "boolean" }).notNull().default(false),
  githubConnector: integer("github_connector", { mode: "boolean" }).notNull().default(false),
  codeReview: integer("code_review", { mode: "boolean" }).notNull().default(false),
  slackFullAnswers: integer("slack_full_answers", { mode: "boolean" }).notNull().default(false),
  linearFullAnswers: integer("linear_full_answers", { mode: "boolean" }).notNull().default(false),
  agentInternet: integer("agent_internet", { mode: "boolean" }).notNull().default(false),
  zeroDataRetention: integer("zero_data_retention", { mode: "boolean" }).notNull().default(false),
  /** No foreign key: a deleted role or policy simply stops applying (the access core ignores unknown ids). */
  defaultRoleId: text("default_role_id"),
  defaultPolicyId: text("default_policy_id"),
  version: integer("version").notNull().default(1),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const workspaceLinkKinds = [
  "slack_team",
  "slack_enterprise",
  "github_installation",
  "linear_org",
] as const;
export type WorkspaceLinkKind = (typeof workspaceLinkKinds)[number];

/** Which platform tenant (Slack team/enterprise, GitHub installation, Linear organization) maps to which workspace. */
export const workspaceLinks = sqliteTable(
  "workspace_links",
  {
    workspaceId: text("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: workspaceLinkKinds }).notNull(),
    externalId: text("external_id").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    // Event routing: WHERE kind = ? AND external_id = ?; also makes one tenant belong to one workspace.
    uniqueIndex("workspace_links_kind_external").on(t.kind, t.externalId),
    // Workspace views: WHERE workspace_id = ?.
    index("workspace_links_workspace").on(t.workspaceId),
  ],
);

export type WorkspaceRow = typeof workspaces.$inferSelect;
