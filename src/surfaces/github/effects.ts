import { type RepoRef, reactToComment } from "../../clients/github/calls";
import type { BatchQuery } from "../../db/types";
import type { Deps } from "../../deps";
import { auditQuery } from "../../governance/audit";
import type { StepResult } from "../../inbox/types";
import { enqueueOutbound } from "../../outbox/enqueue";
import { recordDecision } from "../../pipeline/access";
import { createTask } from "../../tasks/service";
import { loadInstallationContext, loadMentionContext, loadScope, withPullRequestFacts } from "./context";
import { recordReplyFeedback } from "./feedback";
import { installationWrites, repositoryUpsert } from "./installations";
import { tellOnce } from "./notices";
import type { CommentEvent, InstallationEvent, PullRequestDetails, PullRequestEvent } from "./payloads";
import {
  type Decided,
  type PullRequestContext,
  type PullRequestPlan,
  planPullRequest,
  type RepoScope,
  reviewTarget,
  type ScopeState,
} from "./plan";
import { type MentionContext, type MentionPlan, planComment, planMention } from "./plan-comment";
import { planInstallation } from "./plan-installation";
import { startReview } from "./reviews";
import { commentTaskKey, eyesKey } from "./task-status";

// What the plans come to: audit records (every decision, every skipped review), reviews and tasks started,
// 👀 on what will run, refusals explained once per pull request. Calls to GitHub are queued in the outbox
// under keys fixed by the comment or the review, so a step that runs again sends nothing twice.

/** An access decision recorded as the plan made it; returns its audit id. */
const record = async (deps: Deps, workspaceId: string, { request, decision, actor, target }: Decided) =>
  (await recordDecision(deps, { workspaceId, request, decision, actorLabel: actor, target })).decisionId;

/** The repository an event names is recorded whenever the event is in a workspace's scope. */
const repositoryWrites = (deps: Deps, state: ScopeState, event: PullRequestEvent | CommentEvent) =>
  state.kind === "scoped" ? [repositoryUpsert(deps, state.scope.installationId, event.repository)] : [];

const refOf = (scope: RepoScope, event: PullRequestEvent | CommentEvent): RepoRef => ({
  installationId: scope.installationId,
  repository: event.repository.fullName,
});

// ---- Automatic reviews ----

/** A `pull_request` event: a review, a skip recorded with its reason, or nothing. */
export async function reviewPullRequest(deps: Deps, event: PullRequestEvent): Promise<StepResult> {
  let ctx: PullRequestContext = {
    scope: await loadScope(deps, event.installationId, event.repository.fullName),
  };
  // Loaded as the plan asks: the author only for an event that passed the guards, GitHub only when it counts.
  for (;;) {
    const plan = planPullRequest(event, ctx);
    if (plan.kind !== "need")
      return performReview(deps, event, repositoryWrites(deps, ctx.scope, event), plan);
    if (ctx.scope.kind !== "scoped") throw new Error("a pull request's plan asked for more out of scope");
    ctx = await withPullRequestFacts(deps, event, ctx.scope.scope, ctx, plan.load);
  }
}

async function performReview(
  deps: Deps,
  event: PullRequestEvent,
  writes: BatchQuery[],
  plan: Exclude<PullRequestPlan, { kind: "need" }>,
): Promise<StepResult> {
  switch (plan.kind) {
    case "ignore":
      return { outcome: plan.outcome, writes };
    case "skip": {
      const { scope, reason, detail } = plan;
      const decisionId = plan.access ? await record(deps, scope.workspaceId, plan.access) : undefined;
      // Recorded with the event's own writes, so "why was my PR not reviewed?" has an answer.
      const audit = auditQuery(deps, {
        workspaceId: scope.workspaceId,
        actor: `github:${event.sender.login}`,
        action: "review.skip",
        target: reviewTarget(event),
        after: {
          reason,
          detail,
          action: event.action,
          headSha: event.pr.headSha,
          ...(decisionId ? { decisionId } : {}),
        },
      });
      return {
        outcome: `review skipped (${reason}): ${detail} [${audit.id}]`,
        writes: [...writes, ...audit.queries],
      };
    }
    case "review": {
      const { scope } = plan;
      const decisionId = await record(deps, scope.workspaceId, plan.access);
      const started = await startReview(deps, {
        workspaceId: scope.workspaceId,
        ref: refOf(scope, event),
        pr: event.pr,
        trigger: plan.trigger,
        requesterMemberId: plan.requesterMemberId,
        environmentId: plan.environmentId,
        settings: scope.settings,
        permission: plan.permission,
      });
      const superseded = started.superseded.length > 0 ? `; superseded ${started.superseded.join(", ")}` : "";
      const what = started.created ? "review started" : "review already started";
      return {
        outcome: `${what} for ${reviewTarget(event)} (${plan.trigger}): task ${started.review.taskId} [${decisionId}]${superseded}`,
        writes,
      };
    }
  }
}

// ---- @codex on pull request comments ----

