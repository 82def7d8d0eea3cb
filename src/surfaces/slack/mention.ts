import { decide } from "../../access/decide";
import type { AccessRequest } from "../../access/types";
import type { InboxRow } from "../../db/schema/inbox";
import type { Deps } from "../../deps";
import { storedPayload } from "../../inbox/payload-codec";
import type { StepResult } from "../../inbox/processor";
import type { SlackEvent } from "../../ingress/events";
import { decideAndRecord } from "../../pipeline/access";
import { renderEnvironmentPicker } from "../../replies/slack-interactive";
import { renderDenial } from "../../replies/slack-messages";
import { parseMention } from "../../routing/mention";
import { getTaskByDedupeKey } from "../../tasks/service";
import { resolveMember } from "../../workspace/identity-resolve";
import { getSnapshot } from "../../workspace/snapshot";
import { workspaceForSlackEvent } from "./bot-token-team";
import { chooseMentionEnvironment } from "./choose";
import { denialMessage } from "./denial";
import { channelDefault, usableEnvironments } from "./environments";
import { findInstallation } from "./installations";
import { decideAndStart } from "./mention-decide";
import { announce, type MentionRequest, messageKey, targetOf } from "./mention-task";
import { type Audience, teamDeps, tell, textMessage } from "./outbound";
import { createPending } from "./pending";
import { isThreadMarked, threadEnvironment } from "./thread";

// `@Codex <request>` (and replies in threads Codex was mentioned in): identity → access decision →
// environment → task. Every refusal goes to the person alone; nothing but the task's own replies reaches the
// channel. https://api.slack.com/events/app_mention

type MentionEvent = Extract<SlackEvent, { kind: "mention" }>;

/** Waiting for a button press: the mention, and for a confirmation the environment already chosen. */
export interface MentionPending {
  type: "mention";
  workspaceId: string;
  request: MentionRequest;
  environmentId?: string;
}

export interface ResumeOptions {
  /** Where to say things: ephemeral in the channel, or the response URL of the button pressed. */
  audience: Audience;
  /** Prefix of the dedupe keys of what is said, so a retry says nothing twice. */
  tellKey: string;
  /**
   * For thread replies that did not @mention Codex: refusals are said once per person, thread and reason
   * (under this key), since the person may not be talking to Codex at all.
   */
  denialKey?: string;
  environmentId?: string;
  confirmed?: boolean;
  declinedWrite?: boolean;
}

const denialKey = (options: ResumeOptions, code: string) =>
  options.denialKey ? `${options.denialKey}:${code}` : `${options.tellKey}:denied`;

/** The bot user the event was delivered to (`authorizations[0]`), whose mention is not part of the request. */
function botUserIdOf(row: InboxRow): string | null {
  try {
    const body = JSON.parse(storedPayload(row) ?? "{}") as { authorizations?: { user_id?: unknown }[] };
    const id = body.authorizations?.[0]?.user_id;
    return typeof id === "string" ? id : null;
  } catch {
    return null;
  }
}

export async function handleMention(deps: Deps, event: MentionEvent, row: InboxRow): Promise<StepResult> {
  if (!event.userId || event.botId) return { outcome: "ignored: written by a bot" };
  if (event.source === "message") {
    const thread = event.threadTs;
    if (
      !thread ||
      !(await isThreadMarked(deps, { teamId: event.teamId, channel: event.channel, threadTs: thread }))
    )
      return { outcome: "ignored: a thread reply where Codex was not mentioned" };
  }
  const workspace = await workspaceForSlackEvent(deps, event);
  if (!workspace) return { outcome: `ignored: Slack team ${event.teamId} is not connected to a workspace` };
  const request: MentionRequest = {
    teamId: event.teamId,
    enterpriseId: event.enterpriseId,
    channel: event.channel,
    userId: event.userId,
    text: event.text,
    ts: event.ts,
    threadTs: event.threadTs,
    isExtShared: event.isExtShared,
    botUserId: botUserIdOf(row) ?? (await findInstallation(deps, targetOf(event)))?.botUserId ?? null,
  };
  const existing = await getTaskByDedupeKey(deps, messageKey(request));
  if (existing) {
    await announce(deps, existing, request);
    return { outcome: `task ${existing.id} already started for this message` };
  }
  const audience: Audience = {
    via: "ephemeral",
    target: targetOf(request),
    channel: request.channel,
    user: request.userId,
    threadTs: request.threadTs,
  };
  return resumeMention(
    deps,
    { type: "mention", workspaceId: workspace.id, request },
    {
      audience,
      tellKey: messageKey(request),
      ...(event.source === "message" && request.threadTs
        ? {
            denialKey: `slack:thread-denied:${request.teamId}:${request.channel}:${request.threadTs}:${request.userId}`,
          }
        : {}),
    },
  );
}

