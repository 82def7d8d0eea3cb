import type { Action, WorkspaceToggles } from "./types";

// Every action is a read or a write. The app rules hang on that split: a read-only app blocks every write
// through it, and an app that requires confirmation asks the person before each write. The test for "write"
// is whether the action changes something in a connected system or in the hub's own configuration; the reply
// that answers a request (a Slack message, a review comment on the PR that asked) is the answer, not a write.

/** What the member must hold, beyond being an active, known member. Owners hold every permission. */
export type Gate =
  | "codex_cloud"
  | "codex_local"
  | "codex_admin"
  | "owner"
  /** Decided by the environment check: creator and collaborators, Codex Admins, owners. */
  | "environment_manager";

export type ToggleKey = keyof Pick<
  WorkspaceToggles,
  "codexLocal" | "codexCloud" | "githubConnector" | "codeReview"
>;

export interface ActionRule {
  effect: "read" | "write";
  /** Why this action is a read or a write (shown in the trace). */
  why: string;
  /** Used in messages: "Only Codex Admins can <label>." */
  label: string;
  /** local.use arrives only from local clients; everything else only from the other surfaces. */
  local: boolean;
  /** Workspace switches that must all be on, checked in this order. */
  toggles: readonly ToggleKey[];
  gate: Gate;
  environment: "none" | "run" | "edit" | "delete";
  /** Access to the environment's repository GitHub must confirm. */
  repo: "none" | "read" | "write";
}

// Cloud work needs the GitHub connector too: "Codex cloud requires GitHub (cloud-hosted) repositories".
const CLOUD: readonly ToggleKey[] = ["codexCloud", "githubConnector"];

const rule = (
  r: Partial<ActionRule> & Pick<ActionRule, "effect" | "why" | "label" | "gate">,
): ActionRule => ({
  local: false,
  toggles: [],
  environment: "none",
  repo: "none",
  ...r,
});

export const ACTION_RULES: Readonly<Record<Action, ActionRule>> = {
  "task.run": rule({
    effect: "read",
    why: "a task reads the repository in a hosted container and answers; opening or pushing a PR is its own action",
    label: "run Codex tasks",
    toggles: CLOUD,
    gate: "codex_cloud",
    environment: "run",
    repo: "read",
  }),
  "review.request": rule({
    effect: "read",
    why: "a review reads the pull request and answers with comments on it; it changes no code",
    label: "request code reviews",
    toggles: [...CLOUD, "codeReview"],
    gate: "codex_cloud",
    environment: "run",
    repo: "read",
  }),
  "pr.open": rule({
    effect: "write",
    why: "creates a branch and a pull request in the repository",
    label: "open pull requests",
    toggles: CLOUD,
    gate: "codex_cloud",
    environment: "run",
    repo: "write",
  }),
  "pr.push": rule({
    effect: "write",
    why: "pushes commits to a branch of the repository",
    label: "push to pull requests",
    toggles: CLOUD,
    gate: "codex_cloud",
    environment: "run",
    repo: "write",
  }),
  "settings.read": rule({
    effect: "read",
    why: "only displays workspace settings",
    label: "view Codex workspace settings",
    gate: "codex_admin",
  }),
  "settings.change": rule({
    effect: "write",
    why: "changes workspace switches for everyone",
    label: "change Codex workspace settings",
    gate: "owner",
  }),
  "analytics.read": rule({
    effect: "read",
    why: "only displays analytics",
    label: "view Codex analytics",
    gate: "codex_admin",
  }),
  "policy.read": rule({
    effect: "read",
    why: "only looks up which managed policy applies",
    label: "look up managed policies",
    gate: "codex_admin",
  }),
  "policy.manage": rule({
    effect: "write",
    why: "changes managed requirements.toml policies or their group assignment",
    label: "manage Codex policies",
    gate: "codex_admin",
  }),
  "environment.edit": rule({
    effect: "write",
    why: "changes an environment's settings",
    label: "edit this environment",
    gate: "environment_manager",
    environment: "edit",
  }),
  "environment.delete": rule({
    effect: "write",
    why: "removes an environment",
    label: "delete this environment",
    gate: "environment_manager",
    environment: "delete",
  }),
  "rbac.manage": rule({
    effect: "write",
    why: "changes roles, groups and who holds which permission",
    label: "manage roles and groups",
    gate: "owner",
  }),
  "local.use": rule({
    effect: "read",
    why: "signing in a local client changes nothing through an app; the agent runs on the developer's computer",
    label: "use Codex locally",
    local: true,
    toggles: ["codexLocal"],
    gate: "codex_local",
  }),
};
