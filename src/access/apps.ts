import type { App, AppKind, Surface } from "./types";

// Apps (the Slack, GitHub and Linear integrations and custom apps): "Existing app settings continue to control
// who can use an app, what actions it can take" — enabled, published, assigned to users/groups/roles,
// read-only or read-write, optional confirmation before a write. A denied app means no action through it.

/** Which app carries an event arriving on a surface; api, web and local are the hub's own surfaces. */
export const SURFACE_APP_KIND: Readonly<Partial<Record<Surface, AppKind>>> = {
  slack: "slack",
  github: "github",
  linear: "linear",
};

/** Who an app is open to, as sets so a check costs a few lookups whatever the workspace size. */
export interface AppAudience {
  all: boolean;
  memberIds: ReadonlySet<string>;
  groupIds: ReadonlySet<string>;
  roleIds: ReadonlySet<string>;
}

export function appAudience(app: App): AppAudience {
  if (app.access.type === "all") {
    return { all: true, memberIds: new Set(), groupIds: new Set(), roleIds: new Set() };
  }
  return {
    all: false,
    memberIds: new Set(app.access.memberIds),
    groupIds: new Set(app.access.groupIds),
    roleIds: new Set(app.access.roleIds),
  };
}

/** The parts of a member that app assignment looks at. */
export interface AppMember {
  id: string;
  groupIds: readonly string[];
  roleIds: readonly string[];
}

export type AppUsability =
  | { ok: true; found: string }
  | { ok: false; code: "APP_DISABLED" | "APP_NOT_PUBLISHED" | "APP_NOT_ASSIGNED"; found: string };

/** How the member reaches the app, or null; direct assignment first, then groups, then roles. */
function assignmentPath(audience: AppAudience, member: AppMember): string | null {
  if (audience.all) return "open to all members";
  if (audience.memberIds.has(member.id)) return "assigned to the member";
  for (const groupId of member.groupIds)
    if (audience.groupIds.has(groupId)) return `assigned to group ${groupId}`;
  for (const roleId of member.roleIds) if (audience.roleIds.has(roleId)) return `assigned to role ${roleId}`;
  return null;
}

export function checkAppUsable(app: App, audience: AppAudience, member: AppMember): AppUsability {
  if (!app.enabled)
    return { ok: false, code: "APP_DISABLED", found: `app ${app.name} (${app.id}) is disabled` };
  if (app.status !== "published") {
    return { ok: false, code: "APP_NOT_PUBLISHED", found: `app ${app.name} (${app.id}) is still a draft` };
  }
  const path = assignmentPath(audience, member);
  if (path === null) {
    return {
      ok: false,
      code: "APP_NOT_ASSIGNED",
      found: `app ${app.name} is not assigned to the member, their groups or their roles`,
    };
  }
  return { ok: true, found: `app ${app.name} is enabled, published, ${path}` };
}

/** Plain-data convenience (plugin pages, admin views); decide uses precomputed audiences. */
export function isAppUsableBy(app: App, member: AppMember): boolean {
  return checkAppUsable(app, appAudience(app), member).ok;
}

export type WriteCheck =
  | { ok: true; found: string }
  | { ok: false; code: "APP_READ_ONLY" | "CONFIRMATION_REQUIRED"; found: string };

/**
 * Read-only apps block every write; apps that require confirmation block a write until the person confirmed
 * it. Callers check read-only before anything else about the member, and confirmation last, so nobody is
 * asked to confirm something that would be refused anyway.
 */
export function checkReadOnly(app: App, effect: "read" | "write"): WriteCheck {
  if (effect === "write" && app.mode === "read_only") {
    return { ok: false, code: "APP_READ_ONLY", found: `app ${app.name} is read-only` };
  }
  return { ok: true, found: `app ${app.name} is ${app.mode === "read_only" ? "read-only" : "read-write"}` };
}

export function checkConfirmation(app: App, effect: "read" | "write", confirmed: boolean): WriteCheck {
  if (effect === "write" && app.confirmWrites && !confirmed) {
    return { ok: false, code: "CONFIRMATION_REQUIRED", found: `app ${app.name} requires confirming writes` };
  }
  if (effect === "read") return { ok: true, found: `app ${app.name}: reads need no confirmation` };
  return {
    ok: true,
    found: app.confirmWrites ? `app ${app.name}: write confirmed` : `app ${app.name}: no confirmation needed`,
  };
}
