import { levelOf } from "../../../access/levels";
import type { Action, Decision } from "../../../access/types";
import type { InboxRow } from "../../../db/schema/inbox";
import type { Deps } from "../../../deps";
import { recordAudit } from "../../../governance/audit";
import type { StepResult } from "../../../inbox/processor";
import type { SlackEvent } from "../../../ingress/events";
import { decideAndRecord } from "../../../pipeline/access";
import { renderConfirmPrompt } from "../../../replies/slack-interactive";
import { confirmationFor, isAdminCommand } from "../../../routing/slash-admin-help";
import { parseSlashCommand } from "../../../routing/slash-command";
import { COMMAND_PERMISSIONS, mayRun, renderHelp } from "../../../routing/slash-help";
import type { SlashCommand, SlashCommandKind } from "../../../routing/slash-types";
import { resolveMember } from "../../../workspace/identity-resolve";
import { getSnapshot } from "../../../workspace/snapshot";
import { workspaceForSlackEvent } from "../bot-token-team";
import { type Audience, teamDeps, tell, textMessage } from "../outbound";
import { createPending } from "../pending";
import { ADMIN_WRITE_ACTIONS, environmentOf } from "./admin-handlers";
import { type CommandContext, type CommandReply, reply } from "./context";
import { handlerFor } from "./handlers";

// `/codex <subcommand>`: the caller's level (owner, Codex Admin, member) is read from the access module's
// view of them and checked against the command table (routing/slash-help.ts); writes then go through the
// access decision too, so a disabled, read-only or confirm-first Slack app is honoured. Every answer is
// ephemeral, posted to the command's response_url (the HTTP request itself was acknowledged empty at once).
// https://api.slack.com/interactivity/slash-commands#responding_to_commands

type CommandEvent = Extract<SlackEvent, { kind: "slash_command" }>;

/** A write waiting for "Confirm": enough to run the command again once confirmed. */
export interface CommandPending {
  type: "command";
  workspaceId: string;
  teamId: string;
  enterpriseId: string | null;
  userId: string;
  channelId: string;
  text: string;
}

/**
 * Writes, and the access action that stands for them: owners' commands as workspace settings or RBAC
 * changes, Codex Admins' as policy management (the two gates the access module knows for those levels).
 * Personal writes (your own review opt-in, cancelling your own task) need no more than membership.
 */
const WRITE_ACTIONS: Partial<Record<SlashCommandKind, Action>> = {
  "settings.set": "settings.change",
  "app.set-enabled": "settings.change",
  "app.mode": "settings.change",
  "role.grant": "rbac.manage",
  "role.revoke": "rbac.manage",
  "role.default": "rbac.manage",
  "repo.review": "policy.manage",
  "repo.auto-review": "policy.manage",
  "repo.triggers": "policy.manage",
  "repo.contributors": "policy.manage",
  "env.default": "policy.manage",
  notify: "policy.manage",
  "limits.set": "settings.change",
};

export async function handleCommand(deps: Deps, event: CommandEvent, row: InboxRow): Promise<StepResult> {
  const audience: Audience = { via: "response_url", url: event.responseUrl };
  const key = `slack:cmd:${row.id}`;
  const workspace = await workspaceForSlackEvent(deps, event);
  if (!workspace) {
    await tell(
      deps,
      audience,
      textMessage(
        deps.config.slack.clientId
          ? `This Slack workspace isn't connected to Codex yet. A workspace owner can install the app at ${deps.config.publicUrl}/setup/slack.`
          : // A single-team hub (SLACK_BOT_TOKEN) links its token's team by itself; any other team is an owner's call.
            `This Slack workspace isn't connected to Codex. A workspace owner can link it on the overview page, ${deps.config.publicUrl}/.`,
      ),
      key,
    );
    return { outcome: `refused: Slack team ${event.teamId} is not connected to a workspace` };
  }
  return resumeCommand(
    deps,
    {
      type: "command",
      workspaceId: workspace.id,
      teamId: event.teamId,
      enterpriseId: event.enterpriseId,
      userId: event.userId,
      channelId: event.channelId,
      text: event.text,
    },
    { audience, dedupeKey: key, confirmed: false },
  );
}

/** Runs a command (first time, or again once its write was confirmed) and answers the caller. */
export async function resumeCommand(
  deps: Deps,
  pending: CommandPending,
  options: { audience: Audience; dedupeKey: string; confirmed: boolean },
): Promise<StepResult> {
  const target = {
    teamId: pending.teamId,
    ...(pending.enterpriseId ? { enterpriseId: pending.enterpriseId } : {}),
  };
  const scoped = teamDeps(deps, target);
  const resolved = await resolveMember(scoped, pending.workspaceId, {
    platform: "slack",
    userId: pending.userId,
  });
  const snapshot = await getSnapshot(deps, pending.workspaceId);
  const entry = resolved.memberId ? snapshot.members.get(resolved.memberId) : undefined;
  const ctx: CommandContext = {
    deps: scoped,
    workspaceId: pending.workspaceId,
    snapshot,
    memberId: entry ? entry.member.id : null,
    entry,
    level: levelOf(entry),
    slack: {
      teamId: pending.teamId,
      enterpriseId: pending.enterpriseId,
      userId: pending.userId,
      channelId: pending.channelId,
    },
    actor: entry ? `member:${entry.member.id}` : `slack:${pending.userId}`,
  };
  const command = parseSlashCommand(pending.text);
  const answer = await runCommand(ctx, command, pending, options.confirmed);
  await tell(deps, options.audience, answer.message, options.dedupeKey);
  return { outcome: `/codex ${command.kind}: ${answer.outcome}` };
}

