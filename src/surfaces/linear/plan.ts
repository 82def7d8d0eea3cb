import type { IndexedSnapshot } from "../../access/snapshot-index";
import type { LinearSessionRow } from "../../db/schema/linear";
import type { Task, TaskMode } from "../../tasks/types";
import type { IssueDetails, TeamState } from "./issues";
import type { CommentEvent, DelegationEvent, SessionEvent } from "./listeners";
import {
  delegationPrompt,
  followUpRequest,
  mentionsCodex,
  modeOf,
  type PendingRequest,
  pickFromReply,
  type SessionRequest,
  sessionRequest,
  type UsableEnvironment,
  withoutMention,
} from "./requests";
import { ACK_THOUGHT, FOLLOW_UP_THOUGHT, STOPPED_IDLE, STOPPED_PENDING, unclearPick } from "./wording";

// What the Linear surface does with an event, decided from the event and what context.ts loaded: ignore it,
// stop, refuse, ask which environment, or run (who may run what, and where, is plan-run.ts). Pure: no I/O,
// so every branch is a row of a table test (test/linear/plan.test.ts); effects.ts carries the plans out.

export type Ignore = { kind: "ignore"; outcome: string };
const ignore = (outcome: string): Ignore => ({ kind: "ignore", outcome });
const notLinked = (organizationId: string) =>
  `Linear organization ${organizationId} is not linked to a workspace`;

// ---- Agent sessions (https://linear.app/developers/agent-interaction) ----

export type SessionOpening =
  | Ignore
  | { kind: "stop" }
  | { kind: "acknowledge"; thought: string; key: string };

/**
 * Before anything slow: an activity of our own echoed back is ignored, Linear's stop signal halts the session
 * (it wants nothing from the agent but the final activity), anything else is acknowledged at once, since
 * Linear shows a session as unresponsive after 10 seconds. `created` is acknowledged once per session.
 */
export function openSession(event: SessionEvent, rowId: string, ownActivity: boolean): SessionOpening {
  if (event.action === "prompted" && ownActivity) return ignore("ignored: an activity Codex wrote itself");
  if (event.action === "prompted" && event.signal === "stop") return { kind: "stop" };
  return event.action === "created"
    ? { kind: "acknowledge", thought: ACK_THOUGHT, key: `ack:${event.sessionId}` }
    : { kind: "acknowledge", thought: FOLLOW_UP_THOUGHT, key: `ack:${rowId}` };
}

type SessionState = Pick<LinearSessionRow, "state" | "pending" | "taskId" | "environmentId">;

/** Where the request comes from: an answer to "which environment?", a follow-up to a task, or the event. */
export type SessionSource =
  | { kind: "answer"; pending: string }
  | { kind: "follow-up"; taskId: string }
  | { kind: "new" };

export function sessionSource(event: SessionEvent, session: SessionState): SessionSource {
  if (event.action !== "prompted") return { kind: "new" };
  if (session.state === "awaiting_environment" && session.pending)
    return { kind: "answer", pending: session.pending };
  if (session.taskId) return { kind: "follow-up", taskId: session.taskId };
  return { kind: "new" };
}

export type SessionContext =
  | { linked: false }
  | {
      linked: true;
      workspaceId: string;
      session: SessionState;
      snapshot: IndexedSnapshot;
      /** For a follow-up: the session's last task. */
      previous: Task | null;
      /** For a new request: the issue, as Linear reads it now. */
      issue: IssueDetails | null;
    };

export type SessionPlan =
  | { kind: "unlinked"; outcome: string }
  | { kind: "ask-again"; options: UsableEnvironment[]; message: string }
  | { kind: "run"; workspaceId: string; request: SessionRequest; environmentId: string | null };

