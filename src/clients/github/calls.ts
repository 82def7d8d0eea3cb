import type { RestEndpointMethodTypes as Rest } from "@octokit/rest";
import type { GitHubPermissions, GitHubRequest, GitHubTarget } from "../types";

// Every GitHub call the hub makes, one builder each, by the Octokit route rest.ts performs. Each names who
// makes it as the request's `target`: the installation, its one repository and the least permissions the
// call needs, so the REST client mints a token narrowed to exactly that
// (https://docs.github.com/en/rest/apps/apps#create-an-installation-access-token-for-an-app). The outbox
// stores the target next to the args, so a retry goes out with the same narrow token.

/** The installation and the repository (`owner/name`) a call is about; the permissions are the call's own. */
export type RepoRef = Pick<GitHubTarget, "installationId" | "repository">;

/** A route's own parameters as Octokit types them: the repository comes from the target, the rest is Octokit's. */
type Params<M extends { parameters: object }> = {
  [K in keyof M["parameters"] as string extends K
    ? never
    : K extends "owner" | "repo" | "headers" | "request" | "mediaType" | "baseUrl"
      ? never
      : K]: M["parameters"][K];
};

const READ_PR: GitHubPermissions = { pull_requests: "read" };
const READ_CONTENTS: GitHubPermissions = { contents: "read" };
/** Comments and reactions on a pull request's conversation need `pull_requests: write`, not `issues`. */
const WRITE_PR: GitHubPermissions = { pull_requests: "write" };

const call = (
  ref: RepoRef,
  operation: string,
  permissions: GitHubPermissions,
  args: object,
): GitHubRequest => ({
  platform: "github",
  operation,
  target: { installationId: ref.installationId, repository: ref.repository, permissions },
  args: { ...args },
});

// ---- Pull requests (https://docs.github.com/en/rest/pulls) ----

/** A pull request: head, base, author, draft. */
export const getPullRequest = (ref: RepoRef, args: Params<Rest["pulls"]["get"]>) =>
  call(ref, "GET /repos/{owner}/{repo}/pulls/{pull_number}", READ_PR, args);

/** One page of a pull request's changed files, each with its patch. */
export const listPullRequestFiles = (ref: RepoRef, args: Params<Rest["pulls"]["listFiles"]>) =>
  call(ref, "GET /repos/{owner}/{repo}/pulls/{pull_number}/files", READ_PR, args);

/** A pull request review: a summary and inline comments on the diff. */
export const createReview = (ref: RepoRef, args: Params<Rest["pulls"]["createReview"]>) =>
  call(ref, "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews", WRITE_PR, args);

/** The comments of one review. */
export const listReviewComments = (ref: RepoRef, args: Params<Rest["pulls"]["listCommentsForReview"]>) =>
  call(ref, "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}/comments", READ_PR, args);

/** Every review comment of a pull request. */
export const listPullRequestReviewComments = (
  ref: RepoRef,
  args: Params<Rest["pulls"]["listReviewComments"]>,
) => call(ref, "GET /repos/{owner}/{repo}/pulls/{pull_number}/comments", READ_PR, args);

/** A pull request from a branch the task pushed. */
export const createPullRequest = (ref: RepoRef, args: Params<Rest["pulls"]["create"]>) =>
  call(ref, "POST /repos/{owner}/{repo}/pulls", WRITE_PR, args);

// ---- A pull request's conversation (an issue: https://docs.github.com/en/rest/issues/comments) ----

/** A comment on the pull request's conversation. */
export const commentOnPullRequest = (ref: RepoRef, args: Params<Rest["issues"]["createComment"]>) =>
  call(ref, "POST /repos/{owner}/{repo}/issues/{issue_number}/comments", WRITE_PR, args);

// ---- Reactions (https://docs.github.com/en/rest/reactions) ----

export type Reaction = Params<Rest["reactions"]["createForIssue"]>["content"];
/** Where a comment was written: the pull request's conversation, or a review thread on the diff. */
export type CommentSource = "issue_comment" | "review_comment";

/** A reaction on the pull request itself. */
export const reactToPullRequest = (ref: RepoRef, args: Params<Rest["reactions"]["createForIssue"]>) =>
  call(ref, "POST /repos/{owner}/{repo}/issues/{issue_number}/reactions", WRITE_PR, args);

/** A reaction on a comment, in the conversation or in a review thread. */
export const reactToComment = (
  ref: RepoRef,
  source: CommentSource,
  args: Params<Rest["reactions"]["createForIssueComment"]>,
) =>
  call(
    ref,
    source === "issue_comment"
      ? "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"
      : "POST /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions",
    WRITE_PR,
    args,
  );

/** The reactions on a review comment (GitHub sends no webhook for them). */
export const listReviewCommentReactions = (
  ref: RepoRef,
  args: Params<Rest["reactions"]["listForPullRequestReviewComment"]>,
) => call(ref, "GET /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions", READ_PR, args);

// ---- Contents (https://docs.github.com/en/rest/repos/contents) ----

/** A file at a commit (`ref`), base64 encoded. */
export const getContent = (ref: RepoRef, args: Params<Rest["repos"]["getContent"]>) =>
  call(ref, "GET /repos/{owner}/{repo}/contents/{path}", READ_CONTENTS, args);

/** Takes back a reaction on a comment (the hub's 👀 once the task ended); the id is the one GitHub answered. */
export const deleteCommentReaction = (
  ref: RepoRef,
  source: CommentSource,
  args: Params<Rest["reactions"]["deleteForIssueComment"]>,
) =>
  call(
    ref,
    source === "issue_comment"
      ? "DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions/{reaction_id}"
      : "DELETE /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions/{reaction_id}",
    WRITE_PR,
    args,
  );

// ---- Check runs (https://docs.github.com/en/rest/checks/runs) ----

const WRITE_CHECKS: GitHubPermissions = { checks: "write" };

/** A check run on a commit: a review's state in the pull request's checks. */
export const createCheckRun = (ref: RepoRef, args: Params<Rest["checks"]["create"]>) =>
  call(ref, "POST /repos/{owner}/{repo}/check-runs", WRITE_CHECKS, args);

/** A check run moved on: in progress, or completed with its conclusion. */
export const updateCheckRun = (ref: RepoRef, args: Params<Rest["checks"]["update"]>) =>
  call(ref, "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}", WRITE_CHECKS, args);