async function runCommand(
  ctx: CommandContext,
  command: SlashCommand,
  pending: CommandPending,
  confirmed: boolean,
): Promise<CommandReply> {
  if (command.kind === "help") {
    const text = renderHelp(ctx.level, {
      ...(command.error ? { error: command.error } : {}),
      ...(command.topic ? { topic: command.topic } : {}),
    });
    return reply(text, command.error ? "unreadable input, answered with help" : "help");
  }
  if (!mayRun(ctx.level, command.kind)) return refuse(ctx, command);
  const admin = isAdminCommand(command) ? command : null;
  const action = WRITE_ACTIONS[command.kind] ?? (admin ? ADMIN_WRITE_ACTIONS[admin.kind] : undefined);
  const environmentId = admin ? environmentOf(ctx, admin) : undefined;
  // An environment nobody can find is not a decision to record: the handler says there is no such one.
  if (action && !(action === "environment.edit" && !environmentId)) {
    const decision = await decideAndRecord(ctx.deps, {
      workspaceId: ctx.workspaceId,
      request: {
        actor: { memberId: ctx.memberId, platform: "slack", platformUserId: ctx.slack.userId },
        surface: "slack",
        action,
        confirmed,
        ...(environmentId ? { environmentId } : {}),
      },
      actorLabel: `slack:${ctx.slack.userId}`,
      target: `/codex ${command.kind}`,
    });
    if (decision.code === "CONFIRMATION_REQUIRED") {
      const slackApp = ctx.snapshot.appByKind.get("slack")?.app.name ?? "Slack";
      return askToConfirm(ctx, pending, slackApp, `run \`/codex ${pending.text.trim()}\``);
    }
    if (!decision.allowed) return reply(`🚫 ${decision.message}`, `denied: ${decision.code}`);
  }
  // Destructive administration changes wait for the caller's "Confirm", whatever the app's mode.
  const destructive = admin ? confirmationFor(admin) : null;
  if (destructive && !confirmed)
    return askToConfirm(ctx, pending, "Codex", `\`/codex ${pending.text.trim()}\` will ${destructive}`);
  return handlerFor(command.kind)(ctx, command);
}

/** Keeps the command until its caller presses "Confirm" (interactions.ts runs it again, confirmed). */
async function askToConfirm(
  ctx: CommandContext,
  pending: CommandPending,
  appName: string,
  summary: string,
): Promise<CommandReply> {
  const ref = await createPending(ctx.deps, {
    workspaceId: ctx.workspaceId,
    kind: "confirm",
    teamId: ctx.slack.teamId,
    userId: ctx.slack.userId,
    payload: pending,
  });
  return {
    message: renderConfirmPrompt({ confirmRef: ref, appName, summary }),
    outcome: "asked to confirm the write",
  };
}

const LEVEL_NAMES = { owner: "a workspace owner", codex_admin: "a Codex Admin", member: "a member" } as const;

/** Below the command's level: said to the caller, and recorded like every other refusal. */
async function refuse(ctx: CommandContext, command: SlashCommand): Promise<CommandReply> {
  const needed = COMMAND_PERMISSIONS[command.kind];
  const code: Decision["code"] =
    ctx.level === null
      ? ctx.entry
        ? "MEMBER_DEACTIVATED"
        : "UNKNOWN_ACTOR"
      : needed === "owner"
        ? "NOT_OWNER"
        : "NOT_CODEX_ADMIN";
  const message =
    ctx.level === null
      ? renderHelp(null)
      : `🚫 \`/codex ${command.kind.replace(".", " ")}\` needs ${LEVEL_NAMES[needed]} or above; you are ${LEVEL_NAMES[ctx.level]}. Ask ${needed === "owner" ? "a workspace owner" : "a Codex Admin"} to run it. \`/codex help\` lists what you can run.`;
  const decision: Decision = {
    allowed: false,
    code,
    message,
    trace: [
      {
        check: "command",
        outcome: "fail",
        found: `/codex ${command.kind} needs ${needed}; the caller is ${ctx.level ?? "not an active member"}`,
      },
    ],
  };
  await recordAudit(ctx.deps, {
    workspaceId: ctx.workspaceId,
    actor: `slack:${ctx.slack.userId}`,
    action: "decision.slack.command",
    target: `/codex ${command.kind}`,
    decision,
  });
  return reply(message, `refused: ${code}`);
}
