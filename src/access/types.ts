import type { InternetPresetName } from "./internet-presets";
import type { Requirements } from "./requirements";

// Plain data describing one workspace, built from database rows by the caller and cached per workspace.
// Everything in src/access is a pure function of these values (DESIGN.md §4).

export const PERMISSIONS = ["codex_local", "codex_cloud", "codex_admin", "agent_internet"] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Workspace-wide switches (the console's Settings page, `/codex settings`). */
export interface WorkspaceToggles {
  /** "Allow members to use Codex Local" (app, CLI, IDE extension). */
  codexLocal: boolean;
  /** "Allow members to use Codex cloud" (cloud tasks, Slack and Linear tasks, code review). */
  codexCloud: boolean;
  /** The GitHub connector Codex cloud needs to reach repositories. */
  githubConnector: boolean;
  /** Code review on GitHub (Settings → Code review). */
  codeReview: boolean;
  /** Post the full answer to Slack on completion; off means a link to the task only. */
  slackFullAnswers: boolean;
  /** Same as slackFullAnswers, for Linear. */
  linearFullAnswers: boolean;
  /** "Allow Codex agent to access the internet": lets environments turn on an allowlist. */
  agentInternet: boolean;
  /**
   * Zero data retention: prompts, thread context and answers are kept only until the reply is delivered,
   * then erased (with the webhook payloads and outbound bodies that carried them); tasks keep their metadata.
   */
  zeroDataRetention: boolean;
}

/** Defaults of a new workspace: local is on by default, the agent has no internet, Slack gets links only. */
export const DEFAULT_TOGGLES: Readonly<WorkspaceToggles> = Object.freeze({
  codexLocal: true,
  codexCloud: false,
  githubConnector: false,
  codeReview: false,
  slackFullAnswers: false,
  linearFullAnswers: false,
  agentInternet: false,
  zeroDataRetention: false,
});

export interface LinkedIdentities {
  slackUserId?: string;
  /** Set only through the member's own GitHub OAuth connection or an admin's explicit mapping. */
  githubLogin?: string;
  linearUserId?: string;
}

export interface Member {
  id: string;
  email: string;
  status: "active" | "deactivated";
  isOwner: boolean;
  groupIds: string[];
  identities: LinkedIdentities;
}

export interface Group {
  id: string;
  name: string;
}

export interface Role {
  id: string;
  name: string;
  permissions: Permission[];
}

/** A custom role given to every member of a group. */
export interface RoleAssignment {
  roleId: string;
  groupId: string;
}

export type AppKind = "slack" | "github" | "linear" | "custom";

export type AppAccess =
  | { type: "all" }
  | { type: "assigned"; memberIds: string[]; groupIds: string[]; roleIds: string[] };

export interface App {
  id: string;
  name: string;
  kind: AppKind;
  enabled: boolean;
  status: "draft" | "published";
  access: AppAccess;
  mode: "read_only" | "read_write";
  /** The person must confirm each write before it runs. */
  confirmWrites: boolean;
}

export type PluginPolicy = "none" | "available" | "installed";

export interface Plugin {
  id: string;
  name: string;
  /** An admin can disable a plugin as a whole. */
  enabled: boolean;
  skills: string[];
  requiredAppIds: string[];
  optionalAppIds: string[];
  /** Installation policy per role id. */
  policyByRole: Record<string, PluginPolicy>;
  /** Policy for roles not listed; plugins are available by default in a workspace. */
  defaultPolicy: PluginPolicy;
}

/**
 * What the agent may reach: nothing, or the hosts of `domains` plus those of the named presets
 * (access/internet-presets.ts), with `methods` for plain HTTP requests (see access/internet.ts for the rule).
 */
export type InternetAccess =
  | { mode: "off" }
  | { mode: "allowlist"; domains: string[]; methods: string[]; presets?: InternetPresetName[] };

export interface Environment {
  id: string;
  name: string;
  description: string;
  /** "owner/name" on GitHub. */
  repository: string;
  visibility: "workspace" | "private";
  creatorId: string;
  /** Collaborators see a private environment and may edit it. */
  collaboratorIds: string[];
  internet: InternetAccess;
  /** The mode of a request that names none (`ask:` / `code:`); absent means code. */
  defaultMode?: "ask" | "code";
}

export interface ManagedPolicy {
  id: string;
  name: string;
  requirements: Requirements;
}

export interface PolicyAssignments {
  /** Ordered: the first rule whose group the member belongs to wins. */
  rules: { groupId: string; policyId: string }[];
  /** Applies to members matching no rule; null means no managed policy. */
  defaultPolicyId: string | null;
}

export interface WorkspaceSnapshot {
  workspaceId: string;
  toggles: WorkspaceToggles;
  members: Member[];
  groups: Group[];
  roles: Role[];
  roleAssignments: RoleAssignment[];
  /** Role for members given no custom role through their groups. */
  defaultRoleId: string | null;
  apps: App[];
  plugins: Plugin[];
  environments: Environment[];
  policies: ManagedPolicy[];
  policyAssignments: PolicyAssignments;
}

export type Platform = "slack" | "github" | "linear" | "api" | "web";
export const SURFACES = ["slack", "github", "linear", "api", "web", "local"] as const;
export type Surface = (typeof SURFACES)[number];

export const ACTIONS = [
  "task.run",
  "review.request",
  "pr.open",
  "pr.push",
  "settings.read",
  "settings.change",
  "analytics.read",
  "policy.read",
  "policy.manage",
  "environment.edit",
  "environment.delete",
  "rbac.manage",
  "local.use",
] as const;
export type Action = (typeof ACTIONS)[number];

/** What GitHub's collaborator-permission API answered for the actor's linked login. */
export type RepoPermission = "admin" | "maintain" | "write" | "triage" | "read" | "none";

export interface AccessRequest {
  actor: { memberId: string | null; platform: Platform; platformUserId?: string };
  surface: Surface;
  action: Action;
  environmentId?: string;
  /** null/undefined: unknown (no linked GitHub login, or GitHub was not asked). */
  repoPermission?: RepoPermission | null;
  /** Whether the member has a linked GitHub login; defaults to what the snapshot records. */
  githubLinked?: boolean;
  /** The person confirmed this write after being asked. */
  confirmed?: boolean;
  pluginId?: string;
}

export const DECISION_CODES = [
  "ALLOWED",
  "UNKNOWN_ACTOR",
  "IDENTITY_UNLINKED",
  "MEMBER_DEACTIVATED",
  "ACTION_NOT_SUPPORTED",
  "LOCAL_DISABLED",
  "CLOUD_DISABLED",
  "CODE_REVIEW_DISABLED",
  "GITHUB_CONNECTOR_DISABLED",
  "NO_ROLE_PERMISSION",
  "NOT_CODEX_ADMIN",
  "NOT_OWNER",
  "APP_DISABLED",
  "APP_NOT_PUBLISHED",
  "APP_NOT_ASSIGNED",
  "APP_READ_ONLY",
  "CONFIRMATION_REQUIRED",
  "PLUGIN_UNAVAILABLE",
  "ENV_NOT_FOUND",
  "ENV_NOT_VISIBLE",
  "ENV_NOT_EDITABLE",
  "REPO_NO_ACCESS",
  "REPO_NO_WRITE",
] as const;
export type DecisionCode = (typeof DECISION_CODES)[number];

export interface TraceStep {
  check: string;
  outcome: "pass" | "fail" | "skip";
  found: string;
}

export interface EffectiveAccess {
  permissions: readonly Permission[];
  roleIds: readonly string[];
  policyId?: string;
  /** Internet access the agent gets in the requested environment. */
  internet?: InternetAccess;
}

export interface Decision {
  allowed: boolean;
  code: DecisionCode;
  /** What is wrong and what to do next, for the person who asked. */
  message: string;
  trace: TraceStep[];
  effective?: EffectiveAccess;
}
