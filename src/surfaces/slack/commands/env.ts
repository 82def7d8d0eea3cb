import {
  INTERNET_PRESET_NAMES,
  INTERNET_PRESETS,
  type InternetPresetName,
} from "../../../access/internet-presets";
import type { InternetAccess } from "../../../access/types";
import type { InternetChange } from "../../../routing/slash-admin-types";
import {
  createEnvironment,
  type EnvironmentView,
  environmentCreateSchema,
  type INTERNET_METHODS,
  internetSchema,
  updateEnvironment,
} from "../../../workspace/environments";
import {
  type CommandContext,
  type CommandReply,
  changed,
  code,
  esc,
  type Handler,
  reply,
  unchanged,
} from "./context";
import { attempt, emailOf, findEnvironment, findPerson, isReply, personLabel } from "./lookups";

// Environments through Slack: the same services as /api/v1/workspaces/{id}/environments and the console's
// Environments page (validated, audited and refused there). Who may edit one was decided before the handler
// ran (the access module's environment check: creator, collaborators, Codex Admins, owners).

const VISIBILITY = { workspace: "everyone", private: "private (creator and collaborators)" } as const;

/** Methods an allowlist opens when nobody named any: reads only. */
const READ_METHODS = ["GET", "HEAD", "OPTIONS"] as const;

function internetText(internet: InternetAccess): string {
  if (internet.mode === "off") return "off";
  const parts = [...internet.domains, ...(internet.presets ?? []).map((p) => `preset ${p}`)];
  return `allowlist ${parts.join(", ")}; methods ${internet.methods.join(", ")}`;
}

function describe(ctx: CommandContext, env: EnvironmentView): string {
  const collaborators = env.collaboratorIds.map((id) => emailOf(ctx, id));
  const lines = [
    `*${esc(env.name)}* (${esc(env.repository)}), id ${code(env.id)}`,
    `• Visibility: ${VISIBILITY[env.visibility]}`,
    `• Creator: ${esc(emailOf(ctx, env.creatorId))}`,
    `• Collaborators: ${esc(collaborators.join(", ") || "none")}`,
    `• Internet: ${esc(internetText(env.internet))}`,
  ];
  if (env.internet.mode === "allowlist" && !ctx.snapshot.snapshot.toggles.agentInternet)
    lines.push("_The workspace switch agent-internet is off, so tasks here get no internet yet._");
  if (env.description) lines.push(`• ${esc(env.description)}`);
  return lines.join("\n");
}

export const envShow: Handler<"env.show"> = async (ctx, command) => {
  const env = await findEnvironment(ctx, command.environmentName);
  if (isReply(env)) return env;
  return reply(describe(ctx, env), `showed environment ${env.name}`);
};

export const envCreate: Handler<"env.create"> = async (ctx, command) => {
  if (!ctx.memberId) return reply("You are not a member of this workspace.", "not a member");
  const input = environmentCreateSchema.safeParse({
    name: command.name,
    repository: command.repository,
    creatorId: ctx.memberId,
  });
  if (!input.success) {
    const why = input.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    return reply(`🚫 ${esc(why)}. Usage: \`/codex env create <name> <owner/repo>\``, "invalid environment");
  }
  const created = await attempt(() => createEnvironment(ctx.deps, ctx.workspaceId, input.data, ctx.actor));
  if (isReply(created)) return created;
  return reply(
    `✅ Created environment *${esc(created.name)}* for ${esc(created.repository)}, visible to everyone, internet off. \`/codex env visibility ${esc(created.name)} private\` limits it to you and its collaborators.`,
    `created environment ${created.name}`,
  );
};

async function change(
  ctx: CommandContext,
  env: EnvironmentView,
  patch: Parameters<typeof updateEnvironment>[3],
  what: string,
  show: (e: EnvironmentView) => string,
): Promise<CommandReply> {
  const after = await attempt(() => updateEnvironment(ctx.deps, ctx.workspaceId, env.id, patch, ctx.actor));
  if (isReply(after)) return after;
  return reply(changed(what, show(env), show(after)), `${what}: ${show(env)} → ${show(after)}`);
}

