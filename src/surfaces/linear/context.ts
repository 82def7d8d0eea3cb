import { and, eq, gte, inArray, sql } from "drizzle-orm";
import type { IndexedSnapshot } from "../../access/snapshot-index";
import type { RepoPermission } from "../../access/types";
import { OutboundError } from "../../clients/types";
import { tasks } from "../../db/schema/tasks";
import { workspaceLinks } from "../../db/schema/workspaces";
import type { Deps } from "../../deps";
import { getTask } from "../../tasks/service";
import { findLinkedMember } from "../../workspace/identity-link";
import { resolveMember } from "../../workspace/identity-resolve";
import { repoPermission } from "../../workspace/repo-permission";
import { getSnapshot } from "../../workspace/snapshot";
import { findWorkspaceByLink } from "../../workspace/workspaces";
import { readIssue, readTeamStates } from "./issues";
import type { CommentEvent, DelegationEvent, SessionEvent } from "./listeners";
import { isOwnObject } from "./own-objects";
import {
  type ActiveTask,
  type CommentContext,
  type DelegationContext,
  mayStart,
  planComment,
  planDelegation,
  type SessionContext,
  type StopContext,
  sessionSource,
} from "./plan";
import type { RunContext } from "./plan-run";
import { ensureSession, getSession, hubUserId, teamDefaultEnvironment, usesAgentSessions } from "./store";

// What the plans (plan.ts, plan-run.ts) decide on, loaded once per event: the workspace snapshot once, Linear
// and GitHub asked only as far as the plan needs them. A comment that does not concern Codex costs no call to
// Linear, and GitHub is asked about the one repository the work would run in.

/** Our own activity echoed back: only a `prompted` event carries an activity. */
export async function loadOwnActivity(deps: Deps, event: SessionEvent): Promise<boolean> {
  return event.action === "prompted" && (await isOwnObject(deps, event.activityId));
}

/** After the acknowledgement: the workspace, the session's row (made on first sight), the request's source. */
export async function loadSessionContext(deps: Deps, event: SessionEvent): Promise<SessionContext> {
  const org = event.organizationId;
  const workspace = await findWorkspaceByLink(deps, "linear_org", org);
  if (!workspace) return { linked: false };
  const session = await ensureSession(deps, {
    sessionId: event.sessionId,
    workspaceId: workspace.id,
    organizationId: org,
    issueId: event.issue?.id ?? null,
  });
  const snapshot = await getSnapshot(deps, workspace.id);
  const source = sessionSource(event, session);
  return {
    linked: true,
    workspaceId: workspace.id,
    session,
    snapshot,
    previous: source.kind === "follow-up" ? await getTask(deps, source.taskId) : null,
    issue: source.kind === "new" && event.issue ? await readIssue(deps, org, event.issue.id) : null,
  };
}

/**
 * Everything a comment's plan needs. Linear is asked (who Codex is, then the issue) only about a comment the
 * plan would act on.
 */
export async function loadCommentContext(deps: Deps, event: CommentEvent): Promise<CommentContext> {
  const org = event.organizationId;
  const ownComment = await isOwnObject(deps, event.commentId);
  const workspace = await findWorkspaceByLink(deps, "linear_org", org);
  let ctx: CommentContext = {
    ownComment,
    workspaceId: workspace?.id ?? null,
    agentSessions: workspace ? await usesAgentSessions(deps, org) : false,
    hubUserId: null,
    issue: null,
  };
  if (!workspace || planComment(event, ctx).kind === "ignore") return ctx;
  if (event.userId) ctx = { ...ctx, hubUserId: await hubUserId(deps, org, workspace.id) };
  const plan = planComment(event, ctx);
  if (plan.kind === "ignore") return ctx;
  return { ...ctx, issue: await readIssue(deps, org, plan.reply.issueId) };
}

/** Everything a delegation's plan needs; the issue and its team's states are read only when it is to Codex. */
export async function loadDelegationContext(deps: Deps, event: DelegationEvent): Promise<DelegationContext> {
  const org = event.organizationId;
  const workspace = await findWorkspaceByLink(deps, "linear_org", org);
  const ctx: DelegationContext = {
    workspaceId: workspace?.id ?? null,
    hubUserId: workspace ? await hubUserId(deps, org, workspace.id) : null,
    issue: null,
    states: [],
    agentSessions: false,
  };
  if (planDelegation(event, ctx).kind === "ignore") return ctx;
  const issue = await readIssue(deps, org, event.issueId);
  return {
    ...ctx,
    issue,
    states: issue?.teamId && mayStart(issue) ? await readTeamStates(deps, org, issue.teamId) : [],
    agentSessions: await usesAgentSessions(deps, org),
  };
}