export function planSession(event: SessionEvent, ctx: SessionContext): SessionPlan {
  if (!ctx.linked) return { kind: "unlinked", outcome: `denied: ${notLinked(event.organizationId)}` };
  const run = (request: SessionRequest, environmentId: string | null = null): SessionPlan => ({
    kind: "run",
    workspaceId: ctx.workspaceId,
    request,
    environmentId,
  });
  const source = sessionSource(event, ctx.session);
  switch (source.kind) {
    case "answer": {
      const { options, ...request } = JSON.parse(source.pending) as PendingRequest;
      const offered = options
        .map((id) => ctx.snapshot.environments.get(id)?.env)
        .filter((e) => e !== undefined)
        .map((e) => ({ id: e.id, name: e.name, repository: e.repository }));
      const picked = pickFromReply(event.prompt ?? "", offered);
      if (!picked) return { kind: "ask-again", options: offered, message: unclearPick(event.prompt ?? "") };
      return run(request, picked.id);
    }
    case "follow-up":
      // In the environment of the task it continues.
      return run(followUpRequest(event, ctx.previous), ctx.session.environmentId);
    case "new":
      return run(sessionRequest(event, ctx.issue));
  }
}

// ---- @codex in a comment (organizations reached with LINEAR_API_KEY) ----

/** Everything a refusal, question or task needs to answer in the same thread. */
export interface CommentReply {
  organizationId: string;
  issueId: string;
  /** Linear threads are one level deep: a reply to a reply goes under the thread's first comment. */
  threadId: string | null;
}

export interface CommentContext {
  ownComment: boolean;
  workspaceId: string | null;
  /** Installed as an app: Linear opens an agent session for each mention, which carries the work. */
  agentSessions: boolean;
  /** The user Codex is, asked only about a comment that may start work. */
  hubUserId: string | null;
  issue: IssueDetails | null;
}

export type CommentPlan =
  | Ignore
  | {
      kind: "run";
      workspaceId: string;
      reply: CommentReply;
      prompt: string;
      /** `@codex ask: …` / `@codex code: …`; absent: the environment's default. */
      mode?: TaskMode;
      target: string;
    };

export function planComment(event: CommentEvent, ctx: CommentContext): CommentPlan {
  if (event.action !== "create") return ignore(`ignored: comment ${event.action}`);
  if (ctx.ownComment) return ignore("ignored: a comment Codex wrote itself");
  if (event.botActorId) return ignore("ignored: written by an app");
  if (!mentionsCodex(event.body)) return ignore("ignored: Codex is not mentioned");
  if (!event.issueId) return ignore("ignored: the comment is not on an issue");
  if (!ctx.workspaceId) return ignore(`ignored: ${notLinked(event.organizationId)}`);
  if (ctx.agentSessions) {
    return ignore("ignored: the agent session Linear opens for this mention carries the work");
  }
  if (event.userId && event.userId === ctx.hubUserId) return ignore("ignored: a comment Codex wrote itself");
  const asked = modeOf(withoutMention(event.body));
  return {
    kind: "run",
    workspaceId: ctx.workspaceId,
    reply: {
      organizationId: event.organizationId,
      issueId: event.issueId,
      threadId: event.parentId ?? event.commentId,
    },
    prompt: asked.prompt || "Work on this issue.",
    ...(asked.mode ? { mode: asked.mode } : {}),
    target: `linear:comment:${event.commentId}`,
  };
}

// ---- An issue delegated (or assigned) to Codex ----

export interface DelegationContext {
  workspaceId: string | null;
  hubUserId: string | null;
  /** Read only for a delegation to Codex, like what follows. */
  issue: IssueDetails | null;
  states: readonly TeamState[];
  agentSessions: boolean;
}

export type DelegationPlan =
  | Ignore
  | {
      kind: "delegated";
      workspaceId: string;
      /** To the team's first `started` state, when the issue is not started yet. */
      move: { issue: IssueDetails; state: TeamState } | null;
      /** An app installation's agent session carries the work; else it starts here, answered by comments. */
      work: { kind: "session" } | { kind: "run"; reply: CommentReply; prompt: string; target: string };
    };

/** Types past which an agent must not move an issue back. */
const SETTLED = new Set(["started", "completed", "canceled"]);

/** Whether the issue may be moved to a started state at all (its team's states are read only then). */
export const mayStart = (issue: IssueDetails): boolean =>
  Boolean(issue.teamId) && !(issue.stateType && SETTLED.has(issue.stateType));

