import type { RepoPermission } from "../access/types";
import { toOutboundError } from "../clients/github/app";
import { OutboundError } from "../clients/types";
import type { Deps } from "../deps";
import { findLinkedMember } from "./identity-link";
import { findWorkspaceByLink } from "./workspaces";

// "The source system's permissions always win": what GitHub says the actor's linked login may do in the
// repository, from GET /repos/{owner}/{repo}/collaborators/{username}/permission
// (https://docs.github.com/en/rest/collaborators/collaborators#get-repository-permissions-for-a-user), asked
// with an installation token narrowed to that one repository and `metadata: read`. Answers are reused for at
// most 60 seconds, so a revoked collaborator loses access within a minute.

export const REPO_PERMISSION_TTL_MS = 60_000;

const LEVELS: ReadonlySet<string> = new Set(["admin", "maintain", "write", "triage", "read", "none"]);

/** Answers held at once, the least recently asked dropped first. */
export const REPO_PERMISSION_CACHE_SIZE = 10_000;

export interface RepoPermissionQuery {
  installationId: number | string;
  /** "owner/name". */
  repository: string;
  login: string;
}

/** `role_name` carries the finer levels (maintain, triage); custom organization roles fall back to `permission`. */
function levelOf(data: { permission?: string; role_name?: string }): RepoPermission {
  if (data.role_name && LEVELS.has(data.role_name)) return data.role_name as RepoPermission;
  if (data.permission && LEVELS.has(data.permission)) return data.permission as RepoPermission;
  return "none";
}

/** Sandbox: members linked in the installation's workspace administer every sample repository. */
async function sandboxPermission(deps: Deps, query: RepoPermissionQuery): Promise<RepoPermission> {
  const workspace = await findWorkspaceByLink(deps, "github_installation", String(query.installationId));
  if (!workspace) return "none";
  return (await findLinkedMember(deps, workspace.id, "github", query.login)) ? "admin" : "none";
}

async function askGitHub(deps: Deps, query: RepoPermissionQuery): Promise<RepoPermission> {
  if (!deps.githubApp)
    throw new OutboundError("No GitHub App is configured (GITHUB_APP_ID), so GitHub can't be asked.", false);
  const [owner, repo] = query.repository.split("/");
  const octokit = await deps.githubApp.installationOctokit({
    installationId: query.installationId,
    repositories: [query.repository],
    permissions: { metadata: "read" },
  });
  try {
    const { data } = await octokit.request("GET /repos/{owner}/{repo}/collaborators/{username}/permission", {
      owner: owner!,
      repo: repo!,
      username: query.login,
    });
    return levelOf(data as { permission?: string; role_name?: string });
  } catch (error) {
    // 404: no such user (or the repository is not in the installation): no access either way.
    if ((error as { status?: number }).status === 404) return "none";
    throw toOutboundError(error, `GitHub permission of ${query.login} on ${query.repository}`);
  }
}

/** Throws OutboundError when GitHub cannot be asked (retryable for 429/5xx): access is never assumed. */
export async function repoPermission(deps: Deps, query: RepoPermissionQuery): Promise<RepoPermission> {
  const key = `${query.installationId}|${query.repository.toLowerCase()}|${query.login.toLowerCase()}`;
  const hit = deps.caches.repoPermissions.get(key);
  if (hit !== undefined) return hit;
  const permission = deps.config.sandbox
    ? await sandboxPermission(deps, query)
    : await askGitHub(deps, query);
  deps.caches.repoPermissions.set(key, permission);
  return permission;
}
