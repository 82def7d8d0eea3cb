// The administration commands of `/codex` (environments, managed policies, review filters, groups, plugins)
// as data, kept apart from the personal and settings commands in slash-types.ts so each grammar stays small.

/** Visibility as environments store it: everyone in the workspace, or the creator and collaborators only. */
export type EnvVisibility = "workspace" | "private";

/** A person named in Slack: a mention or an email. */
export type PersonRef =
  | { type: "user"; slackUserId: string; label?: string }
  | { type: "email"; email: string };

/** A workspace group named by name, or by the Slack user group mention that mirrors it. */
export interface GroupRef {
  name: string;
  slackUsergroupId?: string;
}

/** One change to an environment's internet access. */
export type InternetChange =
  | { type: "off" }
  /** An allowlist of the common-dependencies preset, or the current allowlist when already on. */
  | { type: "on" }
  | { type: "allow"; domains: string[] }
  | { type: "preset"; preset: string }
  | { type: "methods"; methods: string[] };

/** One review filter of a repository, as `/codex review filters <repo> <filter> …` sets it. */
export type ReviewFilterChange =
  | { field: "drafts"; skip: boolean }
  | { field: "branches"; values: string[] }
  | { field: "labels"; values: string[] }
  | { field: "titles"; values: string[] }
  | { field: "authors"; values: string[] }
  | { field: "priority"; value: 0 | 1 | 2 | 3 };

/** What a plugin policy sets a role to: the product's none/available/installed, or back to the default. */
export type PluginPolicyChoice = "none" | "available" | "installed" | "default";

export type AdminCommand =
  | { kind: "env.show"; environmentName: string }
  | { kind: "env.create"; name: string; repository: string }
  | { kind: "env.visibility"; environmentName: string; visibility: EnvVisibility }
  | { kind: "env.collaborators"; environmentName: string; add: boolean; person: PersonRef }
  | { kind: "env.internet"; environmentName: string; change: InternetChange }
  | { kind: "policy.list" }
  | { kind: "policy.assign"; policy: string; group: GroupRef }
  /** `policy` "none" clears the fallback. */
  | { kind: "policy.fallback"; policy: string }
  | { kind: "review.filters"; repository?: string }
  | { kind: "review.filter"; repository: string; change: ReviewFilterChange }
  | { kind: "group.list" }
  | { kind: "group.show"; group: GroupRef }
  /** `roles` as typed (comma or space separated); empty clears every role of the group. */
  | { kind: "group.roles"; group: GroupRef; roles: string }
  | { kind: "plugin.list" }
  | { kind: "plugin.policy"; plugin: string; role: string; policy: PluginPolicyChoice };

export type AdminCommandKind = AdminCommand["kind"];
