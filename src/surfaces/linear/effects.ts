import type { InboxRow } from "../../db/schema/inbox";
import type { Deps } from "../../deps";
import { recordAudit } from "../../governance/audit";
import type { StepResult } from "../../inbox/types";
import {
  renderLinearDenial,
  renderLinearElicitation,
  renderLinearThought,
} from "../../replies/linear-activity";
import { cancelTask, createTask, IllegalTransition, TaskNotFound } from "../../tasks/service";
import type { TaskMode } from "../../tasks/types";
import { taskUrl } from "../../web/task-url";
import type { IssueDetails } from "./issues";
import type { SessionEvent } from "./listeners";
import { activityCall, commentCall, issueStateCall, queue, sendNow, sessionUrlCall } from "./outbound";
import type { CommentReply, DelegationPlan, SessionOpening, SessionPlan, StopPlan } from "./plan";
import type { Prepared } from "./prepare";
import { issueContext, requestTitle } from "./requests";
import { updateSession } from "./store";
import { denialBody, NOT_LINKED, noEnvironmentBody, pickCommentBody, startThought } from "./wording";

// What the plans come to in Linear and in the hub: activities in the agent session, replies in a comment
// thread, the issue moved, tasks created or cancelled. Every Linear call goes through the outbox under a key
// fixed by the inbox row, so a step that runs again after a crash sends nothing twice.

/** The first word in a session, sent right away (Linear marks a session unresponsive after 10 seconds). */
export async function acknowledge(
  deps: Deps,
  event: SessionEvent,
  opening: Extract<SessionOpening, { kind: "acknowledge" }>,
): Promise<void> {
  const call = await activityCall(
    event.organizationId,
    event.sessionId,
    renderLinearThought(opening.thought),
    opening.key,
  );
  await sendNow(deps, call);
}

/** A session in an organization no workspace is linked to: one error activity saying what to do. */
export async function sayNotLinked(
  deps: Deps,
  event: SessionEvent,
  row: InboxRow,
  plan: Extract<SessionPlan, { kind: "unlinked" }>,
): Promise<StepResult> {
  const content = renderLinearDenial(NOT_LINKED);
  await queue(deps, await activityCall(event.organizationId, event.sessionId, content, `denied:${row.id}`));
  return { outcome: plan.outcome };
}

/** The answer named none of the environments offered: the same question again. */
export async function askAgain(
  deps: Deps,
  event: SessionEvent,
  row: InboxRow,
  plan: Extract<SessionPlan, { kind: "ask-again" }>,
): Promise<StepResult> {
  const content = renderLinearElicitation({ options: plan.options, message: plan.message });
  await queue(deps, await activityCall(event.organizationId, event.sessionId, content, `elicit:${row.id}`));
  return { outcome: "asked which environment again" };
}

/** A session's request, prepared: refused, nothing to run in, "which environment?" (elicitation), started. */
export async function runInSession(
  deps: Deps,
  event: SessionEvent,
  row: InboxRow,
  plan: Extract<SessionPlan, { kind: "run" }>,
  prepared: Prepared,
): Promise<StepResult> {
  const { request } = plan;
  const org = event.organizationId;
  const sid = event.sessionId;
  const say = async (content: Parameters<typeof activityCall>[2], key: string) =>
    queue(deps, await activityCall(org, sid, content, key));
  switch (prepared.kind) {
    case "refuse":
      await updateSession(deps, sid, { state: "closed", memberId: prepared.memberId });
      await say({ type: "error", body: denialBody(prepared.decision) }, `denied:${row.id}`);
      return { outcome: `denied: ${prepared.decision.code} (${prepared.decision.decisionId})` };
    case "none":
      await updateSession(deps, sid, { state: "closed", memberId: prepared.memberId });
      await say(
        { type: "error", body: noEnvironmentBody(prepared.message, prepared.nextStep) },
        `denied:${row.id}`,
      );
      return { outcome: "denied: no available environments" };
    case "ask": {
      // The request waits with the session for the answer (a `prompted` event).
      const pending = { ...request, options: prepared.options.map((o) => o.id) };
      await updateSession(deps, sid, {
        state: "awaiting_environment",
        memberId: prepared.memberId,
        pending: JSON.stringify(pending),
      });
      await say(
        renderLinearElicitation({ options: prepared.options, message: prepared.message }),
        `elicit:${row.id}`,
      );
      return { outcome: `asked which environment (${prepared.options.length} offered)` };
    }
    case "start": {
      // Said before the task exists, so it can never arrive after the task's own answer.
      const mode = request.mode ?? prepared.environment.defaultMode ?? "code";
      await say(renderLinearThought(startThought(prepared.environment, mode)), `start:${row.id}`);
      const { task, created } = await createTask(deps, {
        workspaceId: plan.workspaceId,
        requesterMemberId: prepared.memberId,
        origin: {
          surface: "linear",
          organizationId: org,
          issueId: event.issue?.id ?? null,
          agentSessionId: sid,
          commentId: null,
        },
        environmentId: prepared.environment.id,
        kind: "task",
        mode,
        title: request.title,
        prompt: request.prompt,
        context: { ...request.context, repoPermission: prepared.repoPermission },
        dedupeKey: `inbox:${row.id}`,
      });
      await updateSession(deps, sid, {
        state: "working",
        memberId: prepared.memberId,
        taskId: task.id,
        environmentId: prepared.environment.id,
        pending: null,
        resetProgress: created,
      });
      await queue(deps, sessionUrlCall(org, sid, taskUrl(deps, task.id), task.id));
      return {
        outcome: `task ${task.id} ${created ? "queued" : "already queued"} in ${prepared.environment.name}`,
      };
    }
  }
}