/** The request text without the bot's own mention; a leading mention is dropped when the bot is unknown. */
function readMention(request: MentionRequest, names: string[], repositories: string[]) {
  const text = request.botUserId
    ? request.text
    : request.text.replace(/^\s*<@[UW][A-Z0-9]+(?:\|[^>]*)?>/, "");
  return parseMention(text, { botUserId: request.botUserId ?? "", environmentNames: names, repositories });
}

/** From the mention (or a button press) to a task, a picker, a confirmation or a refusal. */
export async function resumeMention(
  deps: Deps,
  pending: MentionPending,
  options: ResumeOptions,
): Promise<StepResult> {
  const { workspaceId, request } = pending;
  const resolved = await resolveMember(teamDeps(deps, targetOf(request)), workspaceId, {
    platform: "slack",
    userId: request.userId,
  });
  const snapshot = await getSnapshot(deps, workspaceId);
  const memberId = resolved.memberId;
  const usable = usableEnvironments(snapshot, memberId);
  const base: AccessRequest = {
    actor: { memberId, platform: "slack", platformUserId: request.userId },
    surface: "slack",
    action: "task.run",
  };
  const record = (accessRequest: AccessRequest) =>
    decideAndRecord(deps, {
      workspaceId,
      request: accessRequest,
      actorLabel: `slack:${request.userId}`,
      target: messageKey(request),
    });
  const refuse = async (decision: Awaited<ReturnType<typeof record>>, refusedEnvironmentId?: string) => {
    // The environment just refused is not suggested again.
    const others = usable.filter((e) => e.id !== refusedEnvironmentId);
    const message = await denialMessage(deps, decision, { memberId, usableNames: others.map((e) => e.name) });
    await tell(deps, options.audience, message, denialKey(options, decision.code));
    return { outcome: `denied: ${decision.code} (decision ${decision.decisionId})` };
  };

  // What no environment can fix (unknown person, Codex cloud off, no role...) is said before anyone picks one.
  const early = decide(base, snapshot);
  if (!early.allowed && early.code !== "ENV_NOT_FOUND") return refuse(await record(base));

  const parsed = readMention(
    request,
    usable.map((e) => e.name),
    usable.map((e) => e.repository),
  );
  if (!parsed.prompt && !request.threadTs) {
    const message = textMessage(
      "What should I do? Mention me with a request, e.g. `@Codex fix the flaky login test`.",
    );
    await tell(deps, options.audience, message, `${options.tellKey}:empty`);
    return { outcome: "ignored: a mention without a request" };
  }

  let environmentId = options.environmentId;
  if (!environmentId) {
    const choice = await chooseMentionEnvironment(deps, {
      workspaceId,
      parsed,
      channelDefaultEnvId: await channelDefault(deps, { workspaceId, ...request }),
      threadEnvironmentId: request.threadTs
        ? await threadEnvironment(deps, { workspaceId, channel: request.channel, threadTs: request.threadTs })
        : null,
      usable,
      githubLogin: memberId ? snapshot.members.get(memberId)?.member.identities.githubLogin : undefined,
    });
    if (choice.kind === "none") {
      const decision = await record(base);
      const denial = renderDenial({ reason: choice.reason, nextStep: choice.nextStep });
      await tell(deps, options.audience, denial, denialKey(options, choice.code));
      const what = choice.code === "UNKNOWN_ENVIRONMENT" ? "the environment named" : "no usable environment";
      return { outcome: `denied: ${what} (decision ${decision.decisionId})` };
    }
    if (choice.kind === "pick") {
      const ref = await createPending(deps, {
        workspaceId,
        kind: "pick",
        teamId: request.teamId,
        userId: request.userId,
        payload: pending,
      });
      const picker = renderEnvironmentPicker({
        requestRef: ref,
        options: choice.options,
        message: choice.message,
      });
      await tell(deps, options.audience, picker, `${options.tellKey}:picker`);
      return { outcome: `asked to pick one of ${choice.options.length} environments` };
    }
    environmentId = choice.environment.id;
  }
  return decideAndStart(deps, {
    pending,
    options,
    snapshot,
    memberId,
    base,
    parsedPrompt: parsed.prompt,
    refuse,
    record,
    environmentId,
  });
}
