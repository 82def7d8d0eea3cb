import { decide } from "../../access/decide";
import { canSeeEnvironment } from "../../access/environments";
import type { IndexedSnapshot } from "../../access/snapshot-index";
import type { AccessRequest, Action, Decision, RepoPermission } from "../../access/types";
import {
  evaluateReviewTrigger,
  REVIEW_TRIGGERS,
  type RepoReviewSettings,
  type ReviewTrigger,
} from "../../routing/review-triggers";
import type { Actor, PullRequestDetails, PullRequestEvent } from "./payloads";

// What the GitHub surface does with a pull request event, decided from the event and what context.ts loaded:
// ignore it, skip its review (with the reason, for the audit log), or review it. Pure: no I/O, so every
// branch is a row of a table test (test/github/plan.test.ts); effects.ts carries the plans out. Comments are
// planned in plan-comment.ts, installations in plan-installation.ts.

export type Ignore = { kind: "ignore"; outcome: string };
const ignore = (outcome: string): Ignore => ({ kind: "ignore", outcome });

// ---- The installation an event came through, and the repository's settings ----

/** What every event is decided against once its installation is known to the hub. */
export interface RepoScope {
  workspaceId: string;
  installationId: number;
  /** This App's own login (`<slug>[bot]`), when the hub knows it. */
  appLogin: string | null;
  allowedBots: string[];
  settings: RepoReviewSettings;
}

/** Where the event's installation stands (context.ts loads only as far as it gets). */
export type ScopeState =
  | { kind: "no-installation" }
  | { kind: "unlinked"; installationId: number }
  | { kind: "inactive"; installationId: number }
  | { kind: "scoped"; scope: RepoScope };

/** Why an event is not for any workspace. */
export function outOfScope(state: Exclude<ScopeState, { kind: "scoped" }>): Ignore {
  switch (state.kind) {
    case "no-installation":
      return ignore("ignored: the event names no App installation");
    case "unlinked":
      return ignore(
        `ignored: installation ${state.installationId} is not linked to a workspace (an admin can claim it)`,
      );
    case "inactive":
      return ignore(`ignored: installation ${state.installationId} is suspended or deleted`);
  }
}

const same = (a: string | null | undefined, b: string | null | undefined) =>
  Boolean(a && b && a.toLowerCase() === b.toLowerCase());

/** Null when the actor may be listened to; otherwise why not (`SENDER_IS_APP`, `SENDER_IS_BOT`). */
export function actorGuard(scope: RepoScope, actor: Actor): { code: string; detail: string } | null {
  if (same(actor.login, scope.appLogin)) {
    return { code: "SENDER_IS_APP", detail: `${actor.login} is this App; its own events are ignored` };
  }
  if (actor.isBot && !scope.allowedBots.some((b) => same(b, actor.login))) {
    return { code: "SENDER_IS_BOT", detail: `${actor.login} is a bot that is not allow-listed` };
  }
  return null;
}

/** The pull request's head is in another repository (Codex reviews it, but never pushes there). */
export const isFork = (repository: string, pr: Pick<PullRequestDetails, "headRepoFullName">) =>
  pr.headRepoFullName !== null && pr.headRepoFullName.toLowerCase() !== repository.toLowerCase();

// ---- The access question asked on GitHub ----

/** An access decision with the request it answers and how the audit log names it, to be recorded as it is. */
export interface Decided {
  request: AccessRequest;
  decision: Decision;
  /** `github:<login>`. */
  actor: string;
  /** `owner/name#n`, for the audit record. */
  target: string;
}

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
 * One request made on GitHub, decided on the snapshot. `memberId` null: the login is linked to no member (an
 * unknown GitHub actor). The repository check gets GitHub's own answer for the login.
 */
export function decideOnGitHub(
  snapshot: IndexedSnapshot,
  input: {
    action: Action;
    memberId: string | null;
    login: string;
    repository: string;
    permission: RepoPermission | null;
    target: string;
  },
): { access: Decided; environmentId: string | undefined } {
  const environmentId = environmentForRepository(snapshot, input.repository, input.memberId);
  const request: AccessRequest = {
    actor: { memberId: input.memberId, platform: "github", platformUserId: input.login },
    surface: "github",
    action: input.action,
    ...(environmentId ? { environmentId } : {}),
    repoPermission: input.permission,
    // The person spoke through this very login, so it is linked whenever a member was found.
    githubLinked: input.memberId !== null,
  };
  const access = {
    request,
    decision: decide(request, snapshot),
    actor: `github:${input.login}`,
    target: input.target,
  };
  return { access, environmentId };
}

