import type { RepoPermission } from "../../access/types";
import type { Deps } from "../../deps";
import type { SlackEvent } from "../../ingress/events";
import { getTaskByDedupeKey } from "../../tasks/service";
import type { Task } from "../../tasks/types";
import { resolveMember } from "../../workspace/identity-resolve";
import { getSnapshot } from "../../workspace/snapshot";
import { workspaceForSlackEvent } from "./bot-token-team";
import { channelDefault, memberRepoPermission, usableEnvironments } from "./environments";
import { teamDeps } from "./outbound";
import {
  type MentionAnswers,
  type MentionFacts,
  type MentionPending,
  type MentionRequest,
  messageKey,
  targetOf,
} from "./plan";
import { isThreadMarked, threadEnvironment } from "./thread";

// What a mention's plan reads, loaded once per event: who wrote it (and whether Codex listens there at
// all), the member and the workspace's snapshot, the environments they may use and the defaults that pick
// one, and, as the plan asks for them, what GitHub says the member may do in those repositories.

export type MentionEvent = Extract<SlackEvent, { kind: "mention" }>;

/** Where a new message stands before anything is decided about it. */
export type MentionArrival =
  | { kind: "ignored"; outcome: string }
  /** A retry, or the same message as both `app_mention` and thread `message`: its task exists. */
  | { kind: "started"; task: Task; request: MentionRequest }
  | { kind: "new"; pending: MentionPending };

/**
 * The message, the workspace its team belongs to and whether it already has its task. A thread reply that
 * did not mention Codex counts only in a thread Codex was mentioned in. `botUserId` is the app's own user
 * (Bolt's authorization), whose mention is not part of the request.
 */
export async function loadArrival(
  deps: Deps,
  event: MentionEvent,
  botUserId: string | null,
): Promise<MentionArrival> {
  if (!event.userId || event.botId) return { kind: "ignored", outcome: "ignored: written by a bot" };
  if (event.source === "message") {
    const thread = event.threadTs;
    if (
      !thread ||
      !(await isThreadMarked(deps, { teamId: event.teamId, channel: event.channel, threadTs: thread }))
    )
      return { kind: "ignored", outcome: "ignored: a thread reply where Codex was not mentioned" };
  }
  const workspace = await workspaceForSlackEvent(deps, event);
  if (!workspace) {
    return {
      kind: "ignored",
      outcome: `ignored: Slack team ${event.teamId} is not connected to a workspace`,
    };
  }
  const request: MentionRequest = {
    teamId: event.teamId,
    enterpriseId: event.enterpriseId,
    channel: event.channel,
    userId: event.userId,
    text: event.text,
    ts: event.ts,
    threadTs: event.threadTs,
    isExtShared: event.isExtShared,
    botUserId,
  };
  const existing = await getTaskByDedupeKey(deps, messageKey(request));
  if (existing) return { kind: "started", task: existing, request };
  return { kind: "new", pending: { type: "mention", workspaceId: workspace.id, request } };
}

/** The member, one snapshot, their environments and the defaults; GitHub is asked later, as needed. */
export async function loadMentionFacts(
  deps: Deps,
  pending: MentionPending,
  answers: MentionAnswers,
): Promise<MentionFacts> {
  const { workspaceId, request } = pending;
  const resolved = await resolveMember(teamDeps(deps, targetOf(request)), workspaceId, {
    platform: "slack",
    userId: request.userId,
  });
  const snapshot = await getSnapshot(deps, workspaceId);
  const memberId = resolved.memberId;
  // A button press that named the environment needs no defaults.
  const choosing = !answers.environmentId;
  return {
    pending,
    answers,
    snapshot,
    memberId,
    githubLogin: memberId ? snapshot.members.get(memberId)?.member.identities.githubLogin : undefined,
    usable: usableEnvironments(snapshot, memberId),
    channelDefaultEnvId: choosing ? await channelDefault(deps, { workspaceId, ...request }) : null,
    threadEnvironmentId:
      choosing && request.threadTs
        ? await threadEnvironment(deps, { workspaceId, channel: request.channel, threadTs: request.threadTs })
        : null,
    permissions: new Map(),
  };
}

/** The facts with GitHub's answer for each of `repositories` added (a transient failure is thrown). */
export async function withPermissions(
  deps: Deps,
  facts: MentionFacts,
  repositories: readonly string[],
): Promise<MentionFacts> {
  const permissions = new Map<string, RepoPermission | null>(facts.permissions);
  for (const repository of repositories) {
    permissions.set(
      repository,
      await memberRepoPermission(deps, {
        workspaceId: facts.pending.workspaceId,
        githubLogin: facts.githubLogin,
        repository,
      }),
    );
  }
  return { ...facts, permissions };
}