/** A comment created on a pull request: feedback on a finding, and `@codex review` or `@codex <task>`. */
export async function answerComment(deps: Deps, event: CommentEvent): Promise<StepResult> {
  const state = await loadScope(deps, event.installationId, event.repository.fullName);
  const writes = repositoryWrites(deps, state, event);
  const plan = planComment(event, state);
  if (plan.kind === "ignore") return { outcome: plan.outcome, writes };
  const { scope, mention } = plan;
  const feedback = plan.recordFeedback
    ? await recordReplyFeedback(deps, scope.workspaceId, refOf(scope, event), event)
    : "";
  if (!mention) return { outcome: `no @codex request${feedback}`, writes };
  const ctx = await loadMentionContext(deps, event, scope);
  return {
    outcome: await performMention(deps, event, ctx, planMention(event, mention, ctx), feedback),
    writes,
  };
}

/** Returns the outcome; `feedback` notes a reply to a finding after what started. */
async function performMention(
  deps: Deps,
  event: CommentEvent,
  { scope, pr, permission }: MentionContext,
  plan: MentionPlan,
  feedback: string,
): Promise<string> {
  const ref = refOf(scope, event);
  const login = event.sender.login;
  const target = `${ref.repository}#${pr.number}`;
  const decisionId = await record(deps, scope.workspaceId, plan.access);
  // 👀 says "working on it", so it is added only once the request is allowed: a refused person reads the
  // refusal alone, never an acknowledgement first.
  const acknowledge = () =>
    enqueueOutbound(deps, {
      request: reactToComment(ref, event.source, { comment_id: event.comment.id, content: "eyes" }),
      dedupeKey: eyesKey(event.source, event.comment.id),
    });
  switch (plan.kind) {
    case "refuse": {
      const { code } = plan.access.decision;
      const told = await tellOnce(deps, {
        ref,
        prNumber: pr.number,
        login,
        code,
        message: plan.message,
        decisionId,
      });
      const how = told ? "explained on the pull request" : "this pull request was already told";
      return `${plan.what} denied (${code}) [${decisionId}]; ${how}`;
    }
    case "review-off": {
      const told = await tellOnce(deps, {
        ref,
        prNumber: pr.number,
        login,
        code: plan.code,
        message: plan.message,
      });
      return `review refused: reviews are off for ${ref.repository}${told ? "; explained" : ""}`;
    }
    case "review": {
      await acknowledge();
      const started = await startReview(deps, {
        workspaceId: scope.workspaceId,
        ref,
        pr,
        trigger: `mention:${event.comment.id}`,
        requesterMemberId: plan.requesterMemberId,
        environmentId: plan.environmentId,
        settings: scope.settings,
        permission,
        comment: { id: event.comment.id, source: event.source },
        ...(plan.focus ? { focus: plan.focus } : {}),
      });
      return `review requested by ${login} for ${target}: task ${started.review.taskId} [${decisionId}]${feedback}`;
    }
    case "task": {
      await acknowledge();
      if (plan.push) await record(deps, scope.workspaceId, plan.push);
      const { task } = await createTask(deps, pullRequestTask(event, scope, pr, plan), { inStep: true });
      return `task requested by ${login} on ${target}: task ${task.id} [${decisionId}]${feedback}`;
    }
  }
}

/** `@codex <task>`: a cloud task with the pull request as context. */
function pullRequestTask(
  event: CommentEvent,
  scope: RepoScope,
  pr: PullRequestDetails,
  plan: Extract<MentionPlan, { kind: "task" }>,
): Parameters<typeof createTask>[1] {
  const repository = event.repository.fullName;
  return {
    // Per comment, not per delivery: a comment delivered twice (two delivery ids) is one request.
    dedupeKey: commentTaskKey(event.source, event.comment.id),
    workspaceId: scope.workspaceId,
    requesterMemberId: plan.memberId,
    environmentId: plan.environmentId ?? null,
    kind: "task",
    ...(plan.mode ? { mode: plan.mode } : {}),
    title: plan.prompt.split("\n")[0]!.slice(0, 200),
    prompt: plan.prompt,
    context: {
      pullRequest: {
        repository,
        number: pr.number,
        title: pr.title,
        url: pr.htmlUrl,
        base: { ref: pr.baseRef, sha: pr.baseSha },
        head: { ref: pr.headRef, sha: pr.headSha, repository: pr.headRepoFullName },
        fromFork: plan.fromFork,
      },
      requestedIn: event.comment.htmlUrl,
      ...(plan.execution ? { execution: plan.execution } : {}),
    },
    origin: {
      surface: "github",
      installationId: scope.installationId,
      repository,
      prNumber: pr.number,
      headSha: pr.headSha,
      baseSha: pr.baseSha,
      commentId: event.comment.id,
      commentSource: event.source,
      fromFork: plan.fromFork,
      trigger: "mention",
    },
  };
}

// ---- The App's installations ----

/** An `installation` or `installation_repositories` event: the registry and the workspace link. */
export async function recordInstallation(deps: Deps, event: InstallationEvent): Promise<StepResult> {
  const plan = planInstallation(event, await loadInstallationContext(deps, event));
  return { outcome: plan.outcome, writes: installationWrites(deps, event, plan) };
}
