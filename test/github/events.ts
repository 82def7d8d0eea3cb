import { githubExample } from "../helpers/github-examples";
import { BASE, HEAD, REPO } from "./github-fake";

// Webhook payloads of Acme's pull request (Codertocat/Hello-World#2), from @octokit/webhooks-examples,
// reshaped as a test needs them.

/** pull_request.opened from @octokit/webhooks-examples (installation 1, Codertocat/Hello-World#2), reshaped. */
export function pullRequestEvent(
  over: {
    action?: string;
    draft?: boolean;
    head?: string;
    labels?: string[];
    title?: string;
    author?: { login: string; type?: string };
    sender?: { login: string; type?: string };
    base?: string;
    requestedReviewer?: string;
    fork?: string;
  } = {},
) {
  const p = githubExample("pull_request", "opened", 1);
  p.action = over.action ?? "opened";
  if (over.draft !== undefined) p.pull_request.draft = over.draft;
  p.pull_request.head.sha = over.head ?? HEAD;
  p.pull_request.base.sha = BASE;
  if (over.labels) p.pull_request.labels = over.labels.map((name) => ({ name }));
  if (over.title) p.pull_request.title = over.title;
  if (over.author) p.pull_request.user = { ...p.pull_request.user, type: "User", ...over.author };
  if (over.sender) p.sender = { ...p.sender, type: "User", ...over.sender };
  if (over.base) p.pull_request.base.ref = over.base;
  if (over.fork) p.pull_request.head.repo = { ...p.pull_request.head.repo, full_name: over.fork };
  if (over.requestedReviewer) p.requested_reviewer = { login: over.requestedReviewer, type: "Bot" };
  return p;
}

let commentIds = 700_000;

/** issue_comment.created on pull request #2 (a PR conversation comment), by `login`. */
export function issueComment(body: string, login = "Codertocat", type = "User") {
  const p = githubExample("issue_comment", "created", 3);
  p.issue.number = 2;
  p.issue.pull_request = { url: `https://api.github.com/repos/${REPO}/pulls/2` };
  p.comment.id = ++commentIds;
  p.comment.body = body;
  p.comment.user = { ...p.comment.user, login, type };
  p.sender = { ...p.sender, login, type };
  return p;
}

/** pull_request_review_comment.created on #2, optionally a reply in a thread. */
export function reviewComment(body: string, login = "Codertocat", inReplyTo?: number) {
  const p = githubExample("pull_request_review_comment", "created", 1);
  p.comment.id = ++commentIds;
  p.comment.body = body;
  p.comment.user = { ...p.comment.user, login, type: "User" };
  p.sender = { ...p.sender, login, type: "User" };
  if (inReplyTo !== undefined) p.comment.in_reply_to_id = inReplyTo;
  else delete p.comment.in_reply_to_id;
  return p;
}
