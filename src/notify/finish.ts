import { eq } from "drizzle-orm";
import type { IndexedSnapshot } from "../access/snapshot-index";
import { DEFAULT_TOGGLES } from "../access/types";
import { forLinearOrganization } from "../clients/linear/client";
import { forSlackTeam } from "../clients/slack/client";
import type { OutboundRequest } from "../clients/types";
import { members } from "../db/schema/access";
import { outbox } from "../db/schema/outbox";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { insertedRow, outboundQuery } from "../outbox/enqueue";
import { renderCompletionNotice, replyMode, type TaskOutcome } from "../replies/completion";
import { renderLinearComment, renderLinearOutcome } from "../replies/linear-activity";
import { renderSlackAnswer } from "../replies/slack-blocks";
import { linearObjectId, rememberOwn } from "../surfaces/linear/own-objects";
import type { Task } from "../tasks/types";
import { taskUrl } from "../web/task-url";
import { getSnapshot } from "../workspace/snapshot";
import { renderGithubReviewComment, renderGithubTaskComment } from "./github-comment";
import { subscribedChannels } from "./subscriptions";

const OUTCOMES: readonly string[] = ["completed", "failed", "cancelled"] satisfies TaskOutcome[];

export const replyKey = (taskId: string) => `reply:${taskId}`;
export const noticeKey = (taskId: string, channel: string) => `notice:${taskId}:${channel}`;

/**
 * Tells everyone who should know that a task ended: exactly one reply on the surface it came from (the full
 * answer or a link, by the workspace's switches) and a one-line notice to every Slack channel subscribed to its
 * environment. Everything goes through the outbox under fixed dedupe keys, in one batch, so calling this again
 * (a retry, a sweep after a crash) sends nothing twice.
 */
export async function notifyTaskFinished(deps: Deps, task: Task): Promise<void> {
  if (!OUTCOMES.includes(task.status)) {
    deps.logger.warn(
      { taskId: task.id, status: task.status },
      "notifyTaskFinished called for an unfinished task",
    );
    return;
  }
  const snapshot = await snapshotOrNull(deps, task.workspaceId);
  const url = taskUrl(deps, task.id);
  const requests: { key: string; request: OutboundRequest }[] = [];

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
        request: {
          platform: "slack",
          operation: "chat.postMessage",
          args: forSlackTeam(
            { channel: channelId, text, unfurl_links: false, unfurl_media: false },
            { teamId: slackTeamId },
          ),
        },
      });
    }
  }
  if (requests.length === 0) return;

  const queries = requests.map(({ key, request }) =>
    outboundQuery(deps, { request, dedupeKey: key, taskId: task.id }),
  );
  const results = await deps.database.batch(queries);
  const created = results.filter((r) => insertedRow(r)).length;
  if (created > 0) deps.wakeOutbox();
  deps.logger.info(
    { taskId: task.id, queued: created, already: requests.length - created },
    "task finish notifications queued",
  );
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

async function alreadyQueued(deps: Deps, key: string): Promise<boolean> {
  const [row] = await deps.database.db
    .select({ id: outbox.id })
    .from(outbox)
    .where(eq(outbox.dedupeKey, key))
    .limit(1);
  return row !== undefined;
}

/** The reply on the origin surface: one call, or for a published review what the publisher returns. */
async function replyRequests(
  deps: Deps,
  task: Task,
  snapshot: IndexedSnapshot | null,
  url: string,
): Promise<OutboundRequest[]> {
  const toggles = snapshot?.snapshot.toggles ?? DEFAULT_TOGGLES;
  const status = task.status as TaskOutcome;
  const failure = task.error ? { what: task.error } : undefined;
  const origin = task.origin;
  switch (origin.surface) {
    case "slack": {
      const mode = replyMode({ surface: "slack", toggles, externallyShared: origin.externallyShared });
      const message = renderSlackAnswer({
        answer: task.answer,
        taskUrl: url,
        prUrl: task.prUrl,
        status,
        title: task.title,
        mode,
        failure,
      });
      return [
        {
          platform: "slack",
          operation: "chat.postMessage",
          // The team names whose bot token posts it when the hub serves several Slack teams.
          args: forSlackTeam(
            {
              channel: origin.channel,
              thread_ts: origin.threadTs,
              text: message.text,
              blocks: message.blocks,
              unfurl_links: false,
              unfurl_media: false,
            },
            { teamId: origin.teamId },
          ),
        },
      ];
    }
    case "linear": {
      const mode = replyMode({ surface: "linear", toggles });
      const input = { status, answer: task.answer, taskUrl: url, prUrl: task.prUrl, mode, failure };
      // An id of our own, remembered before sending, so the webhook about this reply is known as ours; the same
      // id on every call, so a repeated notification names the same object.
      const id = await linearObjectId(replyKey(task.id));
      if (origin.agentSessionId) {
        await rememberOwn(deps, "activity", id);
        return [
          {
            platform: "linear",
            operation: "agentActivityCreate",
            args: forLinearOrganization(
              { id, agentSessionId: origin.agentSessionId, content: renderLinearOutcome(input) },
              origin.organizationId,
            ),
          },
        ];
      }
      if (!origin.issueId) {
        deps.logger.warn(
          { taskId: task.id },
          "Linear task has neither agent session nor issue: no reply possible",
        );
        return [];
      }
      const body = renderLinearComment({ ...input, title: task.title });
      await rememberOwn(deps, "comment", id);
      return [
        {
          platform: "linear",
          operation: "commentCreate",
          args: forLinearOrganization(
            {
              id,
              issueId: origin.issueId,
              body,
              ...(origin.commentId ? { parentId: origin.commentId } : {}),
            },
            origin.organizationId,
          ),
        },
      ];
    }
    case "github": {
      const comment = {
        status,
        title: task.title,
        answer: task.answer,
        error: task.error,
        taskUrl: url,
        prUrl: task.prUrl,
      };
      if (task.kind === "review" && deps.reviewPublisher) {
        // The publisher may read from GitHub; skip it when its reply is already queued.
        if (await alreadyQueued(deps, replyKey(task.id))) return [];
        return deps.reviewPublisher(deps, task, { taskUrl: url });
      }
      const body =
        task.kind === "review" ? renderGithubReviewComment(comment) : renderGithubTaskComment(comment);
      return [
        {
          platform: "github",
          operation: "POST /repos/{owner}/{repo}/issues/{issue_number}/comments",
          args: {
            installationId: origin.installationId,
            repository: origin.repository,
            issue_number: origin.prNumber,
            body,
          },
        },
      ];
    }
    case "api":
      // Tasks started through the API are read back through it (and the task page); nothing to post.
      return [];
  }
}
