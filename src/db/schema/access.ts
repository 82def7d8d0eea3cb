import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import type { AppAccess, InternetAccess, Permission, PluginPolicy } from "../../access/types";
import { workspaces } from "./workspaces";

// The rows a WorkspaceSnapshot is built from (src/workspace/snapshot.ts). Child tables repeat
// `workspace_id` so a snapshot loads with one indexed query per table; the foreign keys cascade so removing a
// group or member removes every assignment that named it in the same statement.

const workspaceId = () =>
  text("workspace_id")
    .notNull()
    .references(() => workspaces.id, { onDelete: "cascade" });

export const members = sqliteTable(
  "members",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceId(),
    /** Stored lower-cased: platforms report emails in any case and members are matched by email. */
    email: text("email").notNull(),
    displayName: text("display_name"),
    givenName: text("given_name"),
    familyName: text("family_name"),
    status: text("status", { enum: ["active", "deactivated"] })
      .notNull()
      .default("active"),
    isOwner: integer("is_owner", { mode: "boolean" }).notNull().default(false),
    /** The identity provider's id for the user (SCIM externalId). */
    externalId: text("external_id"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    // Email linking and SCIM `userName eq`: WHERE workspace_id = ? AND email = ?.
    uniqueIndex("members_workspace_email").on(t.workspaceId, t.email),
  ],
);

export const identityPlatforms = ["slack", "github", "linear"] as const;

/** Platform identities linked to a member: one per platform per member, one member per platform id. */
export const identities = sqliteTable(
  "identities",
  {
    workspaceId: workspaceId(),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    platform: text("platform", { enum: identityPlatforms }).notNull(),
    /** Slack/Linear user id, or the GitHub login lower-cased (GitHub logins are case-insensitive). */
    externalId: text("external_id").notNull(),
    /** As the platform spells it (GitHub login case), for display. */
    display: text("display").notNull(),
    /** How the link was made: email match, the member's own OAuth, an admin mapping or the sandbox seed. */
    source: text("source", { enum: ["email", "oauth", "admin", "seed"] }).notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.platform] }),
    // Actor resolution: WHERE workspace_id = ? AND platform = ? AND external_id = ?.
    uniqueIndex("identities_platform_external").on(t.workspaceId, t.platform, t.externalId),
  ],
);

