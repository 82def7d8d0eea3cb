import type { z } from "zod";
import type { GitHubActor, GitHubEvent, GitHubRepo } from "../events";
import type { actor as actorSchema, repository as repoSchema } from "./schema";
import { type GitHubEventName, githubSchemas } from "./schema";

type Actor = z.infer<typeof actorSchema>;
type Repo = z.infer<typeof repoSchema>;

const toActor = (a: Actor): GitHubActor => ({
  login: a.login,
  id: a.id,
  isBot: a.type === "Bot" || a.login.endsWith("[bot]"),
});
const toRepo = (r: Repo): GitHubRepo => ({ id: r.id, fullName: r.full_name, isPrivate: Boolean(r.private) });

/** Turns a stored, already-verified GitHub delivery into an InboundEvent (null: nothing to act on). */
export function normalizeGitHub(name: string, deliveryKey: string, body: unknown): GitHubEvent | null {
  if (!(name in githubSchemas)) return null;
  const event = name as GitHubEventName;
  switch (event) {
    case "pull_request": {
      const p = githubSchemas.pull_request.parse(body);
      const pr = p.pull_request;
      return {
        platform: "github",
        kind: "pull_request",
        deliveryKey,
        action: p.action,
        installationId: p.installation?.id ?? null,
        repository: toRepo(p.repository),
        sender: toActor(p.sender),
        requestedReviewer: p.requested_reviewer?.login ?? null,
        pullRequest: {
          number: pr.number,
          title: pr.title,
          draft: Boolean(pr.draft),
          state: pr.state,
          headSha: pr.head.sha,
          headRef: pr.head.ref,
          headRepoFullName: pr.head.repo?.full_name ?? null,
          baseRef: pr.base.ref,
          baseSha: pr.base.sha,
          labels: (pr.labels ?? []).map((l) => l.name),
          author: toActor(pr.user),
          htmlUrl: pr.html_url,
        },
      };
    }
    case "issue_comment":
    case "pull_request_review_comment": {
      const isIssue = event === "issue_comment";
      const p = isIssue
        ? githubSchemas.issue_comment.parse(body)
        : githubSchemas.pull_request_review_comment.parse(body);
      const prNumber = "issue" in p ? p.issue.number : p.pull_request.number;
      // Comments on plain issues are not for the hub: only pull request conversations are.
      if ("issue" in p && !p.issue.pull_request) return null;
      return {
        platform: "github",
        kind: "comment",
        source: isIssue ? "issue_comment" : "review_comment",
        deliveryKey,
        action: p.action,
        installationId: p.installation?.id ?? null,
        repository: toRepo(p.repository),
        sender: toActor(p.sender),
        prNumber,
        comment: {
          id: p.comment.id,
          body: p.comment.body ?? "",
          htmlUrl: p.comment.html_url,
          inReplyToId: p.comment.in_reply_to_id ?? null,
          path: p.comment.path ?? null,
        },
      };
    }
    case "installation":
    case "installation_repositories": {
      const p = githubSchemas.installation.parse(body);
      const account = p.installation.account;
      return {
        platform: "github",
        kind: "installation",
        deliveryKey,
        action: p.action,
        installationId: p.installation.id,
        appSlug: p.installation.app_slug ?? null,
        account: {
          login: account?.login ?? account?.slug ?? "",
          id: account?.id ?? 0,
          type: account?.type ?? "",
        },
        sender: toActor(p.sender),
        repositoriesAdded: (
          p.repositories_added ??
          (p.action === "created" ? p.repositories : undefined) ??
          []
        ).map(toRepo),
        repositoriesRemoved: (p.repositories_removed ?? []).map(toRepo),
      };
    }
  }
}