/** Who asks (the Linear user's email → member) and the team's default environment, with the snapshot. */
export async function loadRunContext(
  deps: Deps,
  input: {
    workspaceId: string;
    /** The snapshot the event's plan already read, if any: one per event. */
    snapshot: IndexedSnapshot | null;
    linearUserId: string | null;
    teamId: string | null;
  },
): Promise<RunContext> {
  const { workspaceId, linearUserId } = input;
  const resolved = linearUserId
    ? await resolveMember(deps, workspaceId, { platform: "linear", userId: linearUserId })
    : { memberId: null };
  return {
    snapshot: input.snapshot ?? (await getSnapshot(deps, workspaceId)),
    linearUserId,
    memberId: resolved.memberId,
    teamDefaultEnvId: await teamDefaultEnvironment(deps, workspaceId, input.teamId),
  };
}

/**
 * What GitHub says the member's linked login may do in `repository`, asked through the workspace's GitHub App
 * installations (the one holding the repository answers). null: unknown, and the access check fails closed.
 * A transient GitHub failure is thrown so the event is processed again.
 */
export async function loadRepoPermission(
  deps: Deps,
  workspaceId: string,
  login: string | null,
  repository: string,
): Promise<RepoPermission | null> {
  if (!login) return null;
  const installations = await deps.database.db
    .select({ externalId: workspaceLinks.externalId })
    .from(workspaceLinks)
    .where(and(eq(workspaceLinks.workspaceId, workspaceId), eq(workspaceLinks.kind, "github_installation")));
  let answer: RepoPermission | null = null;
  let transient: OutboundError | null = null;
  for (const { externalId } of installations) {
    try {
      const permission = await repoPermission(deps, { installationId: externalId, repository, login });
      if (permission !== "none") return permission;
      answer = "none";
    } catch (error) {
      if (error instanceof OutboundError && error.retryable) transient = error;
      else deps.logger.warn({ error: (error as Error).message }, "GitHub permission unavailable");
    }
  }
  if (answer === null && transient) throw transient;
  return answer;
}

/** A session's tasks: the workspace index narrows the scan, json_extract works alike on SQLite and D1. */
const ofSession = (workspaceId: string, sessionId: string) =>
  and(
    eq(tasks.workspaceId, workspaceId),
    sql`json_extract(${tasks.origin}, '$.agentSessionId') = ${sessionId}`,
  );

/** What a stop halts: the session (when it is this organization's), its active tasks, who pressed stop. */
export async function loadStopContext(deps: Deps, event: SessionEvent): Promise<StopContext> {
  const session = await getSession(deps, event.sessionId);
  if (!session || session.organizationId !== event.organizationId) {
    return { session: null, active: [], stopperMemberId: null };
  }
  const active: ActiveTask[] = await deps.database.db
    .select({ id: tasks.id, requesterMemberId: tasks.requesterMemberId, status: tasks.status })
    .from(tasks)
    .where(
      and(ofSession(session.workspaceId, event.sessionId), inArray(tasks.status, ["queued", "running"])),
    );
  const stopperMemberId =
    active.length > 0 && event.creatorId
      ? await findLinkedMember(deps, session.workspaceId, "linear", event.creatorId)
      : null;
  return { session, active, stopperMemberId };
}

/**
 * Whether a task of the session ended cancelled once the stop had arrived. Its cancelled reply then confirms
 * the stop; asking the tasks table (rather than remembering what this run cancelled) keeps a retried step
 * from adding a second final activity after the first run cancelled the task.
 */
export async function cancelledSince(
  deps: Deps,
  workspaceId: string,
  sessionId: string,
  since: number,
): Promise<boolean> {
  const [row] = await deps.database.db
    .select({ id: tasks.id })
    .from(tasks)
    .where(
      and(ofSession(workspaceId, sessionId), eq(tasks.status, "cancelled"), gte(tasks.finishedAt, since)),
    )
    .limit(1);
  return row !== undefined;
}
