import { and, eq, like, sql } from "drizzle-orm";
import { addReaction, removeReaction, updateMessage } from "../../clients/slack/calls";
import type { OutboundRequest, SlackTarget } from "../../clients/types";
import { preparedQuery } from "../../db/prepared";
import { outbox } from "../../db/schema/outbox";
import { tasks } from "../../db/schema/tasks";
import type { Deps, KeyedCall, SentCall } from "../../deps";
import { enqueueOutbound, queueTaskCalls } from "../../outbox/enqueue";
import { outboxRowByKey, storedRequest } from "../../outbox/store";
import { replyMode, type TaskOutcome } from "../../replies/completion";
import { progressStep, renderTaskStatus, type TaskStatusView } from "../../replies/slack-status";
import type { SlackMessage } from "../../replies/slack-types";
import { isTerminal } from "../../tasks/lifecycle";
import { getTask, getTaskStatus } from "../../tasks/service";
import type { ProgressNotice, Task } from "../../tasks/types";
import { taskUrl } from "../../web/task-url";
import { getSnapshot } from "../../workspace/snapshot";

// A Slack task's status where it was asked: the 👀 on the mention and the status message in the thread
// (task-start.ts posts both), the message edited with the latest step while the task runs, and both settled
// when it ends: the message says how it ended (without its Cancel button) and the 👀 becomes ✅, ❌ or 🚫.
//
// Everything goes through the outbox, so several processes may show progress for the same task: the outbox's
// unique dedupe keys are the throttle (one edit per slot, and the slot is the count of earlier edits), and the
// posted message's `ts` is the answer the outbox stored for it. Calls that need a `ts` Slack has not given yet
// are made when the outbox says it has (`slackSent`), so a task that ends before its message is posted, or a
// late edit that lands after the final one, still ends on the right words.

export const workingKey = (taskId: string) => `slack:working:${taskId}`;
export const eyesKey = (taskId: string) => `slack:react:${taskId}`;
const progressPrefix = (taskId: string) => `slack:progress:${taskId}:`;
const finalKey = (taskId: string) => `slack:status:${taskId}`;
const unreactKey = (taskId: string) => `slack:unreact:${taskId}`;
const outcomeKey = (taskId: string) => `slack:react:${taskId}:outcome`;

/** At most one edit of the status message this often per task: Slack allows ~50 chat.update a minute per team. */
export const PROGRESS_INTERVAL_MS = 5_000;

/**
 * The reaction that replaces 👀 on the mention. A cancelled task gets 🚫 (`no_entry_sign`), the sign every
 * message of the hub shows for a cancellation, rather than ❌, which stays the sign of a failure.
 */
export const OUTCOME_REACTIONS: Record<TaskOutcome, string> = {
  completed: "white_check_mark",
  failed: "x",
  cancelled: "no_entry_sign",
};

/** The status message as Slack posted it (its channel and `ts`, and the team it was posted as), once it is. */
interface PostedStatus {
  target: SlackTarget;
  channel: string;
  ts: string;
}

async function postedStatus(deps: Pick<Deps, "database">, taskId: string): Promise<PostedStatus | null> {
  const row = await outboxRowByKey(deps.database, workingKey(taskId));
  if (!row?.response) return null;
  const answer = JSON.parse(row.response) as { ts?: unknown; channel?: unknown };
  const request = storedRequest(row);
  if (typeof answer.ts !== "string" || request.platform !== "slack") return null;
  const channel = typeof answer.channel === "string" ? answer.channel : String(request.args.channel);
  return { target: request.target ?? {}, channel, ts: answer.ts };
}

async function environmentName(deps: Deps, task: Task): Promise<string | undefined> {
  if (!task.environmentId) return undefined;
  const snapshot = await getSnapshot(deps, task.workspaceId).catch(() => null);
  return snapshot?.environments.get(task.environmentId)?.env.name;
}

/** The status message for `view`, where it was posted. */
async function statusUpdate(
  deps: Deps,
  task: Task,
  posted: PostedStatus,
  view: TaskStatusView,
): Promise<OutboundRequest> {
  const environment = await environmentName(deps, task);
  const message: SlackMessage = renderTaskStatus({
    taskId: task.id,
    taskUrl: taskUrl(deps, task.id),
    ...(environment ? { environmentName: environment } : {}),
    mode: task.mode,
    view,
  });
  return updateMessage(posted.target, { channel: posted.channel, ts: posted.ts, ...message });
}

/** How many progress edits a task's status message has had, when the last was queued, and how many wait. */
const progressEdits = preparedQuery((db, v: { taskId: string; keys: string }) =>
  db
    .select({
      count: sql<number>`count(*)`,
      lastAt: sql<number | null>`max(${outbox.createdAt})`,
      waiting: sql<number>`coalesce(sum(${outbox.status} in ('pending', 'sending')), 0)`,
    })
    .from(outbox)
    .where(and(eq(outbox.taskId, v.taskId), like(outbox.dedupeKey, v.keys))),
);

/**
 * Progress shown where a Slack task was asked (the surface's `progress` hook): the status message edited with
 * the step, at most once per PROGRESS_INTERVAL_MS and never while the previous edit is still waiting to be sent,
 * so a rate-limited team gets the latest step, not a backlog. The step names what it touched only where full
 * answers may be posted; elsewhere only its kind ("Running commands").
 */