// ---- Automatic reviews (`pull_request` events) ----
//
// Whose review is it? A member's pull request is reviewed as that member's request: their roles, the GitHub
// app's assignment and GitHub's answer for their login all apply. With the repository set to everyone's PRs,
// pull requests of people who are not members (outside contributors) are reviewed too, as the workspace's own
// review: the access check runs for the workspace owner, with the installation's access to the repository
// standing in for a person's (GitHub delivered the event through it). Such a review only reads the diff and
// comments; nobody outside the workspace can start a task, push, or make Codex run anything else.

/** Who the pull request is of, loaded once the event passed the guards. */
export interface PullRequestPeople {
  snapshot: IndexedSnapshot;
  authorMemberId: string | null;
  /** Whether the author (a member) turned on reviews of their own pull requests. */
  authorOptedIn: boolean;
  /** The author's own triggers for this repository, when they chose some (review-choices.ts). */
  authorTriggers?: readonly ReviewTrigger[];
}

export interface PullRequestContext {
  scope: ScopeState;
  people?: PullRequestPeople;
  /** GitHub's answer for the author's login (null: it could not say), asked only when the plan needs it. */
  authorPermission?: RepoPermission | null;
}

export type PullRequestPlan =
  | Ignore
  /** Not reviewed, recorded in the audit log (`review.skip`) with the reason; `access` is recorded first. */
  | { kind: "skip"; scope: RepoScope; reason: string; detail: string; access?: Decided }
  | {
      kind: "review";
      scope: RepoScope;
      trigger: ReviewTrigger;
      requesterMemberId: string;
      environmentId: string | undefined;
      permission: RepoPermission | null;
      access: Decided;
    }
  /** What to load before planning again: the people, or GitHub's answer for the author. */
  | { kind: "need"; load: "people" | "permission" };

/** `owner/name#n@<head>`: what the audit log names for a review. */
export const reviewTarget = (event: PullRequestEvent) =>
  `${event.repository.fullName}#${event.pr.number}@${event.pr.headSha.slice(0, 7)}`;

/** The owner who answers for the workspace's reviews of outside contributors' pull requests. */
function workspaceOwner(snapshot: IndexedSnapshot): string | null {
  const owner = snapshot.snapshot.members.find((m) => m.isOwner && m.status === "active");
  return owner?.id ?? null;
}

export function planPullRequest(event: PullRequestEvent, ctx: PullRequestContext): PullRequestPlan {
  if (ctx.scope.kind !== "scoped") return outOfScope(ctx.scope);
  const { scope } = ctx.scope;
  const skip = (reason: string, detail: string, access?: Decided): PullRequestPlan => ({
    kind: "skip",
    scope,
    reason,
    detail,
    ...(access ? { access } : {}),
  });
  if (!(REVIEW_TRIGGERS as readonly string[]).includes(event.action)) {
    return ignore(`ignored: pull_request.${event.action} never starts a review`);
  }
  const guard = actorGuard(scope, event.sender);
  if (guard) return skip(guard.code, guard.detail);
  if (!ctx.people) return { kind: "need", load: "people" };

  const { snapshot, authorMemberId } = ctx.people;
  const { pr } = event;
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
      authorOptedIn: ctx.people.authorOptedIn,
      ...(ctx.people.authorTriggers ? { authorTriggers: ctx.people.authorTriggers } : {}),
      ...(scope.appLogin ? { appLogin: scope.appLogin } : {}),
      allowedBots: scope.allowedBots,
    },
  );
  if (!verdict.review) return skip(verdict.reason, verdict.detail);

  // Reached without a member only for everyone's PRs: `opted_in` already skipped authors who are not members.
  const asWorkspace = authorMemberId === null;
  const requester = authorMemberId ?? workspaceOwner(snapshot);
  if (!requester) return skip("NO_OWNER", "the workspace has no active owner to answer for its reviews");
  if (!asWorkspace && ctx.authorPermission === undefined) return { kind: "need", load: "permission" };
  const permission = asWorkspace ? "read" : (ctx.authorPermission ?? null);
  const { access, environmentId } = decideOnGitHub(snapshot, {
    action: "review.request",
    memberId: requester,
    login: asWorkspace ? `${pr.authorLogin} (workspace review)` : pr.authorLogin,
    repository: event.repository.fullName,
    permission,
    target: reviewTarget(event),
  });
  if (!access.decision.allowed) {
    return skip("ACCESS_DENIED", `${access.decision.code}: ${access.decision.message}`, access);
  }
  return {
    kind: "review",
    scope,
    trigger: verdict.trigger,
    requesterMemberId: requester,
    environmentId,
    permission,
    access,
  };
}