/** Work started outside agent sessions, prepared: refusals and questions are replies in the thread. */
export async function runInThread(
  deps: Deps,
  row: InboxRow,
  input: {
    workspaceId: string;
    reply: CommentReply;
    issue: IssueDetails | null;
    prompt: string;
    mode?: TaskMode;
  },
  prepared: Prepared,
): Promise<StepResult> {
  const { reply, issue } = input;
  const say = async (body: string) =>
    queue(
      deps,
      await commentCall(reply.organizationId, reply.issueId, reply.threadId, body, `reply:${row.id}`),
    );
  switch (prepared.kind) {
    case "refuse":
      await say(denialBody(prepared.decision));
      return { outcome: `denied: ${prepared.decision.code} (${prepared.decision.decisionId})` };
    case "none":
      await say(noEnvironmentBody(prepared.message, prepared.nextStep));
      return { outcome: "denied: no available environments" };
    case "ask":
      // No elicitation outside sessions: the person mentions Codex again, naming the environment.
      await say(pickCommentBody(prepared.options, prepared.message));
      return { outcome: `asked which environment (${prepared.options.length} offered)` };
    case "start": {
      const { task, created } = await createTask(
        deps,
        {
          workspaceId: input.workspaceId,
          requesterMemberId: prepared.memberId,
          origin: {
            surface: "linear",
            organizationId: reply.organizationId,
            issueId: reply.issueId,
            agentSessionId: null,
            commentId: reply.threadId,
          },
          environmentId: prepared.environment.id,
          kind: "task",
          ...(input.mode ? { mode: input.mode } : {}),
          title: requestTitle(issue, null, input.prompt),
          prompt: input.prompt,
          context: { ...issueContext(issue), repoPermission: prepared.repoPermission },
          dedupeKey: `inbox:${row.id}`,
        },
        { inStep: true },
      );
      return {
        outcome: `task ${task.id} ${created ? "queued" : "already queued"} in ${prepared.environment.name}`,
      };
    }
  }
}

/** Moves a delegated issue to its team's first started state; says so for the outcome. */
export async function moveIssue(
  deps: Deps,
  organizationId: string,
  row: InboxRow,
  move: NonNullable<Extract<DelegationPlan, { kind: "delegated" }>["move"]>,
): Promise<string> {
  await queue(deps, issueStateCall(organizationId, move.issue.id, move.state.id, `issue-state:${row.id}`));
  return `moved ${move.issue.identifier} to ${move.state.name}`;
}

/** The one final activity of a stop that no cancelled task's reply confirms. */
export async function sayStopped(
  deps: Deps,
  event: SessionEvent,
  row: InboxRow,
  body: string,
): Promise<void> {
  const content = { type: "response" as const, body };
  await queue(deps, await activityCall(event.organizationId, event.sessionId, content, `stop:${row.id}`));
}

/**
 * Cancels the session's tasks for whoever pressed stop. Linear shows the stop button to the people in the
 * session, only Linear can sign the webhook, and those same people may already prompt the session into new
 * work; stopping only ends work and reveals nothing. Refusing would also leave the agent working after Linear
 * told it to halt. So anyone's stop is honoured, with an audit entry naming who actually pressed it.
 * Returns the tasks this run cancelled.
 */
export async function halt(deps: Deps, plan: Extract<StopPlan, { kind: "halt" }>): Promise<string[]> {
  const cancelled: string[] = [];
  for (const { task, by } of plan.cancel) {
    try {
      await cancelTask(deps, task.id, by);
    } catch (error) {
      // It ended on its own a moment ago; its own reply is on its way.
      if (error instanceof IllegalTransition || error instanceof TaskNotFound) continue;
      throw error;
    }
    await recordAudit(deps, {
      workspaceId: plan.workspaceId,
      actor: plan.actor,
      action: "task.cancel",
      target: task.id,
      before: { status: task.status },
      after: { status: "cancelled", via: "linear_stop_signal" },
    });
    cancelled.push(task.id);
  }
  return cancelled;
}
