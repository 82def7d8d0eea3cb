import type { Plugin, PluginPolicy } from "./types";

// Plugins package skills and apps. "A plugin does not grant new access to data by itself": a plugin is
// available to a member only when one of the member's roles has it available or installed AND every required
// app is usable by that member. Optional apps never block it. Passing this check adds nothing to what the
// member may do; every other check of the action still applies.

const RANK: Readonly<Record<PluginPolicy, number>> = { none: 0, available: 1, installed: 2 };

export interface PluginStatus {
  /** What the member gets: nothing, the right to install it, or the plugin installed by default. */
  status: PluginPolicy;
  /** Required apps the member cannot use (disabled, draft, unassigned or missing). */
  missingAppIds: string[];
  found: string;
}

/** The most generous installation policy across the member's roles (roles resolve most-permissive). */
export function rolePolicy(
  plugin: Plugin,
  roleIds: readonly string[],
): { policy: PluginPolicy; roleId?: string } {
  let best: { policy: PluginPolicy; roleId?: string } = { policy: "none" };
  for (const roleId of roleIds) {
    const policy = Object.hasOwn(plugin.policyByRole, roleId)
      ? plugin.policyByRole[roleId]
      : plugin.defaultPolicy;
    if (policy === undefined || !Object.hasOwn(RANK, policy)) continue;
    if (RANK[policy] > RANK[best.policy]) best = { policy, roleId };
  }
  return best;
}

export function pluginStatusFor(
  plugin: Plugin,
  roleIds: readonly string[],
  isAppUsable: (appId: string) => boolean,
): PluginStatus {
  if (!plugin.enabled) {
    return {
      status: "none",
      missingAppIds: [],
      found: `plugin ${plugin.name} is disabled for the workspace`,
    };
  }
  const { policy, roleId } = rolePolicy(plugin, roleIds);
  if (policy === "none") {
    return {
      status: "none",
      missingAppIds: [],
      found: `no role of the member makes plugin ${plugin.name} available`,
    };
  }
  const missingAppIds = plugin.requiredAppIds.filter((appId) => !isAppUsable(appId));
  if (missingAppIds.length > 0) {
    return {
      status: "none",
      missingAppIds,
      found: `plugin ${plugin.name} requires app(s) the member cannot use: ${missingAppIds.join(", ")}`,
    };
  }
  return {
    status: policy,
    missingAppIds,
    found: `plugin ${plugin.name} is ${policy} through role ${roleId}`,
  };
}
