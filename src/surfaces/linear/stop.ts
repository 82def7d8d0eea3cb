import { and, eq, gte, inArray, sql } from "drizzle-orm";
import type { InboxRow } from "../../db/schema/inbox";
import { tasks } from "../../db/schema/tasks";
import type { Deps } from "../../deps";
import { recordAudit } from "../../governance/audit";
import type { StepResult } from "../../inbox/processor";
import type { LinearEvent } from "../../ingress/events";
import { cancelTask, IllegalTransition, TaskNotFound } from "../../tasks/service";
import { findLinkedMember } from "../../workspace/identity-link";
import { activityCall, queue } from "./outbound";
import { getSession, updateSession } from "./store";

// Linear's stop signal (https://linear.app/developers/agent-signals): the person pressed "stop" on the agent
// session. Linear asks the agent to halt at once, do nothing further, and end with one `response` or `error`
// that says it stopped. So a stop never starts work (not even the usual acknowledgement), cancels whatever the
// session has queued or running, and is confirmed by exactly one final activity: the cancelled task's own
// reply (notify/finish.ts), or, when nothing was running, the response below.

type SessionEvent = Extract<LinearEvent, { kind: "agent_session" }>;

export const STOPPED_IDLE =
  "Stopped. Nothing is running in this session, and nothing will start until you ask again.";
export const STOPPED_PENDING =
  "Stopped. The request waiting for an environment was dropped; nothing is running in this session.";

/** A session's tasks: the workspace index narrows the scan, json_extract works alike on SQLite and D1. */
const ofSession = (workspaceId: string, sessionId: string) =>
  and(
    eq(tasks.workspaceId, workspaceId),
    sql`json_extract(${tasks.origin}, '$.agentSessionId') = ${sessionId}`,
  );

type ActiveTask = { id: string; requesterMemberId: string; status: string };

/** Every queued or running task of the session: a follow-up may have started while an earlier one still ran. */
async function activeTasks(deps: Deps, workspaceId: string, sessionId: string): Promise<ActiveTask[]> {
  return deps.database.db
    .select({ id: tasks.id, requesterMemberId: tasks.requesterMemberId, status: tasks.status })
    .from(tasks)
    .where(and(ofSession(workspaceId, sessionId), inArray(tasks.status, ["queued", "running"])));
}

/**
 * Whether a task of the session ended cancelled once the stop had arrived. Its cancelled reply then confirms
 * the stop; asking the tasks table (rather than remembering what this run cancelled) keeps a retried step
 * from adding a second final activity after the first run cancelled the task.
 */
async function cancelledSince(deps: Deps, workspaceId: string, sessionId: string, since: number) {
  const [row] = await deps.database.db
    .select({ id: tasks.id })
    .from(tasks)
    .where(
      and(ofSession(workspaceId, sessionId), eq(tasks.status, "cancelled"), gte(tasks.finishedAt, since)),
    )
    .limit(1);
  return row !== undefined;
}

/**
 * Cancels one task for whoever pressed stop. Linear shows the stop button to the people in the session, only
 * Linear can sign the webhook, and those same people may already prompt the session into new work; stopping
 * only ends work and reveals nothing. Refusing would also leave the agent working after Linear told it to
 * halt. So anyone's stop is honoured: as the requester's own cancel when the stopper is linked to them, else
 * on the workspace's behalf (`admin`), with an audit entry naming who actually pressed it. The stopper is
 * looked up locally only, since no further call to Linear may precede the halt.
 */
async function cancelForStopper(
  deps: Deps,
  task: ActiveTask,
  stopper: { workspaceId: string; linearUserId: string | null },
): Promise<boolean> {
  const memberId = stopper.linearUserId
    ? await findLinkedMember(deps, stopper.workspaceId, "linear", stopper.linearUserId)
    : null;
  const own = memberId !== null && memberId === task.requesterMemberId;
  try {
    await cancelTask(deps, task.id, own ? { memberId } : { admin: true });
  } catch (error) {
    // It ended on its own a moment ago; its own reply is on its way.
    if (error instanceof IllegalTransition || error instanceof TaskNotFound) return false;
    throw error;
  }
  await recordAudit(deps, {
    workspaceId: stopper.workspaceId,
    actor: memberId ? `member:${memberId}` : `linear:${stopper.linearUserId ?? "unknown"}`,
    action: "task.cancel",
    target: task.id,
    before: { status: task.status },
    after: { status: "cancelled", via: "linear_stop_signal" },
  });
  return true;
}

/** Handles a `prompted` event carrying the stop signal; idempotent per inbox row like the rest of the surface. */
export async function stopSession(deps: Deps, event: SessionEvent, row: InboxRow): Promise<StepResult> {
  const org = event.organizationId;
  const sid = event.sessionId;
  const idle = (body: string) => activityCall(org, sid, { type: "response", body }, `stop:${row.id}`);
  const session = await getSession(deps, sid);
  // No row: the session never reached the point of starting anything here.
  if (!session || session.organizationId !== org) {
    await queue(deps, await idle(STOPPED_IDLE));
    return { outcome: "stopped: nothing was running" };
  }

  // The halt comes first; the session's own bookkeeping after it.
  const stopper = { workspaceId: session.workspaceId, linearUserId: event.creatorId };
  const stopped: string[] = [];
  for (const task of await activeTasks(deps, session.workspaceId, sid)) {
    if (await cancelForStopper(deps, task, stopper)) stopped.push(task.id);
  }
  const wasPending = session.state === "awaiting_environment" && session.pending !== null;
  await updateSession(deps, sid, { state: "closed", pending: null });

  if (await cancelledSince(deps, session.workspaceId, sid, row.receivedAt)) {
    return {
      outcome:
        stopped.length > 0
          ? `stopped: cancelled ${stopped.join(", ")}`
          : "stopped: the session's task was already cancelled",
    };
  }
  await queue(deps, await idle(wasPending ? STOPPED_PENDING : STOPPED_IDLE));
  return {
    outcome: wasPending
      ? "stopped: dropped the request awaiting an environment"
      : "stopped: nothing was running",
  };
}