const firstStarted = (states: readonly TeamState[]): TeamState | undefined =>
  states.filter((s) => s.type === "started").sort((a, b) => a.position - b.position)[0];

export function planDelegation(event: DelegationEvent, ctx: DelegationContext): DelegationPlan {
  if (!ctx.workspaceId) return ignore(`ignored: ${notLinked(event.organizationId)}`);
  const ours = ctx.hubUserId;
  if (!ours) return ignore("ignored: Linear did not say which user Codex is");
  if (event.delegateId !== ours && event.assigneeId !== ours) {
    return ignore("ignored: the issue is delegated to someone else");
  }
  if (event.actorId === ours) return ignore("ignored: Codex changed the issue itself");
  // https://linear.app/developers/agent-best-practices: the first `started` state (lowest position).
  const { issue } = ctx;
  const first = issue && mayStart(issue) ? firstStarted(ctx.states) : undefined;
  const move = issue && first && first.id !== issue.stateId ? { issue, state: first } : null;
  return {
    kind: "delegated",
    workspaceId: ctx.workspaceId,
    move,
    work: ctx.agentSessions
      ? { kind: "session" }
      : {
          kind: "run",
          reply: { organizationId: event.organizationId, issueId: event.issueId, threadId: null },
          prompt: delegationPrompt(event.issueId, ctx.issue),
          target: `linear:issue:${event.issueId}`,
        },
  };
}

// ---- Linear's stop signal (https://linear.app/developers/agent-signals) ----

export type ActiveTask = { id: string; requesterMemberId: string; status: string };

export interface StopContext {
  /** The session's row, when it belongs to the organization the stop came from. */
  session: Pick<LinearSessionRow, "workspaceId" | "state" | "pending"> | null;
  /** Its queued or running tasks: a follow-up may have started while an earlier one still ran. */
  active: readonly ActiveTask[];
  /** The member who pressed stop, looked up locally only (no call to Linear may precede the halt). */
  stopperMemberId: string | null;
}

export type StopPlan =
  | { kind: "idle"; say: string; outcome: string }
  | {
      kind: "halt";
      workspaceId: string;
      /** Each as the requester's own cancel when the stopper is them, else on the workspace's behalf. */
      cancel: { task: ActiveTask; by: { memberId: string } | { admin: true } }[];
      /** Who the audit names: the person who actually pressed stop. */
      actor: string;
      wasPending: boolean;
    };

export function planStop(event: SessionEvent, ctx: StopContext): StopPlan {
  // No row: the session never reached the point of starting anything here.
  if (!ctx.session) return { kind: "idle", say: STOPPED_IDLE, outcome: "stopped: nothing was running" };
  const stopper = ctx.stopperMemberId;
  return {
    kind: "halt",
    workspaceId: ctx.session.workspaceId,
    cancel: ctx.active.map((task) => ({
      task,
      by:
        stopper !== null && stopper === task.requesterMemberId
          ? { memberId: stopper }
          : { admin: true as const },
    })),
    actor: stopper ? `member:${stopper}` : `linear:${event.creatorId ?? "unknown"}`,
    wasPending: ctx.session.state === "awaiting_environment" && ctx.session.pending !== null,
  };
}

/**
 * How the halt is confirmed, exactly once: by the cancelled task's own reply when a task of the session ended
 * cancelled once the stop arrived, else by a response saying what was stopped.
 */
export function confirmStop(
  halt: { wasPending: boolean },
  after: { cancelled: readonly string[]; cancelledSinceStop: boolean },
): { say: string | null; outcome: string } {
  if (after.cancelledSinceStop) {
    return {
      say: null,
      outcome:
        after.cancelled.length > 0
          ? `stopped: cancelled ${after.cancelled.join(", ")}`
          : "stopped: the session's task was already cancelled",
    };
  }
  return halt.wasPending
    ? { say: STOPPED_PENDING, outcome: "stopped: dropped the request awaiting an environment" }
    : { say: STOPPED_IDLE, outcome: "stopped: nothing was running" };
}
