import type { Action } from "../../../access/types";
import type { AdminCommand, AdminCommandKind } from "../../../routing/slash-admin-types";
import type { CommandContext, Handler } from "./context";
import { byName } from "./context";
import { envCollaborators, envCreate, envInternet, envShow, envVisibility } from "./env";
import { groupList, groupRoles, groupShow } from "./groups";
import { pluginList, pluginPolicy } from "./plugins";
import { policyAssign, policyFallback, policyList } from "./policies";
import { reviewFilter, reviewFilters } from "./review-filters";

// The administration commands' handlers, and the access action each write is decided as before it runs
// (so a disabled, read-only or confirm-first Slack app is honoured as for every other `/codex` write).

export const ADMIN_HANDLERS: { [K in AdminCommandKind]: Handler<K> } = {
  "env.show": envShow,
  "env.create": envCreate,
  "env.visibility": envVisibility,
  "env.collaborators": envCollaborators,
  "env.internet": envInternet,
  "policy.list": policyList,
  "policy.assign": policyAssign,
  "policy.fallback": policyFallback,
  "review.filters": reviewFilters,
  "review.filter": reviewFilter,
  "group.list": groupList,
  "group.show": groupShow,
  "group.roles": groupRoles,
  "plugin.list": pluginList,
  "plugin.policy": pluginPolicy,
};

/**
 * Writes and their access action. An environment's settings are decided as `environment.edit` on that
 * environment (creator, collaborators, Codex Admins, owners: the console's rule); creating one is
 * environment management, like a channel's default environment; groups' roles and plugins' role policies are
 * RBAC, an owner's.
 */
export const ADMIN_WRITE_ACTIONS: Partial<Record<AdminCommandKind, Action>> = {
  "env.create": "policy.manage",
  "env.visibility": "environment.edit",
  "env.collaborators": "environment.edit",
  "env.internet": "environment.edit",
  "policy.assign": "policy.manage",
  "policy.fallback": "policy.manage",
  "review.filter": "policy.manage",
  "group.roles": "rbac.manage",
  "plugin.policy": "rbac.manage",
};

/** The environment an environment write is about, for the access decision; unknown names are left to the handler. */
export function environmentOf(ctx: CommandContext, command: AdminCommand): string | undefined {
  if (!("environmentName" in command)) return undefined;
  return byName(ctx.snapshot.snapshot.environments, command.environmentName)?.id;
}
