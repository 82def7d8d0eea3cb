import type { RepoPermission } from "../../access/types";
import type { RepoRef } from "../../clients/github/calls";
import { OutboundError } from "../../clients/types";
import type { Deps } from "../../deps";
import { getRepoReviewSettings, getReviewOptIn, listAllowedBots } from "../../workspace/github-settings";
import { resolveMember } from "../../workspace/identity-resolve";
import { repoPermission } from "../../workspace/repo-permission";
import { getReviewTriggerChoice } from "../../workspace/review-choices";
import { getSnapshot } from "../../workspace/snapshot";
import { listWorkspaceIds } from "../../workspace/workspaces";
import { appLogin, linkedInstallation, linkedWorkspace } from "./installations";
import type { CommentEvent, InstallationEvent, PullRequestEvent } from "./payloads";
import type { PullRequestContext, RepoScope, ScopeState } from "./plan";
import type { MentionContext } from "./plan-comment";
import type { InstallationContext } from "./plan-installation";
import { readPullRequest } from "./reads";

// What the plans (plan.ts, plan-comment.ts, plan-installation.ts) decide on, loaded once per event and only
// as far as the plan needs it: an event from an installation no workspace has costs one lookup, and GitHub is
// asked about a login only when its answer can change what happens.

/** The installation behind an event: its workspace, whether it may act, this App's login, the settings. */
export async function loadScope(
  deps: Deps,
  installationId: number | null,
  repository: string,
): Promise<ScopeState> {
  if (installationId === null) return { kind: "no-installation" };
  const installation = await linkedInstallation(deps, installationId);
  if (!installation) return { kind: "unlinked", installationId };
  if (!installation.active) return { kind: "inactive", installationId };
  const { workspaceId } = installation;
  const [login, bots, settings] = await Promise.all([
    appLogin(deps, installation.slug),
    listAllowedBots(deps, workspaceId),
    getRepoReviewSettings(deps, workspaceId, repository),
  ]);
  return {
    kind: "scoped",
    scope: {
      workspaceId,
      installationId,
      appLogin: login,
      allowedBots: bots.map((b) => b.login),
      settings: settings.settings,
    },
  };
}

/**
 * GitHub's answer for a login; null when it cannot be had for good (no GitHub App configured). A GitHub
 * outage is rethrown as retryable so the event is tried again rather than answered with a wrong denial.
 */
export async function loadPermission(
  deps: Deps,
  ref: RepoRef,
  login: string,
): Promise<RepoPermission | null> {
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

/** The context with what the pull request's plan asked for: the author as a member, or GitHub's answer. */
export async function withPullRequestFacts(
  deps: Deps,
  event: PullRequestEvent,
  scope: RepoScope,
  ctx: PullRequestContext,
  load: "people" | "permission",
): Promise<PullRequestContext> {
  const login = event.pr.authorLogin;
  if (load === "people") {
    const snapshot = await getSnapshot(deps, scope.workspaceId);
    const author = await resolveMember(deps, scope.workspaceId, { platform: "github", userId: login, login });
    const optedIn = author.memberId ? await getReviewOptIn(deps, scope.workspaceId, author.memberId) : false;
    // The author's own triggers for this repository decide along with the repository's (the PR author's choice).
    const choice = author.memberId
      ? await getReviewTriggerChoice(deps, scope.workspaceId, author.memberId, event.repository.fullName)
      : null;
    const people = {
      snapshot,
      authorMemberId: author.memberId,
      authorOptedIn: optedIn,
      ...(choice ? { authorTriggers: choice.triggers } : {}),
    };
    return { ...ctx, people };
  }
  const ref = { installationId: scope.installationId, repository: event.repository.fullName };
  return { ...ctx, authorPermission: await loadPermission(deps, ref, login) };
}

/** A mention's context: the pull request as GitHub has it now, the commenter and GitHub's answer for them. */
export async function loadMentionContext(
  deps: Deps,
  event: CommentEvent,
  scope: RepoScope,
): Promise<MentionContext> {
  const ref = { installationId: scope.installationId, repository: event.repository.fullName };
  const login = event.sender.login;
  const pr = await readPullRequest(deps, ref, event.prNumber);
  const member = await resolveMember(deps, scope.workspaceId, { platform: "github", userId: login, login });
  const permission = member.memberId ? await loadPermission(deps, ref, login) : null;
  const snapshot = await getSnapshot(deps, scope.workspaceId);
  return { scope, pr, snapshot, memberId: member.memberId, permission };
}

/** An installation's workspace; the hub's workspaces only when a new installation may join one. */
export async function loadInstallationContext(
  deps: Deps,
  event: InstallationEvent,
): Promise<InstallationContext> {
  const linkedWorkspaceId = await linkedWorkspace(deps, event.installationId);
  const joining = event.action !== "deleted" && !linkedWorkspaceId;
  return { linkedWorkspaceId, workspaceIds: joining ? await listWorkspaceIds(deps) : [] };
}
