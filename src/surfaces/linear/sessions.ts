import type { InboxRow } from "../../db/schema/inbox";
import type { LinearSessionRow } from "../../db/schema/linear";
import type { Deps } from "../../deps";
import type { StepResult } from "../../inbox/processor";
import type { LinearEvent } from "../../ingress/events";
import {
  renderLinearDenial,
  renderLinearElicitation,
  renderLinearThought,
} from "../../replies/linear-activity";
import { createTask, getTask } from "../../tasks/service";
import { taskUrl } from "../../web/task-url";
import { getSnapshot } from "../../workspace/snapshot";
import { findWorkspaceByLink } from "../../workspace/workspaces";
import { type IssueDetails, readIssue, requestTitle } from "./issues";
import { activityCall, queue, sendNow, sessionUrlCall } from "./outbound";
import { isOwnObject } from "./own-objects";
import { prepareRun, type UsableEnvironment } from "./prepare";
import { stopSession } from "./stop";
import { ensureSession, updateSession } from "./store";
import {
  ACK_THOUGHT,
  denialBody,
  FOLLOW_UP_THOUGHT,
  NOT_LINKED,
  noEnvironmentBody,
  startThought,
} from "./wording";

// Linear agent sessions (https://linear.app/developers/agent-interaction): `created` when someone mentions or
// delegates to Codex, `prompted` for each follow-up in the session. The first thing a `created` event gets is
// a thought, sent before any slow work, since Linear shows the session as unresponsive after 10 seconds. A
// `prompted` event carrying Linear's stop signal halts the session instead (stop.ts).

type SessionEvent = Extract<LinearEvent, { kind: "agent_session" }>;

/** The request a session waits to run once it knows the environment (stored while asking). */
interface SessionRequest {
  title: string;
  prompt: string;
  text: string;
  labels: string[];
  teamId: string | null;
  context: Record<string, unknown>;
}

/** The person's own words: the last comment of the thread that started the session, from `promptContext`. */
export function directiveOf(promptContext: string | null): string | null {
  if (!promptContext) return null;
  const thread = /<primary-directive-thread\b[^>]*>([\s\S]*?)<\/primary-directive-thread>/.exec(
    promptContext,
  );
  const comments = [...(thread?.[1] ?? "").matchAll(/<comment\b[^>]*>([\s\S]*?)<\/comment>/g)];
  const body = comments.at(-1)?.[1]?.trim();
  return body || null;
}

export async function onAgentSession(deps: Deps, event: SessionEvent, row: InboxRow): Promise<StepResult> {
  const org = event.organizationId;
  if (event.action === "prompted" && (await isOwnObject(deps, event.activityId))) {
    return { outcome: "ignored: an activity Codex wrote itself" };
  }
  // Before the acknowledgement: after a stop, Linear wants nothing from the agent but the final activity.
  if (event.action === "prompted" && event.signal === "stop") return stopSession(deps, event, row);
  // First, before anything that may be slow (Linear reads, GitHub checks, cloning in the runner).
  const ack = event.action === "created" ? ACK_THOUGHT : FOLLOW_UP_THOUGHT;
  const ackKey = event.action === "created" ? `ack:${event.sessionId}` : `ack:${row.id}`;
  await sendNow(deps, await activityCall(org, event.sessionId, renderLinearThought(ack), ackKey));

  const workspace = await findWorkspaceByLink(deps, "linear_org", org);
  if (!workspace) {
    await queue(
      deps,
      await activityCall(org, event.sessionId, renderLinearDenial(NOT_LINKED), `denied:${row.id}`),
    );
    return { outcome: `denied: Linear organization ${org} is not linked to a workspace` };
  }
  const session = await ensureSession(deps, {
    sessionId: event.sessionId,
    workspaceId: workspace.id,
    organizationId: org,
    issueId: event.issue?.id ?? null,
  });

  if (event.action === "prompted" && session.state === "awaiting_environment" && session.pending) {
    return answerElicitation(deps, event, row, session);
  }
  if (event.action === "prompted" && session.taskId) return followUp(deps, event, row, session);

  const issue = event.issue ? await readIssue(deps, org, event.issue.id) : null;
  const directive = event.action === "prompted" ? event.prompt : directiveOf(event.promptContext);
  const request: SessionRequest = {
    title: requestTitle(issue, event.issue, directive),
    prompt: directive ?? workOn(issue?.identifier ?? event.issue?.identifier),
    text: [directive, event.promptContext, issue?.title, issue?.description].filter(Boolean).join("\n\n"),
    labels: issue?.labels ?? [],
    teamId: issue?.teamId ?? event.issue?.teamId ?? null,
    context: issueContext(event, issue),
  };
  return start(deps, { event, row, workspaceId: workspace.id, request });
}

const workOn = (identifier: string | null | undefined) =>
  identifier ? `Work on the Linear issue ${identifier}.` : "Work on this Linear issue.";

function issueContext(event: SessionEvent, issue: IssueDetails | null): Record<string, unknown> {
  return {
    linearIssue:
      event.promptContext ??
      (issue ? `${issue.identifier} ${issue.title}\n\n${issue.description ?? ""}` : null),
    linearIssueUrl: issue?.url ?? event.issue?.url ?? null,
  };
}

