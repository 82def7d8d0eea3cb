import type { AppAccess, PluginPolicy } from "../../../access/types";
import type { AppFields, AppView } from "../../../workspace/apps";
import type { MemberView } from "../../../workspace/members";
import type { PluginFields, PluginView } from "../../../workspace/plugins";
import { listField } from "./form-errors";
import { badForm, choice, textField, ticked } from "./owner-forms";

// The app and plugin forms as the fields the domain services take. A form names groups, roles and apps by id
// (checkboxes named `group_<id>`, …) and members by email; the services check that every id belongs to the
// workspace, so a stale or forged id is refused there, not silently dropped here.

export const POLICIES: readonly PluginPolicy[] = ["none", "available", "installed"];

/** Ids of the ticked checkboxes named `<prefix><id>`. */
const tickedIds = (fields: Record<string, string>, prefix: string): string[] =>
  Object.keys(fields)
    .filter((name) => name.startsWith(prefix) && ticked(fields, name))
    .map((name) => name.slice(prefix.length))
    .filter((id) => id.length > 0)
    .sort();

/** Lines or commas of a textarea, without repeats. */
const uniqueList = (value: string | undefined): string[] => [...new Set(listField(value))];

/** The app form as app fields; members are given by email and must be members of the workspace. */
export function appInput(
  fields: Record<string, string>,
  members: readonly MemberView[],
): Omit<AppFields, "kind"> {
  const mode = choice(fields, "mode", "What it can do", ["read_only", "read_write"] as const);
  const audience = choice(fields, "audience", "Who can use it", ["all", "assigned"] as const);
  let access: AppAccess = { type: "all" };
  if (audience === "assigned") {
    const byEmail = new Map(members.map((m) => [m.email, m.id]));
    const emails = uniqueList(fields.memberEmails).map((e) => e.toLowerCase());
    const unknown = emails.filter((e) => !byEmail.has(e));
    if (unknown.length > 0) throw badForm(`Assigned users: no member has the email ${unknown.join(", ")}.`);
    access = {
      type: "assigned",
      memberIds: [...new Set(emails.map((e) => byEmail.get(e)!))].sort(),
      groupIds: tickedIds(fields, "group_"),
      roleIds: tickedIds(fields, "role_"),
    };
  }
  return {
    name: textField(fields, "name", "Name"),
    enabled: ticked(fields, "enabled"),
    status: choice(fields, "status", "Status", ["draft", "published"] as const),
    access,
    mode,
    // Confirmation is asked before a write; a read-only app has none to confirm.
    confirmWrites: mode === "read_write" && ticked(fields, "confirmWrites"),
  };
}

/** JSON with object keys sorted, so two equal values compare equal whatever order their keys came in. */
const stable = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

/** Only the fields that move, so the audit record says what this save changed (id lists are sorted). */
export function changedFields<T extends object>(before: T, after: Partial<T>): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (stable(after[key]) !== stable(before[key])) out[key] = after[key];
  }
  return out;
}

const sorted = (ids: readonly string[]) => [...ids].sort();

/** The app fields a form changes; id lists compare as sets. */
export function appChange(app: AppView, fields: Record<string, string>, members: readonly MemberView[]) {
  const a = app.access;
  const access: AppAccess =
    a.type === "all"
      ? a
      : {
          type: "assigned",
          memberIds: sorted(a.memberIds),
          groupIds: sorted(a.groupIds),
          roleIds: sorted(a.roleIds),
        };
  return changedFields({ ...app, access }, appInput(fields, members));
}

/** The plugin form as plugin fields: skills, required and optional apps, and who gets it. */
export function pluginInput(fields: Record<string, string>, roleIds: readonly string[]): PluginFields {
  const requiredAppIds = tickedIds(fields, "required_");
  const optionalAppIds = tickedIds(fields, "optional_");
  if (requiredAppIds.some((id) => optionalAppIds.includes(id))) {
    throw badForm("Apps: an app is either required or optional, not both.");
  }
  const policyByRole: Record<string, PluginPolicy> = {};
  for (const roleId of roleIds) {
    const value = fields[`policy_${roleId}`];
    if (value === undefined || value === "default") continue;
    policyByRole[roleId] = choice(fields, `policy_${roleId}`, "Installation policy", POLICIES);
  }
  return {
    name: textField(fields, "name", "Name"),
    enabled: ticked(fields, "enabled"),
    skills: uniqueList(fields.skills),
    requiredAppIds,
    optionalAppIds,
    policyByRole,
    defaultPolicy: choice(fields, "defaultPolicy", "Installation policy for other roles", POLICIES),
  };
}

/** The plugin fields a form changes; app lists compare as sets, skills in their order. */
export const pluginChange = (
  plugin: PluginView,
  fields: Record<string, string>,
  roleIds: readonly string[],
) =>
  changedFields(
    {
      ...plugin,
      requiredAppIds: sorted(plugin.requiredAppIds),
      optionalAppIds: sorted(plugin.optionalAppIds),
    },
    pluginInput(fields, roleIds),
  );