export const envVisibility: Handler<"env.visibility"> = async (ctx, command) => {
  const env = await findEnvironment(ctx, command.environmentName);
  if (isReply(env)) return env;
  const what = `Visibility of ${env.name}`;
  if (env.visibility === command.visibility)
    return reply(unchanged(what, VISIBILITY[env.visibility]), "no change");
  return change(ctx, env, { visibility: command.visibility }, what, (e) => VISIBILITY[e.visibility]);
};

export const envCollaborators: Handler<"env.collaborators"> = async (ctx, command) => {
  const env = await findEnvironment(ctx, command.environmentName);
  if (isReply(env)) return env;
  const memberId = await findPerson(ctx, command.person);
  if (isReply(memberId)) return memberId;
  const what = `Collaborators of ${env.name}`;
  const names = (e: EnvironmentView) => e.collaboratorIds.map((id) => emailOf(ctx, id)).join(", ") || "none";
  if (env.collaboratorIds.includes(memberId) === command.add) {
    const already = command.add ? "already collaborates on" : "is not a collaborator of";
    return reply(`${personLabel(command.person)} ${already} ${esc(env.name)}; nothing changed.`, "no change");
  }
  const patch = command.add ? { addCollaboratorIds: [memberId] } : { removeCollaboratorIds: [memberId] };
  return change(ctx, env, patch, what, names);
};

/** The internet access after a change, or what is wrong with the change. */
function nextInternet(current: InternetAccess, change: InternetChange): InternetAccess | string {
  const base =
    current.mode === "allowlist"
      ? current
      : { mode: "allowlist" as const, domains: [], methods: [...READ_METHODS], presets: [] };
  switch (change.type) {
    case "off":
      return { mode: "off" };
    case "on":
      return current.mode === "allowlist" ? current : { ...base, presets: ["common-dependencies"] };
    case "allow":
      return { ...base, domains: change.domains };
    case "preset": {
      if (!(INTERNET_PRESET_NAMES as readonly string[]).includes(change.preset))
        return `No preset ${change.preset}; presets: ${INTERNET_PRESET_NAMES.join(", ")}.`;
      const preset = change.preset as InternetPresetName;
      return { ...base, presets: [...new Set([...(base.presets ?? []), preset])] };
    }
    case "methods":
      if (current.mode === "off")
        return "Internet access is off here; turn it on (`on`, `allow <domains…>` or `preset …`) before choosing methods.";
      return { ...base, methods: change.methods as (typeof INTERNET_METHODS)[number][] };
  }
}

export const envInternet: Handler<"env.internet"> = async (ctx, command) => {
  const env = await findEnvironment(ctx, command.environmentName);
  if (isReply(env)) return env;
  const next = nextInternet(env.internet, command.change);
  const usage =
    "`/codex env internet <name> off|on|allow <domains…>|preset common-dependencies|methods <GET,POST…>`";
  if (typeof next === "string") return reply(`🚫 ${esc(next)}`, "invalid internet change");
  const parsed = internetSchema.safeParse(next);
  if (!parsed.success) {
    const why = [...new Set(parsed.error.issues.map((i) => i.message))].join("; ");
    return reply(`🚫 ${esc(why)}. Usage: ${usage}`, "invalid internet change");
  }
  const what = `Internet access of ${env.name}`;
  const show = (e: EnvironmentView) => internetText(e.internet);
  if (internetText(parsed.data) === show(env)) return reply(unchanged(what, show(env)), "no change");
  const answer = await change(ctx, env, { internet: parsed.data }, what, show);
  const presets = parsed.data.mode === "allowlist" ? (parsed.data.presets ?? []) : [];
  const hosts = presets.map((p) => `${p}: ${INTERNET_PRESETS[p].domains.length} hosts`).join("; ");
  return hosts && !answer.outcome.startsWith("refused")
    ? reply(`${answer.message.text}\n_${esc(hosts)}_`, answer.outcome)
    : answer;
};
