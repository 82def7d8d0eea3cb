import type { Decision } from "../../access/types";
import type { Deps } from "../../deps";
import type { StepResult } from "../../inbox/processor";
import type { GitHubEvent } from "../../ingress/events";
import { enqueueOutbound } from "../../outbox/enqueue";
import { type GithubMention, parseGithubMention } from "../../routing/github-mention";
import { createTask } from "../../tasks/service";
import { resolveMember } from "../../workspace/identity-resolve";
import { getSnapshot } from "../../workspace/snapshot";
import { decideOnGitHub, type GitHubAccess, permissionOf, sandboxModesOf } from "./access";
import {
  type CommentSource,
  getPullRequest,
  type PullRequestDetails,
  type RepoRef,
  reactToComment,
} from "./api";
import { recordReplyFeedback } from "./feedback";
import { actorGuard, type RepoScope, repoScope } from "./guards";
import { repositoryUpsert } from "./installations";
import { tellOnce } from "./notices";
import { isFork, startReview } from "./reviews";

// `@codex review` and `@codex <task>` on pull request comments (conversation comments and review comments).
// Identity first (the GitHub login must be linked to a member), then the access check for the commenter; 👀
// only on what will run. A refusal is explained once per pull request and nothing the person wrote goes
// further: only an allowed request becomes a task.

type CommentEvent = Extract<GitHubEvent, { kind: "comment" }>;

function mentionIn(body: string, scope: RepoScope): GithubMention | null {
  const byName = parseGithubMention(body);
  if (byName) return byName;
  const slug = scope.appLogin?.replace(/\[bot\]$/, "");
  return slug && slug.toLowerCase() !== "codex" ? parseGithubMention(body, { handle: slug }) : null;
}

/** What the refused person reads on GitHub (the decision's own words, except where GitHub needs others). */
function denialMessage(decision: Decision, repository: string, login: string): string {
  switch (decision.code) {
    case "UNKNOWN_ACTOR":
      return `Codex doesn't know the GitHub account @${login} in this workspace, so it can't act on requests from it. If you are a member, connect your GitHub account (ask Codex in Slack and follow its "Connect GitHub" link), or ask a workspace admin to map your login to your member account; then ask again.`;
    case "ENV_NOT_FOUND":
      return `No Codex environment uses ${repository} yet, so Codex can't work on it. Ask a workspace admin to create one, then ask again.`;
    default:
      return decision.message;
  }
}

async function refuse(
  deps: Deps,
  ref: RepoRef,
  prNumber: number,
  login: string,
  decision: Decision & { decisionId?: string },
  what: string,
): Promise<StepResult> {
  const told = await tellOnce(deps, {
    ref,
    prNumber,
    login,
    code: decision.code,
    message: denialMessage(decision, ref.repository, login),
    decisionId: decision.decisionId,
  });
  return {
    outcome: `${what} denied (${decision.code})${decision.decisionId ? ` [${decision.decisionId}]` : ""}; ${told ? "explained on the pull request" : "this pull request was already told"}`,
  };
}

