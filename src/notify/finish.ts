import { eq } from "drizzle-orm";
import type { IndexedSnapshot } from "../access/snapshot-index";
import { DEFAULT_TOGGLES } from "../access/types";
import { postMessage } from "../clients/slack/calls";
import type { OutboundRequest } from "../clients/types";
import { preparedQuery } from "../db/prepared";
import { members } from "../db/schema/access";
import { outbox } from "../db/schema/outbox";
import type { BatchQuery } from "../db/types";
import type { Deps, KeyedCall } from "../deps";
import { AppError } from "../errors";
import { queueTaskCalls } from "../outbox/enqueue";
import { renderCompletionNotice, type TaskOutcome } from "../replies/completion";
import type { Task } from "../tasks/types";
import { taskUrl } from "../web/task-url";
import { getSnapshot } from "../workspace/snapshot";
import { subscribedChannels } from "./subscriptions";

const OUTCOMES: readonly string[] = ["completed", "failed", "cancelled"] satisfies TaskOutcome[];

export const replyKey = (taskId: string) => `reply:${taskId}`;
export const noticeKey = (taskId: string, channel: string) => `notice:${taskId}:${channel}`;

/**
 * Tells everyone who should know that a task ended: exactly one reply on the surface it came from (the full
 * answer or a link, by the workspace's switches), a one-line notice to every Slack channel subscribed to its
 * environment, and the calls that settle what the surface showed while the task ran (the Slack status message
 * and reaction). Everything goes through the outbox under fixed dedupe keys, in one batch with `also` (the
 * caller's writes that must land with it), so calling this again (a retry, a sweep after a crash) sends
 * nothing twice. Returns the results of `also`; nothing is written for a task that has not ended.
 */
export async function notifyTaskFinished(
  deps: Deps,
  task: Task,
  also: BatchQuery[] = [],
): Promise<unknown[]> {
  if (!OUTCOMES.includes(task.status)) {
    deps.logger.warn(
      { taskId: task.id, status: task.status },
      "notifyTaskFinished called for an unfinished task",
    );
    return [];
  }
  const snapshot = await snapshotOrNull(deps, task.workspaceId);
  const url = taskUrl(deps, task.id);
  const requests: KeyedCall[] = [];

  for (const [i, request] of (await replyRequests(deps, task, snapshot, url)).entries()) {
    requests.push({ key: i === 0 ? replyKey(task.id) : `${replyKey(task.id)}:${i}`, request });
  }

  const channels = await subscribedChannels(deps, task.workspaceId, task.environmentId);
  if (channels.length > 0) {
    const text = renderCompletionNotice({
      title: task.title,
      status: task.status as TaskOutcome,
      requesterName: await requesterName(deps, task),
      taskUrl: url,
    });
    for (const { channelId, slackTeamId } of channels) {
      requests.push({
        key: noticeKey(task.id, channelId),
        request: postMessage(
          { teamId: slackTeamId },
          { channel: channelId, text, unfurl_links: false, unfurl_media: false },
        ),
      });
    }
  }
  if (task.origin.surface !== "api")
    requests.push(...((await deps.surfaces[task.origin.surface].settle?.(deps, task)) ?? []));
  const queued = await queueTaskCalls(deps, task.id, requests, also);
  if (requests.length > 0) {
    deps.logger.info(
      { taskId: task.id, queued: queued.created, already: requests.length - queued.created },
      "task finish notifications queued",
    );
  }
  return queued.also;
}

async function snapshotOrNull(deps: Deps, workspaceId: string): Promise<IndexedSnapshot | null> {
  try {
    return await getSnapshot(deps, workspaceId);
  } catch (error) {
    // A deleted workspace still gets its reply (with default switches: link only); other errors are retried.
    if (error instanceof AppError && error.code === "not_found") return null;
    throw error;
  }
}

async function requesterName(deps: Deps, task: Task): Promise<string> {
  const [row] = await deps.database.db
    .select({ displayName: members.displayName, email: members.email })
    .from(members)
    .where(eq(members.id, task.requesterMemberId))
    .limit(1);
  return row?.displayName || row?.email || "a former member";
}

const queuedByKey = preparedQuery((db, v: { key: string }) =>
  db.select({ id: outbox.id }).from(outbox).where(eq(outbox.dedupeKey, v.key)).limit(1),
);

async function alreadyQueued(deps: Deps, key: string): Promise<boolean> {
  const [row] = await queuedByKey(deps.database.db).all({ key });
  return row !== undefined;
}

/** The reply on the surface the task came from; tasks started through the API are read back through it. */
async function replyRequests(
  deps: Deps,
  task: Task,
  snapshot: IndexedSnapshot | null,
  taskUrl: string,
): Promise<OutboundRequest[]> {
  if (task.origin.surface === "api") return [];
  // A surface may read (e.g. GitHub's files to anchor findings): not again once its reply is queued.
  if (await alreadyQueued(deps, replyKey(task.id))) return [];
  const toggles = snapshot?.snapshot.toggles ?? DEFAULT_TOGGLES;
  return deps.surfaces[task.origin.surface].reply(deps, task, { toggles, taskUrl });
}
