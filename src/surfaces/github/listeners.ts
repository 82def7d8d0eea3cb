import { REVIEW_TRIGGERS } from "../../routing/review-triggers";
import { answerComment, recordInstallation, reviewPullRequest } from "./effects";
import { installationEventOf, issueCommentOf, pullRequestEventOf, reviewCommentOf } from "./payloads";
import { planChangedComment } from "./plan-comment";
import { answering, type GitHubWebhooks, otherActions } from "./webhooks";

// What the GitHub surface listens to, on @octokit/webhooks' dispatch: the App's installations keep the
// repository registry, pull request events start automatic reviews by the repository's settings, and
// `@codex` comments ask for reviews and tasks. Each listener leaves its result for the adapter.

/** https://docs.github.com/webhooks/webhook-events-and-payloads#installation */
const onInstallation = answering<"installation">((deps, { payload }) =>
  recordInstallation(deps, installationEventOf(payload)),
);

/** https://docs.github.com/webhooks/webhook-events-and-payloads#installation_repositories */
const onInstallationRepositories = answering<"installation_repositories">((deps, { payload }) =>
  recordInstallation(deps, installationEventOf(payload)),
);

// https://docs.github.com/webhooks/webhook-events-and-payloads#pull_request: the actions that may start an
// automatic review, each as the repository's settings enable it.
const onPullRequestOpened = answering<"pull_request.opened">((deps, { payload }) =>
  reviewPullRequest(deps, pullRequestEventOf(payload)),
);
const onPullRequestReadyForReview = answering<"pull_request.ready_for_review">((deps, { payload }) =>
  reviewPullRequest(deps, pullRequestEventOf(payload)),
);
const onPullRequestReopened = answering<"pull_request.reopened">((deps, { payload }) =>
  reviewPullRequest(deps, pullRequestEventOf(payload)),
);
const onPullRequestSynchronize = answering<"pull_request.synchronize">((deps, { payload }) =>
  reviewPullRequest(deps, pullRequestEventOf(payload)),
);
const onPullRequestReviewRequested = answering<"pull_request.review_requested">((deps, { payload }) =>
  reviewPullRequest(deps, pullRequestEventOf(payload)),
);

/** Every other `pull_request` action (closed, labeled...): it never starts a review, its repository is kept. */
const UNTRIGGERED = otherActions("pull_request", REVIEW_TRIGGERS);
const onPullRequestOtherAction = answering<(typeof UNTRIGGERED)[number]>((deps, { payload }) =>
  reviewPullRequest(deps, pullRequestEventOf(payload)),
);

/** A comment in a pull request's conversation. https://docs.github.com/webhooks/webhook-events-and-payloads#issue_comment */
const onIssueCommentCreated = answering<"issue_comment.created">(async (deps, { payload }) => {
  const comment = issueCommentOf(payload);
  // Comments on plain issues are not for the hub (ingress already leaves them out).
  return comment ? answerComment(deps, comment) : { outcome: "ignored: a comment on an issue" };
});

/** A comment on a pull request's diff. https://docs.github.com/webhooks/webhook-events-and-payloads#pull_request_review_comment */
const onPullRequestReviewCommentCreated = answering<"pull_request_review_comment.created">(
  (deps, { payload }) => answerComment(deps, reviewCommentOf(payload)),
);

/** An edited or deleted comment: a request is made by writing a new one. */
const CHANGED_COMMENTS = [
  ...otherActions("issue_comment", ["created"]),
  ...otherActions("pull_request_review_comment", ["created"]),
];
const onCommentChanged = answering<(typeof CHANGED_COMMENTS)[number]>(async (_deps, { payload }) =>
  planChangedComment(payload.action),
);

export function listen(webhooks: GitHubWebhooks): void {
  webhooks.on("installation", onInstallation);
  webhooks.on("installation_repositories", onInstallationRepositories);
  webhooks.on("pull_request.opened", onPullRequestOpened);
  webhooks.on("pull_request.ready_for_review", onPullRequestReadyForReview);
  webhooks.on("pull_request.reopened", onPullRequestReopened);
  webhooks.on("pull_request.synchronize", onPullRequestSynchronize);
  webhooks.on("pull_request.review_requested", onPullRequestReviewRequested);
  webhooks.on(UNTRIGGERED, onPullRequestOtherAction);
  webhooks.on("issue_comment.created", onIssueCommentCreated);
  webhooks.on("pull_request_review_comment.created", onPullRequestReviewCommentCreated);
  webhooks.on(CHANGED_COMMENTS, onCommentChanged);
}
