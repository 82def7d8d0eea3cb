import type { ReviewTrigger } from "./review-triggers";
import type { AdminCommand } from "./slash-admin-types";

// The `/codex` command as data. Handlers switch on `kind`; the grammar never throws, so anything it cannot read
// becomes `help` with an `error` saying what was wrong.

/** Workspace-wide switches (DESIGN.md §4), by the names people type. */
export const WORKSPACE_TOGGLES = [
  "codex-local",
  "codex-cloud",
  "github-connector",
  "code-review",
  "slack-full-answers",
  "linear-full-answers",
  "agent-internet",
  "zero-data-retention",
] as const;
export type WorkspaceToggle = (typeof WORKSPACE_TOGGLES)[number];

/** What each toggle means, for help and settings listings. */
export const TOGGLE_LABELS: Record<WorkspaceToggle, string> = {
  "codex-local": "Codex local (app, CLI, IDE extension)",
  "codex-cloud": "Codex cloud (cloud tasks, Slack and Linear tasks, code review)",
  "github-connector": "GitHub connector",
  "code-review": "Code review on GitHub",
  "slack-full-answers": "Post full answers in Slack on task completion (otherwise a link)",
  "linear-full-answers": "Post full answers in Linear on task completion (otherwise a link)",
  "agent-internet": "Agent internet access",
  "zero-data-retention": "Zero data retention (prompts and answers erased once the reply is delivered)",
};

export const APP_MODES = ["read-only", "read-write", "confirm"] as const;
export type AppMode = (typeof APP_MODES)[number];

/** Matches `RepoReviewSettings.contributors`. */
export type ContributorsScope = "all" | "opted_in";

/** Who a role is granted to: a Slack user, a Slack user group or a workspace group by name, or an email. */
export type RoleTarget =
  | { type: "user"; slackUserId: string; label?: string }
  | { type: "group"; name: string; slackUsergroupId?: string }
  | { type: "email"; email: string };

export type PolicySubject =
  | { type: "email"; email: string }
  | { type: "user"; slackUserId: string; label?: string }
  | { type: "group"; name: string; slackUsergroupId?: string };

/** Usage limits `/codex limits set` changes, by the names people type. */
export const LIMIT_FIELDS = ["max-running", "tasks-per-day", "reviews-per-day"] as const;
export type LimitField = (typeof LIMIT_FIELDS)[number];

export const LIMIT_FIELD_LABELS: Record<LimitField, string> = {
  "max-running": "Tasks running at once",
  "tasks-per-day": "Tasks per day",
  "reviews-per-day": "Code reviews per day",
};

/** Whose limit: the workspace's, or one environment's, group's or person's own. */
export type LimitTarget =
  | { type: "workspace" }
  | { type: "environment"; name: string }
  | Exclude<RoleTarget, { type: "group" }>
  | { type: "group"; name: string; slackUsergroupId?: string };

export type SlashCommand =
  | { kind: "help"; topic?: string; error?: string }
  | { kind: "whoami" }
  | { kind: "settings.show" }
  | { kind: "settings.set"; toggle: WorkspaceToggle; enabled: boolean }
  | { kind: "repo.show"; repository: string }
  | { kind: "repo.review"; repository: string; enabled: boolean }
  | { kind: "repo.auto-review"; repository: string; enabled: boolean }
  | { kind: "repo.triggers"; repository: string; triggers: ReviewTrigger[] }
  | { kind: "repo.contributors"; repository: string; contributors: ContributorsScope }
  | { kind: "env.list" }
  | { kind: "env.default"; environmentName: string }
  | { kind: "notify"; enabled: boolean; environmentName?: string }
  | { kind: "role.list" }
  | { kind: "role.grant"; role: string; target: RoleTarget }
  | { kind: "role.revoke"; role: string; target: RoleTarget }
  | { kind: "role.default"; role: string }
  | { kind: "app.list" }
  | { kind: "app.set-enabled"; app: string; enabled: boolean }
  | { kind: "app.mode"; app: string; mode: AppMode }
  | { kind: "policy.lookup"; subject: PolicySubject }
  | { kind: "review-my-prs"; enabled: boolean }
  /**
   * Your own review triggers: shown without `triggers`; `[]` turns them off in the repository, `null` goes
   * back to the repository's own triggers.
   */
  | { kind: "review.me"; repository?: string; triggers?: ReviewTrigger[] | null }
  | { kind: "explain"; id: string }
  | { kind: "cancel"; taskId: string }
  | { kind: "limits.show" }
  /** `value` null removes the limit (back to the default, or none). */
  | { kind: "limits.set"; field: LimitField; value: number | null; target: LimitTarget }
  /** Environments, policies, review filters, groups and plugins (slash-admin-types.ts). */
  | AdminCommand;

export type SlashCommandKind = SlashCommand["kind"];

/** The level a caller holds; owners hold everything Codex Admins hold, who hold everything members hold. */
export type PermissionLevel = "member" | "codex_admin" | "owner";

export const PERMISSION_LEVELS: readonly PermissionLevel[] = ["member", "codex_admin", "owner"];
