import type { PluginPolicy } from "../../../access/types";
import { appsService } from "../../../workspace/apps";
import { type PluginView, pluginsService } from "../../../workspace/plugins";
import { listRoles, type RoleView } from "../../../workspace/roles";
import { byName, changed, code, esc, type Handler, reply, unchanged } from "./context";

// Plugins through Slack: their apps and per-role installation policy (none, available, installed), changed
// through the same service as PATCH /api/v1/workspaces/{id}/plugins/{pluginId} (checked and audited there).
// "blocked" is what people call the product's `none`.

const POLICY_LABEL: Record<PluginPolicy, string> = {
  none: "blocked",
  available: "available",
  installed: "installed",
};

function byRole(p: PluginView, roles: RoleView[]): string {
  const entries = Object.entries(p.policyByRole).map(
    ([roleId, policy]) => `${roles.find((r) => r.id === roleId)?.name ?? roleId} ${POLICY_LABEL[policy]}`,
  );
  return `${entries.join(", ") || "no role policies"}; everyone else ${POLICY_LABEL[p.defaultPolicy]}`;
}

export const pluginList: Handler<"plugin.list"> = async (ctx) => {
  const [plugins, roles, apps] = await Promise.all([
    pluginsService.list(ctx.deps, ctx.workspaceId),
    listRoles(ctx.deps, ctx.workspaceId),
    appsService.list(ctx.deps, ctx.workspaceId),
  ]);
  if (plugins.length === 0) return reply("No plugins are set up.", "listed 0 plugins");
  const appNames = (ids: string[]) => ids.map((id) => apps.find((a) => a.id === id)?.name ?? id).join(", ");
  const lines = plugins.map((p) => {
    const needs = p.requiredAppIds.length ? `; needs ${appNames(p.requiredAppIds)}` : "";
    return `• *${esc(p.name)}*${p.enabled ? "" : " (disabled)"}: ${esc(byRole(p, roles))}${esc(needs)}`;
  });
  return reply(["*Plugins*", ...lines].join("\n"), `listed ${plugins.length} plugins`);
};

export const pluginPolicy: Handler<"plugin.policy"> = async (ctx, command) => {
  const [plugins, roles] = await Promise.all([
    pluginsService.list(ctx.deps, ctx.workspaceId),
    listRoles(ctx.deps, ctx.workspaceId),
  ]);
  const plugin = byName(plugins, command.plugin);
  if (!plugin) {
    return reply(
      `No plugin named ${code(command.plugin)}. Plugins: ${esc(plugins.map((p) => p.name).join(", ") || "none")}.`,
      "unknown plugin",
    );
  }
  const role = byName(roles, command.role);
  if (!role) {
    return reply(
      `No role named ${code(command.role)}. Roles: ${esc(roles.map((r) => r.name).join(", ") || "none")}.`,
      "unknown role",
    );
  }
  const { [role.id]: current, ...others } = plugin.policyByRole;
  const policyByRole =
    command.policy === "default" ? others : { ...others, [role.id]: command.policy as PluginPolicy };
  const show = (p: Record<string, PluginPolicy>) =>
    p[role.id]
      ? POLICY_LABEL[p[role.id] as PluginPolicy]
      : `the default (${POLICY_LABEL[plugin.defaultPolicy]})`;
  const what = `${plugin.name} for ${role.name}`;
  if ((current ?? null) === (policyByRole[role.id] ?? null))
    return reply(unchanged(what, show(plugin.policyByRole)), "no change");
  await pluginsService.update(ctx.deps, ctx.workspaceId, plugin.id, { policyByRole }, ctx.actor);
  return reply(
    changed(what, show(plugin.policyByRole), show(policyByRole)),
    `${what}: ${show(plugin.policyByRole)} → ${show(policyByRole)}`,
  );
};