export const groups = sqliteTable(
  "groups",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceId(),
    name: text("name").notNull(),
    externalId: text("external_id"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  // Snapshot load and SCIM `displayName eq`: WHERE workspace_id = ? (AND name = ?).
  (t) => [uniqueIndex("groups_workspace_name").on(t.workspaceId, t.name)],
);

export const groupMembers = sqliteTable(
  "group_members",
  {
    workspaceId: workspaceId(),
    groupId: text("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.groupId, t.memberId] }),
    // Snapshot load: WHERE workspace_id = ?; a member's groups: WHERE member_id = ?.
    index("group_members_workspace").on(t.workspaceId),
    index("group_members_member").on(t.memberId),
  ],
);

export const roles = sqliteTable(
  "roles",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceId(),
    name: text("name").notNull(),
    permissions: text("permissions", { mode: "json" }).notNull().$type<Permission[]>(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  // Snapshot load: WHERE workspace_id = ?; names are unique so admins can tell roles apart.
  (t) => [uniqueIndex("roles_workspace_name").on(t.workspaceId, t.name)],
);

export const roleAssignments = sqliteTable(
  "role_assignments",
  {
    workspaceId: workspaceId(),
    roleId: text("role_id")
      .notNull()
      .references(() => roles.id, { onDelete: "cascade" }),
    groupId: text("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.roleId, t.groupId] }),
    // Snapshot load: WHERE workspace_id = ?.
    index("role_assignments_workspace").on(t.workspaceId),
  ],
);

export const apps = sqliteTable(
  "apps",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceId(),
    name: text("name").notNull(),
    kind: text("kind", { enum: ["slack", "github", "linear", "custom"] }).notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull(),
    status: text("status", { enum: ["draft", "published"] }).notNull(),
    access: text("access", { mode: "json" }).notNull().$type<AppAccess>(),
    mode: text("mode", { enum: ["read_only", "read_write"] }).notNull(),
    confirmWrites: integer("confirm_writes", { mode: "boolean" }).notNull(),
    createdAt: integer("created_at").notNull(),
  },
  // Snapshot load: WHERE workspace_id = ? ORDER BY created_at (the first app of a kind carries its surface).
  (t) => [index("apps_workspace").on(t.workspaceId, t.createdAt)],
);

export const plugins = sqliteTable(
  "plugins",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceId(),
    name: text("name").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull(),
    skills: text("skills", { mode: "json" }).notNull().$type<string[]>(),
    requiredAppIds: text("required_app_ids", { mode: "json" }).notNull().$type<string[]>(),
    optionalAppIds: text("optional_app_ids", { mode: "json" }).notNull().$type<string[]>(),
    policyByRole: text("policy_by_role", { mode: "json" }).notNull().$type<Record<string, PluginPolicy>>(),
    defaultPolicy: text("default_policy", { enum: ["none", "available", "installed"] }).notNull(),
    createdAt: integer("created_at").notNull(),
  },
  // Snapshot load: WHERE workspace_id = ?.
  (t) => [index("plugins_workspace").on(t.workspaceId)],
);

export const environments = sqliteTable(
  "environments",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceId(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    repository: text("repository").notNull(),
    visibility: text("visibility", { enum: ["workspace", "private"] }).notNull(),
    /** No foreign key: an environment outlives its creator's membership; admins still manage it. */
    creatorId: text("creator_id").notNull(),
    internet: text("internet", { mode: "json" }).notNull().$type<InternetAccess>(),
    /** The mode (TaskMode) of a request that says neither `ask:` nor `code:`. */
    defaultMode: text("default_mode", { enum: ["ask", "code"] })
      .notNull()
      .default("code"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  // Snapshot load: WHERE workspace_id = ?; names are unique so people can pick an environment by name.
  (t) => [uniqueIndex("environments_workspace_name").on(t.workspaceId, t.name)],
);

export const environmentCollaborators = sqliteTable(
  "environment_collaborators",
  {
    workspaceId: workspaceId(),
    environmentId: text("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    memberId: text("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.environmentId, t.memberId] }),
    // Snapshot load: WHERE workspace_id = ?.
    index("environment_collaborators_workspace").on(t.workspaceId),
  ],
);

export const managedPolicies = sqliteTable(
  "managed_policies",
  {
    id: text("id").primaryKey(),
    workspaceId: workspaceId(),
    name: text("name").notNull(),
    /** The requirements.toml text as the admin wrote it (served back for editing). */
    source: text("source").notNull(),
    /** The validated document; what Codex clients receive. */
    requirements: text("requirements", { mode: "json" }).notNull().$type<Record<string, unknown>>(),
    warnings: text("warnings", { mode: "json" }).notNull().$type<string[]>(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  // Snapshot load: WHERE workspace_id = ?.
  (t) => [uniqueIndex("managed_policies_workspace_name").on(t.workspaceId, t.name)],
);

/** The ordered group → policy rules; replaced as a whole, since their order is what decides. */
export const policyRules = sqliteTable(
  "policy_rules",
  {
    workspaceId: workspaceId(),
    position: integer("position").notNull(),
    groupId: text("group_id")
      .notNull()
      .references(() => groups.id, { onDelete: "cascade" }),
    policyId: text("policy_id")
      .notNull()
      .references(() => managedPolicies.id, { onDelete: "cascade" }),
  },
  // Snapshot load: WHERE workspace_id = ? ORDER BY position.
  (t) => [primaryKey({ columns: [t.workspaceId, t.position] })],
);

export type MemberRow = typeof members.$inferSelect;
export type GroupRow = typeof groups.$inferSelect;
export type RoleRow = typeof roles.$inferSelect;
export type AppRow = typeof apps.$inferSelect;
export type PluginRow = typeof plugins.$inferSelect;
export type EnvironmentRow = typeof environments.$inferSelect;
export type PolicyRow = typeof managedPolicies.$inferSelect;
