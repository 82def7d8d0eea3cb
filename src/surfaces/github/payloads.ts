import type { EmitterWebhookEvent } from "@octokit/webhooks";
import type { CommentSource } from "../../clients/github/calls";

// What the surface reads of GitHub's webhook payloads, as @octokit/webhooks types them
// (https://docs.github.com/webhooks/webhook-events-and-payloads), reduced to the few facts the plans decide
// on. Ingress checked each payload against the hub's own schema of these fields (src/ingress/github/schema.ts),
// which is looser than GitHub's documentation in places (a missing `draft`, a null comment body), so those
// are read defensively here.

export type PullRequestPayload = EmitterWebhookEvent<"pull_request">["payload"];
export type IssueCommentPayload = EmitterWebhookEvent<"issue_comment.created">["payload"];
export type ReviewCommentPayload = EmitterWebhookEvent<"pull_request_review_comment.created">["payload"];
export type InstallationPayload = EmitterWebhookEvent<
  "installation" | "installation_repositories"
>["payload"];

export interface Actor {
  login: string;
  id: number;
  isBot: boolean;
}

export interface Repo {
  id: number;
  /** `owner/name`. */
  fullName: string;
  isPrivate: boolean;
}

/** A pull request as a review or a task reads it (from an event, or GitHub's answer for a comment's). */
export interface PullRequestDetails {
  number: number;
  title: string;
  state: string;
  draft: boolean;
  htmlUrl: string;
  authorLogin: string;
  authorIsBot: boolean;
  headSha: string;
  headRef: string;
  /** null when the head repository was deleted. */
  headRepoFullName: string | null;
  baseRef: string;
  baseSha: string;
  labels: string[];
}

/** A `pull_request` event. */
export interface PullRequestEvent {
  action: string;
  installationId: number | null;
  repository: Repo;
  sender: Actor;
  pr: PullRequestDetails;
  /** For `review_requested`: the login asked to review (a team request names none). */
  requestedReviewer: string | null;
}

/** A comment created on a pull request: in its conversation, or in a review thread on the diff. */
export interface CommentEvent {
  source: CommentSource;
  installationId: number | null;
  repository: Repo;
  sender: Actor;
  prNumber: number;
  comment: { id: number; body: string; htmlUrl: string; inReplyToId: number | null; path: string | null };
}

/** An `installation` or `installation_repositories` event. */
export interface InstallationEvent {
  /** created, deleted, suspend, unsuspend, new_permissions_accepted, added, removed */
  action: string;
  installationId: number;
  /** The App's slug (`installation.app_slug`): its own comments come from `<slug>[bot]`. */
  appSlug: string | null;
  account: { login: string; id: number; type: string };
  sender: Actor;
  repositoriesAdded: Repo[];
  repositoriesRemoved: Repo[];
}

interface UserWire {
  login: string;
  id: number;
  type?: string;
}

interface RepoWire {
  id: number;
  full_name: string;
  private?: boolean;
}

export const actorOf = (user: UserWire): Actor => ({
  login: user.login,
  id: user.id,
  isBot: user.type === "Bot" || user.login.endsWith("[bot]"),
});

export const repoOf = (repo: RepoWire): Repo => ({
  id: repo.id,
  fullName: repo.full_name,
  isPrivate: Boolean(repo.private),
});

export function pullRequestEventOf(payload: PullRequestPayload): PullRequestEvent {
  const pr = payload.pull_request;
  // Always there (the ingress schema requires it); GitHub's types allow a deleted account's null.
  const author = actorOf(pr.user ?? { login: "ghost", id: 0 });
  const reviewer = "requested_reviewer" in payload ? payload.requested_reviewer : null;
  // GitHub's types leave out `installation` (and make `sender` optional) for a few actions that carry them
  // like the others; the ingress schema requires a sender.
  const installation = "installation" in payload ? payload.installation : undefined;
  return {
    action: payload.action,
    installationId: installation?.id ?? null,
    repository: repoOf(payload.repository),
    sender: actorOf(payload.sender ?? { login: "ghost", id: 0 }),
    requestedReviewer: reviewer?.login ?? null,
    pr: {
      number: pr.number,
      title: pr.title,
      state: pr.state,
      draft: Boolean(pr.draft),
      htmlUrl: pr.html_url,
      authorLogin: author.login,
      authorIsBot: author.isBot,
      headSha: pr.head.sha,
      headRef: pr.head.ref,
      headRepoFullName: pr.head.repo?.full_name ?? null,
      baseRef: pr.base.ref,
      baseSha: pr.base.sha,
      labels: (pr.labels ?? []).map((l) => l.name),
    },
  };
}

type CommentWire = IssueCommentPayload["comment"] | ReviewCommentPayload["comment"];

const commentOf = (comment: CommentWire): CommentEvent["comment"] => ({
  id: comment.id,
  body: comment.body ?? "",
  htmlUrl: comment.html_url,
  inReplyToId: ("in_reply_to_id" in comment ? comment.in_reply_to_id : null) ?? null,
  path: ("path" in comment ? comment.path : null) ?? null,
});

/** `issue_comment.created`; null for a comment on a plain issue (ingress drops those already). */
export function issueCommentOf(payload: IssueCommentPayload): CommentEvent | null {
  if (!payload.issue.pull_request) return null;
  return {
    source: "issue_comment",
    installationId: payload.installation?.id ?? null,
    repository: repoOf(payload.repository),
    sender: actorOf(payload.sender),
    prNumber: payload.issue.number,
    comment: commentOf(payload.comment),
  };
}

/** `pull_request_review_comment.created`. */
export function reviewCommentOf(payload: ReviewCommentPayload): CommentEvent {
  return {
    source: "review_comment",
    installationId: payload.installation?.id ?? null,
    repository: repoOf(payload.repository),
    sender: actorOf(payload.sender),
    prNumber: payload.pull_request.number,
    comment: commentOf(payload.comment),
  };
}

export function installationEventOf(payload: InstallationPayload): InstallationEvent {
  const { installation } = payload;
  const account = installation.account;
  const added =
    "repositories_added" in payload
      ? payload.repositories_added
      : payload.action === "created"
        ? payload.repositories
        : undefined;
  return {
    action: payload.action,
    installationId: installation.id,
    appSlug: installation.app_slug ?? null,
    account: {
      login: (account && "login" in account ? account.login : account?.slug) ?? "",
      id: account?.id ?? 0,
      type: (account && "type" in account ? account.type : undefined) ?? "",
    },
    sender: actorOf(payload.sender),
    repositoriesAdded: (added ?? []).map(repoOf),
    // GitHub's types make a removed repository's fields optional; the ingress schema requires them.
    repositoriesRemoved: ("repositories_removed" in payload ? payload.repositories_removed : []).map((r) =>
      repoOf(r as RepoWire),
    ),
  };
}
