import { decide } from "../../access/decide";
import type { IndexedSnapshot } from "../../access/snapshot-index";
import type { AccessRequest } from "../../access/types";
import { getSnapshot } from "../../admin/snapshot-store";
import type { InboxRow } from "../../db/schema/inbox";
import type { Deps } from "../../deps";
import { resolveMember } from "../../identity/resolve";
import type { StepResult } from "../../inbox/processor";
import type { SlackEvent } from "../../ingress/events";
import { decideAndRecord } from "../../pipeline/access";
import { renderConfirmPrompt, renderEnvironmentPicker } from "../../replies/slack-interactive";
import { renderDenial } from "../../replies/slack-messages";
import { parseMention } from "../../routing/mention";
import { getTaskByDedupeKey } from "../../tasks/service";
import { chooseMentionEnvironment } from "./choose";
import { denialMessage } from "./denial";
import { channelDefault, memberRepoPermission, usableEnvironments } from "./environments";
import { findInstallation, workspaceForSlack } from "./installations";
import {
  announce,
  isExternallyShared,
  type MentionRequest,
  messageKey,
  startMentionTask,
  targetOf,
} from "./mention-task";
import { type Audience, teamDeps, tell, textMessage } from "./outbound";
import { createPending } from "./pending";
import { isThreadMarked } from "./thread";

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
  environmentId?: string;
  confirmed?: boolean;
  declinedWrite?: boolean;
}

/** The bot user the event was delivered to (`authorizations[0]`), whose mention is not part of the request. */
function botUserIdOf(row: InboxRow): string | null {
  try {
    const body = JSON.parse(row.payload ?? "{}") as { authorizations?: { user_id?: unknown }[] };
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
  const workspace = await workspaceForSlack(deps, event);
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
    await tell(deps, options.audience, message, `${options.tellKey}:denied`);
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
      usable,
      githubLogin: memberId ? snapshot.members.get(memberId)?.member.identities.githubLogin : undefined,
    });
    if (choice.kind === "none") {
      const decision = await record(base);
      const denial = renderDenial({ reason: choice.reason, nextStep: choice.nextStep });
      await tell(deps, options.audience, denial, `${options.tellKey}:denied`);
      return { outcome: `denied: no usable environment (decision ${decision.decisionId})` };
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

interface DecideInput {
  pending: MentionPending;
  options: ResumeOptions;
  snapshot: IndexedSnapshot;
  memberId: string | null;
  base: AccessRequest;
  parsedPrompt: string;
  environmentId: string;
  record: (r: AccessRequest) => ReturnType<typeof decideAndRecord>;
  refuse: (d: Awaited<ReturnType<typeof decideAndRecord>>, environmentId?: string) => Promise<StepResult>;
}

async function decideAndStart(deps: Deps, input: DecideInput): Promise<StepResult> {
  const { pending, options, snapshot, memberId, environmentId } = input;
  const { request, workspaceId } = pending;
  const env = snapshot.environments.get(environmentId)?.env;
  const githubLogin = memberId ? snapshot.members.get(memberId)?.member.identities.githubLogin : undefined;
  const permission = env
    ? await memberRepoPermission(deps, { workspaceId, githubLogin, repository: env.repository })
    : null;
  const accessRequest: AccessRequest = {
    ...input.base,
    environmentId,
    repoPermission: permission,
    githubLinked: Boolean(githubLogin),
  };
  const decision = await input.record(accessRequest);
  if (!decision.allowed || !memberId || !env) return input.refuse(decision, environmentId);

  // The task may open a pull request: a write, which apps may forbid or ask the person to confirm first.
  const write = decide(
    { ...accessRequest, action: "pr.open", confirmed: options.confirmed === true },
    snapshot,
  );
  if (write.code === "CONFIRMATION_REQUIRED" && !options.declinedWrite) {
    const ref = await createPending(deps, {
      workspaceId,
      kind: "confirm",
      teamId: request.teamId,
      userId: request.userId,
      payload: { ...pending, environmentId } satisfies MentionPending,
    });
    const apps = (["slack", "github"] as const)
      .map((kind) => snapshot.appByKind.get(kind)?.app)
      .filter((app) => app?.confirmWrites)
      .map((app) => app?.name);
    const prompt = renderConfirmPrompt({
      confirmRef: ref,
      appName: apps.join(" and ") || "An app",
      summary: `let Codex open a pull request on ${env.repository} if this task changes code. “Don't do it” still runs the task, without a pull request.`,
    });
    await tell(deps, options.audience, prompt, `${options.tellKey}:confirm`);
    return { outcome: "asked to confirm the pull request write" };
  }
  const externallyShared = await isExternallyShared(
    deps,
    request,
    snapshot.snapshot.toggles.slackFullAnswers,
  );
  const { task, created } = await startMentionTask(deps, {
    workspaceId,
    memberId,
    request,
    prompt: input.parsedPrompt,
    environment: { id: env.id, name: env.name },
    repoPermission: permission,
    write: options.declinedWrite
      ? { allowed: false, reason: "you chose not to let Codex open a pull request" }
      : { allowed: write.allowed, reason: write.message },
    externallyShared,
  });
  if (options.audience.via === "response_url") {
    await tell(
      deps,
      options.audience,
      textMessage(`Working on it in *${env.name}*.`),
      `${options.tellKey}:started`,
    );
  }
  return { outcome: `${created ? "started" : "already started"} task ${task.id} in ${env.name}` };
}
