import { canSeeEnvironment } from "../../access/environments";
import type { IndexedSnapshot } from "../../access/snapshot-index";
import type { Action, RepoPermission } from "../../access/types";
import { OutboundError } from "../../clients/types";
import type { Deps } from "../../deps";
import { decideAndRecord, type RecordedDecision } from "../../pipeline/access";
import { repoPermission } from "../../workspace/repo-permission";
import { getSnapshot } from "../../workspace/snapshot";
import type { RepoRef } from "./api";

// The access question asked on GitHub: the environment is the workspace's environment for the pull
// request's repository (the one the person may see, when there are several), and the repository check gets
// GitHub's own answer for the person's linked login.

/** The environment for `repository`: one visible to the member first, else any (the check then says why). */
export function environmentForRepository(
  snapshot: IndexedSnapshot,
  repository: string,
  memberId: string | null,
): string | undefined {
  const key = repository.toLowerCase();
  const candidates = snapshot.snapshot.environments.filter((e) => e.repository.toLowerCase() === key);
  if (memberId) {
    const visible = candidates.find((e) => {
      const access = snapshot.environments.get(e.id);
      return access ? canSeeEnvironment(access, memberId) : false;
    });
    if (visible) return visible.id;
  }
  return candidates[0]?.id;
}

/**
 * GitHub's answer for a login; null when it cannot be had for good (no GitHub App configured). A GitHub
 * outage is rethrown as retryable so the event is tried again rather than answered with a wrong denial.
 */
export async function permissionOf(deps: Deps, ref: RepoRef, login: string): Promise<RepoPermission | null> {
  try {
    return await repoPermission(deps, {
      installationId: ref.installationId,
      repository: ref.repository,
      login,
    });
  } catch (error) {
    if (error instanceof OutboundError && !error.retryable) {
      deps.logger.warn({ repository: ref.repository, error: error.message }, "repository permission unknown");
      return null;
    }
    throw error;
  }
}

export interface GitHubAccessInput {
  workspaceId: string;
  action: Action;
  /** null: the login is linked to no member (decided as an unknown GitHub actor). */
  memberId: string | null;
  login: string;
  ref: RepoRef;
  permission: RepoPermission | null;
  /** `owner/name#n`, for the audit record. */
  target: string;
}

export interface GitHubAccess extends RecordedDecision {
  environmentId: string | undefined;
}

/** Decides and records one request made on GitHub. */
export async function decideOnGitHub(deps: Deps, input: GitHubAccessInput): Promise<GitHubAccess> {
  const snapshot = await getSnapshot(deps, input.workspaceId);
  const environmentId = environmentForRepository(snapshot, input.ref.repository, input.memberId);
  const decision = await decideAndRecord(deps, {
    workspaceId: input.workspaceId,
    actorLabel: `github:${input.login}`,
    target: input.target,
    request: {
      actor: { memberId: input.memberId, platform: "github", platformUserId: input.login },
      surface: "github",
      action: input.action,
      ...(environmentId ? { environmentId } : {}),
      repoPermission: input.permission,
      // The person spoke through this very login, so it is linked whenever a member was found.
      githubLinked: input.memberId !== null,
    },
  });
  return { ...decision, environmentId };
}

/** The sandbox modes the member's managed policy allows (undefined: no policy applies). */
export function sandboxModesOf(snapshot: IndexedSnapshot, memberId: string) {
  return snapshot.members.get(memberId)?.policy.policy?.requirements.allowed_sandbox_modes;
}