export async function slackProgress(deps: Deps, notice: ProgressNotice): Promise<void> {
  const { origin, taskId } = notice;
  if (origin.surface !== "slack") return;
  const posted = await postedStatus(deps, taskId);
  if (!posted) return;
  const [edits] = await progressEdits(deps.database.db).all({ taskId, keys: `${progressPrefix(taskId)}%` });
  const count = Number(edits?.count ?? 0);
  if (Number(edits?.waiting ?? 0) > 0) return;
  if (edits?.lastAt != null && deps.clock.now() - Number(edits.lastAt) < PROGRESS_INTERVAL_MS) return;
  const task = await getTask(deps, taskId);
  if (!task || isTerminal(task.status)) return;
  const snapshot = await getSnapshot(deps, task.workspaceId).catch(() => null);
  const mode = snapshot
    ? replyMode({
        surface: "slack",
        toggles: snapshot.snapshot.toggles,
        externallyShared: origin.externallyShared,
      })
    : "link";
  const step = progressStep(notice.event, mode === "full" ? "full" : "kind");
  // Two processes counting the same edits race for the same key: the outbox keeps one.
  await enqueueOutbound(deps, {
    request: await statusUpdate(deps, task, posted, { state: "working", step }),
    dedupeKey: `${progressPrefix(taskId)}${count + 1}`,
    taskId,
  });
}

/** How the status message tells the end: done, failed (one line), or cancelled and by whom. */
async function endView(deps: Deps, task: Task): Promise<TaskStatusView> {
  switch (task.status) {
    case "completed":
      return { state: "completed" };
    case "cancelled": {
      const [row] = await deps.database.db
        .select({ by: tasks.cancelledBy })
        .from(tasks)
        .where(eq(tasks.id, task.id));
      const snapshot = await getSnapshot(deps, task.workspaceId).catch(() => null);
      const member = row?.by ? snapshot?.members.get(row.by) : undefined;
      return { state: "cancelled", byUserId: member?.member.identities.slackUserId ?? null };
    }
    default:
      return { state: "failed", reason: task.error ?? "" };
  }
}

/**
 * The end of a Slack task where it was asked (the surface's `settle` calls): the status message edited to say
 * how it ended, and 👀 swapped for the outcome's reaction. What Slack has not been given yet (the message, the
 * 👀) is settled when the outbox delivers it; fixed keys make every call once.
 */
export async function slackSettleCalls(deps: Deps, task: Task): Promise<KeyedCall[]> {
  const { origin } = task;
  if (origin.surface !== "slack" || !isTerminal(task.status)) return [];
  const calls: KeyedCall[] = [];
  const posted = await postedStatus(deps, task.id);
  if (posted) {
    calls.push({
      key: finalKey(task.id),
      request: await statusUpdate(deps, task, posted, await endView(deps, task)),
    });
  }
  const eyes = await outboxRowByKey(deps.database, eyesKey(task.id));
  // Without a 👀 (the task was never announced in a thread) there is nothing to swap.
  if (eyes) {
    const reacted = storedRequest(eyes);
    const target: SlackTarget = (reacted.platform === "slack" && reacted.target) || {};
    const on = { channel: origin.channel, timestamp: origin.messageTs };
    if (eyes.status === "sent") {
      calls.push({ key: unreactKey(task.id), request: removeReaction(target, { ...on, name: "eyes" }) });
    }
    const name = OUTCOME_REACTIONS[task.status as TaskOutcome];
    calls.push({ key: outcomeKey(task.id), request: addReaction(target, { ...on, name }) });
  }
  return calls;
}

/**
 * A Slack call of a task landed (the surface's `sent` hook). The status message or the 👀 of a task that has
 * already ended: settle them now. An edit with a step that landed after the final words: say them again.
 */
export async function slackSent(deps: Deps, call: SentCall): Promise<void> {
  const { taskId, dedupeKey } = call;
  if (!taskId) return;
  const shown = dedupeKey === workingKey(taskId) || dedupeKey === eyesKey(taskId);
  const step = dedupeKey.startsWith(progressPrefix(taskId));
  if (!shown && !step) return;
  // Most calls land while their task still runs: the status alone says so, without reading the whole row.
  const status = await getTaskStatus(deps, taskId);
  if (!status || !isTerminal(status)) return;
  // An ended task never runs again: the status read above still holds.
  const task = await getTask(deps, taskId);
  if (!task) return;
  if (shown) {
    await queueTaskCalls(deps, taskId, await slackSettleCalls(deps, task));
    return;
  }
  const final = await outboxRowByKey(deps.database, finalKey(taskId));
  const posted = await postedStatus(deps, taskId);
  // Still to be sent: it goes after this edit anyway.
  if (final?.status !== "sent" || !posted) return;
  await enqueueOutbound(deps, {
    request: await statusUpdate(deps, task, posted, await endView(deps, task)),
    dedupeKey: `${finalKey(taskId)}:after:${dedupeKey.slice(progressPrefix(taskId).length)}`,
    taskId,
  });
}
