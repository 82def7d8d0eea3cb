import { and, eq } from "drizzle-orm";
import { slackChannelDefaults } from "../../../db/schema/slack";
import { auditQuery, recordAudit } from "../../../governance/audit";
import { listSubscriptions, subscribe, unsubscribe } from "../../../notify/subscriptions";
import { channelDefault, usableEnvironments } from "../environments";
import { byName, type CommandContext, changed, code, esc, type Handler, reply, unchanged } from "./context";

// Who am I, where can I work, and what does this channel hear: whoami, env list|default, notify.

const LEVEL_LABEL = { owner: "workspace owner", codex_admin: "Codex Admin", member: "member" } as const;

export const whoami: Handler<"whoami"> = async (ctx) => {
  const entry = ctx.entry;
  if (!entry || !ctx.level) return reply("You are not a member of this workspace.", "not a member");
  const { member } = entry;
  const roles = entry.roleIds.map((id) => ctx.snapshot.roles.get(id)?.name ?? id);
  const ids = member.identities;
  const linked = [
    `Slack ${ids.slackUserId ? `<@${ids.slackUserId}>` : "not linked"}`,
    `GitHub ${ids.githubLogin ? code(ids.githubLogin) : "not linked (needed to run tasks in repositories)"}`,
    `Linear ${ids.linearUserId ? code(ids.linearUserId) : "not linked"}`,
  ];
  const policy = entry.policy.policy;
  const lines = [
    `*${esc(member.email)}*: ${LEVEL_LABEL[ctx.level]}`,
    `• Roles: ${esc(roles.join(", ") || "none")}${entry.usesDefaultRole ? " (the default role)" : ""}`,
    `• Permissions: ${entry.permissions.join(", ") || "none"}`,
    `• Linked: ${linked.join("; ")}`,
    `• Managed policy: ${policy ? `*${esc(policy.name)}*` : "none"} (${esc(entry.policy.reason)})`,
  ];
  return reply(lines.join("\n"), "described the caller");
};

function environmentNamed(ctx: CommandContext, name: string) {
  return byName(ctx.snapshot.snapshot.environments, name);
}

export const envList: Handler<"env.list"> = async (ctx) => {
  const usable = usableEnvironments(ctx.snapshot, ctx.memberId);
  const current = await channelDefault(ctx.deps, {
    workspaceId: ctx.workspaceId,
    teamId: ctx.slack.teamId,
    channel: ctx.slack.channelId,
  });
  if (usable.length === 0) {
    return reply(
      "No environment is available to you. Ask a Codex Admin to create one or give you access.",
      "listed 0 environments",
    );
  }
  const lines = usable.map(
    (e) => `• *${esc(e.name)}* (${esc(e.repository)})${e.id === current ? " — this channel's default" : ""}`,
  );
  return reply(["*Environments you can use*", ...lines].join("\n"), `listed ${usable.length} environments`);
};

export const envDefault: Handler<"env.default"> = async (ctx, command) => {
  const where = { workspaceId: ctx.workspaceId, teamId: ctx.slack.teamId, channel: ctx.slack.channelId };
  const env = environmentNamed(ctx, command.environmentName);
  const clear = !env && ["none", "off", "clear"].includes(command.environmentName.trim().toLowerCase());
  if (!env && !clear)
    return reply(`No environment named ${code(command.environmentName)}.`, "unknown environment");
  const beforeId = await channelDefault(ctx.deps, where);
  const beforeName = beforeId ? (ctx.snapshot.environments.get(beforeId)?.env.name ?? beforeId) : "none";
  if ((beforeId ?? null) === (env?.id ?? null))
    return reply(unchanged("This channel's default environment", beforeName), "no change");
  const { db } = ctx.deps.database;
  const audit = auditQuery(ctx.deps, {
    workspaceId: ctx.workspaceId,
    actor: ctx.actor,
    action: "slack.channel_default",
    target: `${ctx.slack.teamId}:${ctx.slack.channelId}`,
    before: { environmentId: beforeId },
    after: { environmentId: env?.id ?? null },
  });
  const write = env
    ? db
        .insert(slackChannelDefaults)
        .values({
          workspaceId: ctx.workspaceId,
          teamId: ctx.slack.teamId,
          channelId: ctx.slack.channelId,
          environmentId: env.id,
          setBy: ctx.actor,
          updatedAt: ctx.deps.clock.now(),
        })
        .onConflictDoUpdate({
          target: [
            slackChannelDefaults.workspaceId,
            slackChannelDefaults.teamId,
            slackChannelDefaults.channelId,
          ],
          set: { environmentId: env.id, setBy: ctx.actor, updatedAt: ctx.deps.clock.now() },
        })
    : db
        .delete(slackChannelDefaults)
        .where(
          and(
            eq(slackChannelDefaults.workspaceId, ctx.workspaceId),
            eq(slackChannelDefaults.teamId, ctx.slack.teamId),
            eq(slackChannelDefaults.channelId, ctx.slack.channelId),
          ),
        );
  await ctx.deps.database.batch([write, ...audit.queries]);
  return reply(
    changed("This channel's default environment", beforeName, env?.name ?? "none"),
    `channel default → ${env?.name ?? "none"}`,
  );
};

async function channelSubscriptions(ctx: CommandContext): Promise<string> {
  const subs = await listSubscriptions(ctx.deps, {
    workspaceId: ctx.workspaceId,
    channelId: ctx.slack.channelId,
  });
  const names = subs.map((s) =>
    s.environmentId === null
      ? "all environments"
      : (ctx.snapshot.environments.get(s.environmentId)?.env.name ?? s.environmentId),
  );
  return names.join(", ") || "none";
}

export const notify: Handler<"notify"> = async (ctx, command) => {
  let environmentId: string | null = null;
  if (command.environmentName) {
    const env = environmentNamed(ctx, command.environmentName);
    if (!env) return reply(`No environment named ${code(command.environmentName)}.`, "unknown environment");
    environmentId = env.id;
  }
  const before = await channelSubscriptions(ctx);
  let changedAny: boolean;
  if (command.enabled) {
    const result = await subscribe(ctx.deps, {
      workspaceId: ctx.workspaceId,
      environmentId,
      slackTeamId: ctx.slack.teamId,
      channelId: ctx.slack.channelId,
      ...(ctx.memberId ? { createdBy: ctx.memberId } : {}),
    });
    changedAny = result.created;
  } else {
    const removed = await unsubscribe(ctx.deps, {
      workspaceId: ctx.workspaceId,
      channelId: ctx.slack.channelId,
      // Off without an environment silences the channel entirely.
      ...(command.environmentName ? { environmentId } : {}),
    });
    changedAny = removed > 0;
  }
  const what = "Task-completion notices in this channel";
  if (!changedAny) return reply(unchanged(what, before), "no change");
  const after = await channelSubscriptions(ctx);
  await recordAudit(ctx.deps, {
    workspaceId: ctx.workspaceId,
    actor: ctx.actor,
    action: command.enabled ? "notify.subscribe" : "notify.unsubscribe",
    target: `${ctx.slack.teamId}:${ctx.slack.channelId}`,
    before: { subscriptions: before },
    after: { subscriptions: after },
  });
  return reply(changed(what, before, after), `notices ${before} → ${after}`);
};
