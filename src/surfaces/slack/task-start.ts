import type { RepoPermission } from "../../access/types";
import { addReaction, conversationInfo, postMessage } from "../../clients/slack/calls";
import type { Deps } from "../../deps";
import { insertedRow, outboundQuery } from "../../outbox/enqueue";
import { oneLineTitle } from "../../replies/completion";
import { renderTaskStatus } from "../../replies/slack-status";
import { resolveTaskEnvironment } from "../../tasks/environment";
import { createTask } from "../../tasks/service";
import type { Task, TaskMode } from "../../tasks/types";
import { taskUrl } from "../../web/task-url";
import { readSlack } from "./outbound";
import { type MentionRequest, messageKey, targetOf } from "./plan";
import { eyesKey, workingKey } from "./task-status";
import { fetchThreadContext, threadMarkQuery } from "./thread";

// The allowed end of a mention: the task (with the thread as context), the mark that keeps the thread
// listening, the 👀 reaction and the "working on it" reply. Everything is keyed so a second run (a retry, or
// the same message arriving both as `app_mention` and as a thread `message`) adds nothing.

export interface StartInput {
  workspaceId: string;
  memberId: string;
  request: MentionRequest;
  prompt: string;
  /** Ask (read-only, never pushed) or Code. */
  mode: TaskMode;
  environment: { id: string; name: string };
  repoPermission: RepoPermission | null;
  /** Whether the task may open a pull request, and why not when it may not. */
  write: { allowed: boolean; reason?: string };
  /** Whether a full answer may be posted in this channel: false when shared with another organization. */
  externallyShared: boolean;
}

export async function startMentionTask(
  deps: Deps,
  input: StartInput,
): Promise<{ task: Task; created: boolean }> {
  const { request } = input;
  const context: Record<string, unknown> = { repoPermission: input.repoPermission };
  if (request.threadTs) {
    const thread = await fetchThreadContext(deps, {
      teamId: request.teamId,
      enterpriseId: request.enterpriseId,
      channel: request.channel,
      threadTs: request.threadTs,
      beforeTs: request.ts,
      botUserId: request.botUserId,
    });
    if (thread?.text) context.thread = thread.text;
  }
  // The environment as the access check saw it, with the pull-request decision made here (a read-only or
  // confirm-first GitHub app, or a person who declined) rather than GitHub's answer alone.
  const resolved = await resolveTaskEnvironment(deps, {
    workspaceId: input.workspaceId,
    environmentId: input.environment.id,
    requesterMemberId: input.memberId,
    context,
  } as Task);
  if (resolved) {
    context.execution = {
      ...resolved,
      canWrite: resolved.canWrite && input.write.allowed,
      ...(resolved.canWrite && !input.write.allowed && input.write.reason
        ? { noWriteReason: input.write.reason }
        : {}),
    };
  }
  const prompt = input.prompt || "Help with what this Slack thread asks (see the thread below).";
  const result = await createTask(
    deps,
    {
      workspaceId: input.workspaceId,
      requesterMemberId: input.memberId,
      origin: {
        surface: "slack",
        teamId: request.teamId,
        channel: request.channel,
        threadTs: request.threadTs ?? request.ts,
        messageTs: request.ts,
        externallyShared: input.externallyShared,
      },
      environmentId: input.environment.id,
      kind: "task",
      mode: input.mode,
      title: oneLineTitle(prompt, 120),
      prompt,
      context,
      dedupeKey: messageKey(request),
    },
    { inStep: true },
  );
  await announce(deps, result.task, request, input.environment.name);
  return result;
}

/** Thread mark, 👀 and "working on it" (one commit), for a task that exists; safe to call again. */
export async function announce(
  deps: Deps,
  task: Task,
  request: MentionRequest,
  environmentName?: string,
): Promise<void> {
  const thread = request.threadTs ?? request.ts;
  const mark = threadMarkQuery(deps, {
    workspaceId: task.workspaceId,
    teamId: request.teamId,
    channel: request.channel,
    threadTs: thread,
  });
  const target = targetOf(request);
  const eyes = outboundQuery(deps, {
    request: addReaction(target, { channel: request.channel, timestamp: request.ts, name: "eyes" }),
    dedupeKey: eyesKey(task.id),
    taskId: task.id,
  });
  // The thread's status message: edited with each step and once more at the end (task-status.ts).
  const working = renderTaskStatus({
    taskId: task.id,
    taskUrl: taskUrl(deps, task.id),
    ...(environmentName ? { environmentName } : {}),
    mode: task.mode,
    view: { state: "working" },
  });
  const status = outboundQuery(deps, {
    request: postMessage(target, {
      channel: request.channel,
      thread_ts: thread,
      text: working.text,
      blocks: working.blocks,
      unfurl_links: false,
      unfurl_media: false,
    }),
    dedupeKey: workingKey(task.id),
    taskId: task.id,
  });
  if (deps.stepScope) {
    // With the task, when the step started it: the thread never shows a task that was not queued.
    deps.stepScope.writes.push(mark, eyes, status);
    deps.stepScope.afterCommit.push(() => deps.wakeOutbox());
    return;
  }
  const [, eyesRow, statusRow] = await deps.database.batch([mark, eyes, status]);
  if (insertedRow(eyesRow) || insertedRow(statusRow)) deps.wakeOutbox();
}

/**
 * Full answers never go to a channel shared with another organization. The event says so for most channels;
 * when full answers are on, Slack is asked too (https://api.slack.com/methods/conversations.info), and a
 * channel it will not describe counts as shared.
 */
export async function isExternallyShared(
  deps: Deps,
  request: MentionRequest,
  fullAnswers: boolean,
): Promise<boolean> {
  if (request.isExtShared || !fullAnswers) return request.isExtShared;
  const read = await readSlack(deps, conversationInfo(targetOf(request), { channel: request.channel }));
  if (!read.ok) return true;
  const channel = (read.data.channel ?? {}) as { is_ext_shared?: unknown; is_pending_ext_shared?: unknown };
  return channel.is_ext_shared === true || channel.is_pending_ext_shared === true;
}