async function start(
  deps: Deps,
  input: {
    event: SessionEvent;
    row: InboxRow;
    workspaceId: string;
    request: SessionRequest;
    environmentId?: string | null;
  },
): Promise<StepResult> {
  const { event, row, request } = input;
  const org = event.organizationId;
  const sid = event.sessionId;
  const prepared = await prepareRun(deps, {
    workspaceId: input.workspaceId,
    linearUserId: event.creatorId,
    text: request.text,
    labels: request.labels,
    teamId: request.teamId,
    target: `linear:session:${sid}`,
    environmentId: input.environmentId,
  });
  switch (prepared.kind) {
    case "denied": {
      await updateSession(deps, sid, { state: "closed", memberId: prepared.memberId });
      const body = denialBody(prepared.decision);
      await queue(deps, await activityCall(org, sid, { type: "error", body }, `denied:${row.id}`));
      return { outcome: `denied: ${prepared.decision.code} (${prepared.decision.decisionId})` };
    }
    case "none": {
      await updateSession(deps, sid, { state: "closed", memberId: prepared.memberId });
      const body = noEnvironmentBody(prepared.message, prepared.nextStep);
      await queue(deps, await activityCall(org, sid, { type: "error", body }, `denied:${row.id}`));
      return { outcome: "denied: no available environments" };
    }
    case "pick": {
      const pending = { ...request, options: prepared.options.map((o) => o.id) };
      await updateSession(deps, sid, {
        state: "awaiting_environment",
        memberId: prepared.memberId,
        pending: JSON.stringify(pending),
      });
      const content = renderLinearElicitation({ options: prepared.options, message: prepared.message });
      await queue(deps, await activityCall(org, sid, content, `elicit:${row.id}`));
      return { outcome: `asked which environment (${prepared.options.length} offered)` };
    }
    case "ready": {
      // Said before the task exists, so it can never arrive after the task's own answer.
      await queue(
        deps,
        await activityCall(
          org,
          sid,
          renderLinearThought(startThought(prepared.environment)),
          `start:${row.id}`,
        ),
      );
      const { task, created } = await createTask(deps, {
        workspaceId: input.workspaceId,
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

/** Which offered environment a reply names: by name or repository, as a word of the reply or the whole of it. */
export function pickFromReply(
  reply: string,
  options: readonly UsableEnvironment[],
): UsableEnvironment | null {
  const text = reply
    .trim()
    .toLowerCase()
    .replace(/^env:/, "")
    .replace(/[.!]+$/, "");
  const exact = options.find((o) => o.name.toLowerCase() === text || o.repository.toLowerCase() === text);
  if (exact) return exact;
  const words = new Set(
    reply
      .toLowerCase()
      .split(/[\s`*_"'“”,;:()]+/)
      .filter(Boolean),
  );
  const named = options.filter(
    (o) => words.has(o.name.toLowerCase()) || words.has(o.repository.toLowerCase()),
  );
  return named.length === 1 ? (named[0] ?? null) : null;
}

async function answerElicitation(
  deps: Deps,
  event: SessionEvent,
  row: InboxRow,
  session: LinearSessionRow,
): Promise<StepResult> {
  const pending = JSON.parse(session.pending as string) as SessionRequest & { options: string[] };
  const snapshot = await getSnapshot(deps, session.workspaceId);
  const offered = pending.options
    .map((id) => snapshot.environments.get(id)?.env)
    .filter((e) => e !== undefined)
    .map((e) => ({ id: e.id, name: e.name, repository: e.repository }));
  const picked = pickFromReply(event.prompt ?? "", offered);
  if (!picked) {
    const content = renderLinearElicitation({
      options: offered,
      message: `I couldn't tell which environment “${(event.prompt ?? "").trim().slice(0, 80)}” means. Which one should I use?`,
    });
    await queue(deps, await activityCall(event.organizationId, event.sessionId, content, `elicit:${row.id}`));
    return { outcome: "asked which environment again" };
  }
  return start(deps, {
    event,
    row,
    workspaceId: session.workspaceId,
    request: pending,
    environmentId: picked.id,
  });
}

/** A follow-up continues the session's conversation: a new task told the previous request and answer. */
async function followUp(
  deps: Deps,
  event: SessionEvent,
  row: InboxRow,
  session: LinearSessionRow,
): Promise<StepResult> {
  const previous = session.taskId ? await getTask(deps, session.taskId) : null;
  const prompt = event.prompt?.trim() || "Continue.";
  const request: SessionRequest = {
    title: previous ? `Follow-up: ${previous.title}` : (prompt.split("\n")[0] ?? "Follow-up"),
    prompt,
    text: prompt,
    labels: [],
    teamId: event.issue?.teamId ?? null,
    context: {
      ...(previous?.context.linearIssue ? { linearIssue: previous.context.linearIssue } : {}),
      previousRequest: previous?.prompt ?? null,
      previousAnswer: previous?.answer ?? previous?.error ?? null,
    },
  };
  return start(deps, {
    event,
    row,
    workspaceId: session.workspaceId,
    request,
    environmentId: session.environmentId,
  });
}
