import { describeInternet } from "./internet";
import type { Environment, InternetAccess, Permission, RepoPermission, WorkspaceToggles } from "./types";

// Cloud environments: a repository, visibility (workspace, or private to its creator and collaborators),
// collaborators with edit access, and internet access that only the workspace switch can make real.
// Running a task needs the environment to be visible AND GitHub to say the member can read the repository:
// "the source system's permissions always win", for owners and Codex Admins too.

export interface EnvironmentAccess {
  env: Environment;
  collaborators: ReadonlySet<string>;
}

export const environmentAccess = (env: Environment): EnvironmentAccess => ({
  env,
  collaborators: new Set(env.collaboratorIds),
});

/** Visibility only: Codex Admins and owners manage every environment but run tasks only where visible. */
export function canSeeEnvironment(access: EnvironmentAccess, memberId: string): boolean {
  const { env } = access;
  return env.visibility === "workspace" || env.creatorId === memberId || access.collaborators.has(memberId);
}

export interface Manager {
  isOwner: boolean;
  isCodexAdmin: boolean;
}

export type EnvCheck = { ok: true; found: string } | { ok: false; found: string };

/** Creator and collaborators edit their environment; Codex Admins and owners edit every environment. */
export function canEditEnvironment(access: EnvironmentAccess, memberId: string, who: Manager): EnvCheck {
  const { env } = access;
  if (env.creatorId === memberId) return { ok: true, found: `the member created environment ${env.name}` };
  if (access.collaborators.has(memberId))
    return { ok: true, found: `the member collaborates on ${env.name}` };
  if (who.isOwner) return { ok: true, found: "workspace owners manage every environment" };
  if (who.isCodexAdmin) return { ok: true, found: "Codex Admins manage every environment" };
  return {
    ok: false,
    found: `the member is neither creator nor collaborator of ${env.name}, nor a Codex Admin`,
  };
}

/** Deleting is narrower than editing: collaborators were given edit access, not ownership. */
export function canDeleteEnvironment(access: EnvironmentAccess, memberId: string, who: Manager): EnvCheck {
  const { env } = access;
  if (env.creatorId === memberId) return { ok: true, found: `the member created environment ${env.name}` };
  if (who.isOwner) return { ok: true, found: "workspace owners manage every environment" };
  if (who.isCodexAdmin) return { ok: true, found: "Codex Admins manage every environment" };
  return { ok: false, found: `only the creator of ${env.name}, Codex Admins and owners may delete it` };
}

const OFF: InternetAccess = Object.freeze({ mode: "off" }) as InternetAccess;

/**
 * Internet access the agent really gets: the environment's allowlist, but only where the workspace switch
 * "Allow Codex agent to access the internet" is on and the member holds `agent_internet`.
 */
export function effectiveInternet(
  env: Environment,
  toggles: Pick<WorkspaceToggles, "agentInternet">,
  permissions: { has(permission: Permission): boolean },
): { access: InternetAccess; found: string } {
  if (env.internet.mode === "off") return { access: OFF, found: "the environment has internet access off" };
  if (!toggles.agentInternet)
    return { access: OFF, found: "the workspace does not allow agent internet access" };
  if (!permissions.has("agent_internet")) return { access: OFF, found: "the member lacks agent_internet" };
  return { access: env.internet, found: describeInternet(env.internet) };
}

// A Map, not an object: the permission string may come from outside (the explain API), and an object lookup
// of "constructor" would not be a number.
const RANK: ReadonlyMap<string, number> = new Map<RepoPermission, number>([
  ["none", 0],
  ["read", 1],
  ["triage", 2],
  ["write", 3],
  ["maintain", 4],
  ["admin", 5],
]);

/** GitHub's answer decides: read (or triage) runs tasks and reviews, write and above opens and pushes PRs. */
export function repoAllows(
  need: "read" | "write",
  permission: RepoPermission,
): "ok" | "no_access" | "no_write" {
  const rank = RANK.get(permission) ?? 0;
  if (rank === 0) return "no_access";
  if (need === "write" && rank < 3) return "no_write";
  return "ok";
}
