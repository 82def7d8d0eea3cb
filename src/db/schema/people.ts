import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { environments } from "./access";

// What members choose for themselves: when Codex reviews their own pull requests in a repository, and the
// people they invited by email to their environments before those people were members.

/**
 * A member's review triggers for one repository (lower-cased `owner/name`): the `pull_request` actions that
 * start an automatic review of their own pull requests there, within the repository's own triggers. An empty
 * list is "off": no automatic review of their pull requests in that repository.
 */
export const reviewTriggerChoices = sqliteTable(
  "review_trigger_choices",
  {
    workspaceId: text("workspace_id").notNull(),
    memberId: text("member_id").notNull(),
    repository: text("repository").notNull(),
    triggers: text("triggers", { mode: "json" }).notNull().$type<string[]>(),
    updatedBy: text("updated_by").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  // The automatic-review decision: WHERE workspace_id = ? AND member_id = ? AND repository = ? (the key);
  // a member's list: WHERE workspace_id = ? AND member_id = ? (its prefix).
  (t) => [primaryKey({ columns: [t.workspaceId, t.memberId, t.repository] })],
);

/**
 * A collaborator added by an email no member has yet: kept until a member with that email appears (SCIM,
 * an admin adding them, sign-in or an identity link), who then becomes a collaborator.
 */
export const environmentInvitations = sqliteTable(
  "environment_invitations",
  {
    workspaceId: text("workspace_id").notNull(),
    environmentId: text("environment_id")
      .notNull()
      .references(() => environments.id, { onDelete: "cascade" }),
    /** Lower-cased. */
    email: text("email").notNull(),
    invitedBy: text("invited_by").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.environmentId, t.email] }),
    // Claiming on a member's arrival: WHERE workspace_id = ? AND email = ?.
    index("environment_invitations_email").on(t.workspaceId, t.email),
  ],
);

export type ReviewTriggerChoiceRow = typeof reviewTriggerChoices.$inferSelect;
export type EnvironmentInvitationRow = typeof environmentInvitations.$inferSelect;
