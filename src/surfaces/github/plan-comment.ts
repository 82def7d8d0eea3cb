import type { IndexedSnapshot } from "../../access/snapshot-index";
import type { Decision, InternetAccess, RepoPermission } from "../../access/types";
import { type GithubMention, parseGithubMention } from "../../routing/github-mention";
import type { TaskMode } from "../../tasks/types";
import type { CommentEvent, PullRequestDetails } from "./payloads";
import {
  actorGuard,
  type Decided,
  decideOnGitHub,
  type Ignore,
  isFork,
  outOfScope,
  type RepoScope,
  type ScopeState,
} from "./plan";

// `@codex review` and `@codex <task>` on pull request comments (conversation comments and review comments),
// decided from the comment and what context.ts loaded. Identity first (the GitHub login must be linked to a
// member), then the access check for the commenter. A refusal is explained once per pull request and nothing
// the person wrote goes further: only an allowed request becomes a task. Pure, like plan.ts.

/** An edited or deleted comment asks nothing. */
export const planChangedComment = (action: string): Ignore => ({
  kind: "ignore",
  outcome: `ignored: comment ${action}`,
});

export type CommentPlan =
  | Ignore
  | {
      kind: "listen";
      scope: RepoScope;
      /** A reply in a review thread: it may answer one of Codex's findings (feedback.ts). */
      recordFeedback: boolean;
      mention: GithubMention | null;
    };

/** `@codex`, or the App's own handle when it was installed under another name. */
export function mentionIn(body: string, scope: Pick<RepoScope, "appLogin">): GithubMention | null {
  const byName = parseGithubMention(body);
  if (byName) return byName;
  const slug = scope.appLogin?.replace(/\[bot\]$/, "");
  return slug && slug.toLowerCase() !== "codex" ? parseGithubMention(body, { handle: slug }) : null;
}

export function planComment(event: CommentEvent, state: ScopeState): CommentPlan {
  if (state.kind !== "scoped") return outOfScope(state);
  const { scope } = state;
  const guard = actorGuard(scope, event.sender);
  if (guard) return { kind: "ignore", outcome: `ignored (${guard.code}): ${guard.detail}` };
  return {
    kind: "listen",
    scope,
    recordFeedback: event.source === "review_comment" && event.comment.inReplyToId !== null,
    mention: mentionIn(event.comment.body, scope),
  };
}

/** What a mention's plan reads: the pull request as GitHub has it now, and the commenter. */
export interface MentionContext {
  scope: RepoScope;
  pr: PullRequestDetails;
  snapshot: IndexedSnapshot;
  memberId: string | null;
  /** GitHub's answer for the commenter's login, asked for members only (null: unknown). */
  permission: RepoPermission | null;
}

export type MentionPlan =
  /** Refused by the access check: explained once per pull request. */
  | { kind: "refuse"; what: "review" | "task"; access: Decided; message: string }
  /** Allowed, but the repository's reviews are off: said once per pull request. */
  | { kind: "review-off"; access: Decided; code: "REVIEW_DISABLED"; message: string }
  | {
      kind: "review";
      access: Decided;
      requesterMemberId: string;
      environmentId: string | undefined;
      focus?: string;
    }
  | {
      kind: "task";
      access: Decided;
      /** Whether its changes may be pushed; null: never asked (a fork is never pushed to). */
      push: Decided | null;
      memberId: string;
      environmentId: string | undefined;
      prompt: string;
      /** `@codex ask: …` / `@codex code: …`; absent: the environment's default. */
      mode?: TaskMode;
      fromFork: boolean;
      /** How the task runs in its environment; absent when no environment uses the repository. */
      execution?: {
        id: string;
        repository: string;
        internet: InternetAccess;
        allowedSandboxModes?: NonNullable<ReturnType<typeof sandboxModesOf>>;
        canWrite: boolean;
        noWriteReason?: string;
      };
    };

/** The sandbox modes the member's managed policy allows (undefined: no policy applies). */
export function sandboxModesOf(snapshot: IndexedSnapshot, memberId: string) {
  return snapshot.members.get(memberId)?.policy.policy?.requirements.allowed_sandbox_modes;
}

/** What the refused person reads on GitHub (the decision's own words, except where GitHub needs others). */
export function denialMessage(decision: Decision, repository: string, login: string): string {
  switch (decision.code) {
    case "UNKNOWN_ACTOR":
      return `Codex doesn't know the GitHub account @${login} in this workspace, so it can't act on requests from it. If you are a member, connect your GitHub account (ask Codex in Slack and follow its "Connect GitHub" link), or ask a workspace admin to map your login to your member account; then ask again.`;
    case "ENV_NOT_FOUND":
      return `No Codex environment uses ${repository} yet, so Codex can't work on it. Ask a workspace admin to create one, then ask again.`;
    default:
      return decision.message;
  }
}

export function planMention(event: CommentEvent, mention: GithubMention, ctx: MentionContext): MentionPlan {
  const repository = event.repository.fullName;
  const login = event.sender.login;
  const ask = (action: "review.request" | "task.run" | "pr.push") =>
    decideOnGitHub(ctx.snapshot, {
      action,
      memberId: ctx.memberId,
      login,
      repository,
      permission: ctx.permission,
      target: `${repository}#${ctx.pr.number}`,
    });
  const refuse = (what: "review" | "task", access: Decided): MentionPlan => ({
    kind: "refuse",
    what,
    access,
    message: denialMessage(access.decision, repository, login),
  });

  if (mention.kind === "review") {
    const { access, environmentId } = ask("review.request");
    // An allowed decision always has a member: an unknown login is refused as UNKNOWN_ACTOR.
    if (!access.decision.allowed || !ctx.memberId) return refuse("review", access);
    if (!ctx.scope.settings.reviewEnabled) {
      return {
        kind: "review-off",
        access,
        code: "REVIEW_DISABLED",
        message: `Code review is turned off for ${repository}. A workspace admin can turn it on in the repository's review settings.`,
      };
    }
    return {
      kind: "review",
      access,
      requesterMemberId: ctx.memberId,
      environmentId,
      ...(mention.focus ? { focus: mention.focus } : {}),
    };
  }

  const { access, environmentId } = ask("task.run");
  if (!access.decision.allowed || !ctx.memberId) return refuse("task", access);
  // Whether its changes may be pushed is its own decision (`pr.push`: write access on GitHub, a read-write
  // app); a fork is never pushed to.
  const fromFork = isFork(repository, ctx.pr);
  const push = fromFork ? null : ask("pr.push").access;
  const noWriteReason = fromFork
    ? "the pull request comes from a fork, and Codex never pushes to forks"
    : push && !push.decision.allowed
      ? push.decision.message
      : undefined;
  const sandboxModes = sandboxModesOf(ctx.snapshot, ctx.memberId);
  return {
    kind: "task",
    access,
    push,
    memberId: ctx.memberId,
    environmentId,
    prompt: mention.prompt,
    ...(mention.mode ? { mode: mention.mode } : {}),
    fromFork,
    ...(environmentId
      ? {
          execution: {
            id: environmentId,
            repository,
            internet: access.decision.effective?.internet ?? { mode: "off" },
            ...(sandboxModes ? { allowedSandboxModes: sandboxModes } : {}),
            canWrite: Boolean(push?.decision.allowed) && !fromFork,
            ...(noWriteReason ? { noWriteReason } : {}),
          },
        }
      : {}),
  };
}
