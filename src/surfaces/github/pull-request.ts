import type { IndexedSnapshot } from "../../access/snapshot-index";
import type { BatchQuery } from "../../db/types";
import type { Deps } from "../../deps";
import { auditQuery } from "../../governance/audit";
import type { StepResult } from "../../inbox/processor";
import type { GitHubEvent } from "../../ingress/events";
import { evaluateReviewTrigger, REVIEW_TRIGGERS } from "../../routing/review-triggers";
import { getReviewOptIn } from "../../workspace/github-settings";
import { resolveMember } from "../../workspace/identity-resolve";
import { getSnapshot } from "../../workspace/snapshot";
import { decideOnGitHub, permissionOf } from "./access";
import type { PullRequestDetails, RepoRef } from "./api";
import { actorGuard, repoScope } from "./guards";
import { repositoryUpsert } from "./installations";
import { startReview } from "./reviews";

// Automatic reviews. A `pull_request` event goes through the repository's trigger settings (a pure decision
// with a reason), then the access check, then becomes one review per (pull request, head, trigger). Every
// skip is recorded in the audit log (`review.skip`, with the reason) so "why was my PR not reviewed?" has an
// answer through the API and `/codex explain <id>`.
//
// Whose review is it? A member's pull request is reviewed as that member's request: their roles, the
// GitHub app's assignment and GitHub's answer for their login all apply. With the repository set to
// everyone's PRs, pull requests of people who are not members (outside contributors) are reviewed too, as
// the workspace's own review: the access check runs for the workspace owner, with the installation's access
// to the repository standing in for a person's (GitHub delivered the event through it). Such a review only
// reads the diff and comments; nobody outside the workspace can start a task, push, or make Codex run
// anything else — `@codex` comments are always checked for the commenter.

type PullRequestEvent = Extract<GitHubEvent, { kind: "pull_request" }>;

export function detailsOf(event: PullRequestEvent): PullRequestDetails {
  const pr = event.pullRequest;
  return {
    number: pr.number,
    title: pr.title,
    state: pr.state,
    draft: pr.draft,
    htmlUrl: pr.htmlUrl,
    authorLogin: pr.author.login,
    authorIsBot: pr.author.isBot,
    headSha: pr.headSha,
    headRef: pr.headRef,
    headRepoFullName: pr.headRepoFullName,
    baseRef: pr.baseRef,
    baseSha: pr.baseSha,
    labels: pr.labels,
  };
}

/** The owner who answers for the workspace's reviews of outside contributors' pull requests. */
function workspaceOwner(snapshot: IndexedSnapshot): string | null {
  const owner = snapshot.snapshot.members.find((m) => m.isOwner && m.status === "active");
  return owner?.id ?? null;
}

const same = (a: string | null | undefined, b: string | null | undefined) =>
  Boolean(a && b && a.toLowerCase() === b.toLowerCase());

export async function handlePullRequest(deps: Deps, event: PullRequestEvent): Promise<StepResult> {
  const repository = event.repository.fullName;
  const scoped = await repoScope(deps, event.installationId, repository);
  if (!scoped.ok) return { outcome: scoped.outcome };
  const { scope } = scoped;
  const ref: RepoRef = { installationId: scope.installationId, repository };
  const writes: BatchQuery[] = [repositoryUpsert(deps, scope.installationId, event.repository)];
  const pr = detailsOf(event);
  const target = `${repository}#${pr.number}@${pr.headSha.slice(0, 7)}`;

  const skip = (reason: string, detail: string, decisionId?: string): StepResult => {
    const audit = auditQuery(deps, {
      workspaceId: scope.workspaceId,
      actor: `github:${event.sender.login}`,
      action: "review.skip",
      target,
      after: {
        reason,
        detail,
        action: event.action,
        headSha: pr.headSha,
        ...(decisionId ? { decisionId } : {}),
      },
    });
    writes.push(...audit.queries);
    return { outcome: `review skipped (${reason}): ${detail} [${audit.id}]`, writes };
  };

  if (!(REVIEW_TRIGGERS as readonly string[]).includes(event.action)) {
    return { outcome: `ignored: pull_request.${event.action} never starts a review`, writes };
  }
  const guard = actorGuard(scope, event.sender);
  if (guard) return skip(guard.code, guard.detail);

  const snapshot = await getSnapshot(deps, scope.workspaceId);
  const author = await resolveMember(deps, scope.workspaceId, {
    platform: "github",
    userId: pr.authorLogin,
    login: pr.authorLogin,
  });
  const optedIn = author.memberId ? await getReviewOptIn(deps, scope.workspaceId, author.memberId) : false;
  const slug = scope.appLogin?.replace(/\[bot\]$/, "");
  const verdict = evaluateReviewTrigger(
    {
      action: event.action,
      draft: pr.draft,
      baseRef: pr.baseRef,
      headSha: pr.headSha,
      labels: pr.labels,
      title: pr.title,
      authorLogin: pr.authorLogin,
      authorIsBot: pr.authorIsBot,
      requestedReviewerIsApp:
        same(event.requestedReviewer, scope.appLogin) || same(event.requestedReviewer, slug),
    },
    scope.settings,
    {
      workspaceCodeReview: snapshot.snapshot.toggles.codeReview,
      authorOptedIn: optedIn,
      ...(scope.appLogin ? { appLogin: scope.appLogin } : {}),
      allowedBots: scope.allowedBots,
    },
  );
  if (!verdict.review) return skip(verdict.reason, verdict.detail);

  let requester: string | null = author.memberId;
  const asWorkspace = requester === null;
  if (asWorkspace) {
    // Reached only for everyone's PRs: `opted_in` already skipped authors who are not members.
    requester = workspaceOwner(snapshot);
    if (!requester) return skip("NO_OWNER", "the workspace has no active owner to answer for its reviews");
  }
  const permission = asWorkspace ? "read" : await permissionOf(deps, ref, pr.authorLogin);
  const decision = await decideOnGitHub(deps, {
    workspaceId: scope.workspaceId,
    action: "review.request",
    memberId: requester,
    login: asWorkspace ? `${pr.authorLogin} (workspace review)` : pr.authorLogin,
    ref,
    permission,
    target,
  });
  if (!decision.allowed) {
    return skip("ACCESS_DENIED", `${decision.code}: ${decision.message}`, decision.decisionId);
  }
  const started = await startReview(deps, {
    workspaceId: scope.workspaceId,
    ref,
    pr,
    trigger: verdict.trigger,
    requesterMemberId: requester!,
    environmentId: decision.environmentId,
    settings: scope.settings,
    permission,
  });
  const superseded = started.superseded.length > 0 ? `; superseded ${started.superseded.join(", ")}` : "";
  return {
    outcome: `${started.created ? "review started" : "review already started"} for ${target} (${verdict.trigger}): task ${started.review.taskId} [${decision.decisionId}]${superseded}`,
    writes,
  };
}