export async function handleComment(deps: Deps, event: CommentEvent): Promise<StepResult> {
  if (event.action !== "created") return { outcome: `ignored: comment ${event.action}` };
  const repository = event.repository.fullName;
  const scoped = await repoScope(deps, event.installationId, repository);
  if (!scoped.ok) return { outcome: scoped.outcome };
  const { scope } = scoped;
  const ref: RepoRef = { installationId: scope.installationId, repository };
  const writes = [repositoryUpsert(deps, scope.installationId, event.repository)];
  const guard = actorGuard(scope, event.sender);
  if (guard) return { outcome: `ignored (${guard.code}): ${guard.detail}`, writes };

  let feedback = "";
  if (event.source === "review_comment" && event.comment.inReplyToId !== null) {
    feedback = await recordReplyFeedback(deps, scope.workspaceId, ref, event);
  }
  const mention = mentionIn(event.comment.body, scope);
  if (!mention) return { outcome: `no @codex request${feedback}`, writes };

  const source: CommentSource = event.source;
  // 👀 says "working on it", so it is added only once the request is allowed: a refused person reads the
  // refusal alone, never an acknowledgement first.
  const acknowledge = () =>
    enqueueOutbound(deps, {
      request: reactToComment(ref, source, event.comment.id, "eyes"),
      dedupeKey: `github:eyes:${source}:${event.comment.id}`,
    });
  const login = event.sender.login;
  const pr = await getPullRequest(deps, ref, event.prNumber);
  const member = await resolveMember(deps, scope.workspaceId, { platform: "github", userId: login, login });
  const permission = member.memberId ? await permissionOf(deps, ref, login) : null;
  const target = `${repository}#${pr.number}`;
  const ask = (action: "review.request" | "task.run" | "pr.push") =>
    decideOnGitHub(deps, {
      workspaceId: scope.workspaceId,
      action,
      memberId: member.memberId,
      login,
      ref,
      permission,
      target,
    });

  if (mention.kind === "review") {
    const decision = await ask("review.request");
    if (!decision.allowed)
      return { ...(await refuse(deps, ref, pr.number, login, decision, "review")), writes };
    if (!scope.settings.reviewEnabled) {
      const off = {
        code: "REVIEW_DISABLED",
        message: `Code review is turned off for ${repository}. A workspace admin can turn it on in the repository's review settings.`,
      };
      const told = await tellOnce(deps, { ref, prNumber: pr.number, login, ...off });
      return {
        outcome: `review refused: reviews are off for ${repository}${told ? "; explained" : ""}`,
        writes,
      };
    }
    await acknowledge();
    const started = await startReview(deps, {
      workspaceId: scope.workspaceId,
      ref,
      pr,
      trigger: `mention:${event.comment.id}`,
      requesterMemberId: member.memberId!,
      environmentId: decision.environmentId,
      settings: scope.settings,
      permission,
      comment: { id: event.comment.id, source },
      ...(mention.focus ? { focus: mention.focus } : {}),
    });
    return {
      outcome: `review requested by ${login} for ${target}: task ${started.review.taskId} [${decision.decisionId}]${feedback}`,
      writes,
    };
  }

  const decision = await ask("task.run");
  if (!decision.allowed) return { ...(await refuse(deps, ref, pr.number, login, decision, "task")), writes };
  await acknowledge();
  const task = await startPullRequestTask(deps, {
    scope,
    ref,
    pr,
    event,
    prompt: mention.prompt,
    memberId: member.memberId!,
    decision,
    ask,
  });
  return {
    outcome: `task requested by ${login} on ${target}: task ${task.id} [${decision.decisionId}]${feedback}`,
    writes,
  };
}

/**
 * `@codex <task>`: a cloud task with the pull request as context. Whether its changes may be pushed is its
 * own decision (`pr.push`: write access on GitHub, a read-write app); a fork is never pushed to.
 */
async function startPullRequestTask(
  deps: Deps,
  input: {
    scope: RepoScope;
    ref: RepoRef;
    pr: PullRequestDetails;
    event: CommentEvent;
    prompt: string;
    memberId: string;
    decision: GitHubAccess;
    ask: (action: "pr.push") => Promise<GitHubAccess>;
  },
) {
  const { ref, pr, event, decision } = input;
  const fromFork = isFork(ref, pr);
  const push = fromFork ? null : await input.ask("pr.push");
  const snapshot = await getSnapshot(deps, input.scope.workspaceId);
  const sandboxModes = sandboxModesOf(snapshot, input.memberId);
  const noWriteReason = fromFork
    ? "the pull request comes from a fork, and Codex never pushes to forks"
    : push && !push.allowed
      ? push.message
      : undefined;
  const { task } = await createTask(deps, {
    // Per comment, not per delivery: a comment delivered twice (two delivery ids) is one request.
    dedupeKey: `github:task:${event.source}:${event.comment.id}`,
    workspaceId: input.scope.workspaceId,
    requesterMemberId: input.memberId,
    environmentId: decision.environmentId ?? null,
    kind: "task",
    title: input.prompt.split("\n")[0]!.slice(0, 200),
    prompt: input.prompt,
    context: {
      pullRequest: {
        repository: ref.repository,
        number: pr.number,
        title: pr.title,
        url: pr.htmlUrl,
        base: { ref: pr.baseRef, sha: pr.baseSha },
        head: { ref: pr.headRef, sha: pr.headSha, repository: pr.headRepoFullName },
        fromFork,
      },
      requestedIn: event.comment.htmlUrl,
      ...(decision.environmentId
        ? {
            execution: {
              id: decision.environmentId,
              repository: ref.repository,
              internet: decision.effective?.internet ?? { mode: "off" },
              ...(sandboxModes ? { allowedSandboxModes: sandboxModes } : {}),
              canWrite: Boolean(push?.allowed) && !fromFork,
              ...(noWriteReason ? { noWriteReason } : {}),
            },
          }
        : {}),
    },
    origin: {
      surface: "github",
      installationId: ref.installationId,
      repository: ref.repository,
      prNumber: pr.number,
      headSha: pr.headSha,
      baseSha: pr.baseSha,
      commentId: event.comment.id,
      commentSource: event.source,
      fromFork,
      trigger: "mention",
    },
  });
  return task;
}
