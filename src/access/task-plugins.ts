import { type AppMember, type AppUsability, checkAppUsable } from "./apps";
import { rolePolicy } from "./plugins";
import type { IndexedSnapshot } from "./snapshot-index";

// Which plugins a task gets: the ones the requester's roles install ("Installed installs the plugin for that
// role by default"), minus those whose required app the requester cannot use ("A plugin that requires a
// specific app is available only when that app is enabled for the member's role"). A plugin that is only
// Available is the member's to install; the hub keeps no per-member installs, so such a plugin is not part of a
// task. What was left out is kept with the reason, so the task page can say why a skill did not reach it.

export interface TaskPlugin {
  id: string;
  name: string;
  skills: string[];
  /** The role whose installation policy installed it. */
  roleId: string;
}

export interface LeftOutPlugin {
  id: string;
  name: string;
  /** In the requester's words: "needs app Y, not enabled for your role". */
  reason: string;
  /** The required apps the requester cannot use. */
  appIds: string[];
}

export interface TaskPlugins {
  installed: TaskPlugin[];
  leftOut: LeftOutPlugin[];
}

export const NO_PLUGINS: Readonly<TaskPlugins> = Object.freeze({ installed: [], leftOut: [] });

function whyNot(name: string, usability: AppUsability | null): string {
  if (usability === null) return `needs app ${name}, which is not set up in the workspace`;
  if (usability.ok) return "";
  switch (usability.code) {
    case "APP_DISABLED":
      return `needs app ${name}, which is disabled in the workspace`;
    case "APP_NOT_PUBLISHED":
      return `needs app ${name}, which is still a draft`;
    case "APP_NOT_ASSIGNED":
      return `needs app ${name}, not enabled for your role`;
  }
}

/** The plugins a task of `memberId` runs with, and the installed ones it cannot use, with why. */
export function pluginsForTask(index: IndexedSnapshot, memberId: string): TaskPlugins {
  const entry = index.members.get(memberId);
  if (entry?.member.status !== "active") return { installed: [], leftOut: [] };
  const member: AppMember = { id: entry.member.id, groupIds: entry.member.groupIds, roleIds: entry.roleIds };
  const installed: TaskPlugin[] = [];
  const leftOut: LeftOutPlugin[] = [];
  for (const plugin of index.snapshot.plugins) {
    if (!plugin.enabled) continue;
    const { policy, roleId } = rolePolicy(plugin, entry.roleIds);
    if (policy !== "installed" || roleId === undefined) continue;
    const reasons: string[] = [];
    const appIds: string[] = [];
    for (const appId of plugin.requiredAppIds) {
      const app = index.apps.get(appId);
      const usability = app ? checkAppUsable(app.app, app.audience, member) : null;
      if (usability?.ok) continue;
      appIds.push(appId);
      reasons.push(whyNot(app?.app.name ?? appId, usability));
    }
    if (appIds.length > 0) {
      leftOut.push({ id: plugin.id, name: plugin.name, reason: reasons.join("; "), appIds });
    } else {
      installed.push({ id: plugin.id, name: plugin.name, skills: [...plugin.skills], roleId });
    }
  }
  return { installed, leftOut };
}
