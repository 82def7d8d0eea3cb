import { lookupPolicy } from "../../../access/policies";
import type { GroupView } from "../../../workspace/groups";
import { listGroups } from "../../../workspace/groups";
import { assignRole, listRoles, type RoleView } from "../../../workspace/roles";
import { byName, changed, code, esc, type Handler, reply, unchanged } from "./context";
import { emailOf, findGroup, isReply } from "./lookups";

// Groups through Slack: who is in them and which roles they give. Membership stays with SCIM, the console and
// the API (`/codex role grant` covers one person); a group's roles change through the same role assignment
// service as PUT/DELETE /api/v1/.../roles/{roleId}/groups/{groupId}, one audited change per role.

const roleNames = (roles: RoleView[], ids: readonly string[]) =>
  ids.map((id) => roles.find((r) => r.id === id)?.name ?? id).join(", ") || "none";

const source = (g: GroupView) => (g.externalId ? " (provisioned)" : "");

export const groupList: Handler<"group.list"> = async (ctx) => {
  const [groups, roles] = await Promise.all([
    listGroups(ctx.deps, ctx.workspaceId),
    listRoles(ctx.deps, ctx.workspaceId),
  ]);
  if (groups.length === 0) return reply("No groups yet.", "listed 0 groups");
  const lines = groups.map(
    (g) =>
      `• *${esc(g.name)}*${source(g)}: ${g.memberIds.length} member${g.memberIds.length === 1 ? "" : "s"}; roles: ${esc(roleNames(roles, g.roleIds))}`,
  );
  return reply(["*Groups*", ...lines].join("\n"), `listed ${groups.length} groups`);
};

export const groupShow: Handler<"group.show"> = async (ctx, command) => {
  const group = await findGroup(ctx, command.group);
  if (isReply(group)) return group;
  const roles = await listRoles(ctx.deps, ctx.workspaceId);
  const policy = lookupPolicy(ctx.snapshot.snapshot, { groupId: group.id });
  const members = group.memberIds.map((id) => emailOf(ctx, id)).sort();
  const lines = [
    `*${esc(group.name)}*${source(group)}, id ${code(group.id)}`,
    `• Roles: ${esc(roleNames(roles, group.roleIds))}`,
    `• Members (${members.length}): ${esc(members.join(", ") || "none")}`,
    `• Managed policy: ${policy.policy ? `*${esc(policy.policy.name)}*` : "none"} (${esc(policy.reason)})`,
  ];
  return reply(lines.join("\n"), `showed group ${group.name}`);
};

/** Roles named in `text`, comma separated; a part that is no role's name is tried word by word. */
function wantedRoles(roles: RoleView[], text: string): { found: RoleView[]; unknown: string[] } {
  const found: RoleView[] = [];
  const unknown: string[] = [];
  for (const part of text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const whole = byName(roles, part);
    const words = whole ? [whole] : part.split(/\s+/).map((w) => byName(roles, w));
    if (words.every((r) => r)) found.push(...(words as RoleView[]));
    else unknown.push(part);
  }
  return { found: [...new Set(found)], unknown };
}

export const groupRoles: Handler<"group.roles"> = async (ctx, command) => {
  const group = await findGroup(ctx, command.group);
  if (isReply(group)) return group;
  const roles = await listRoles(ctx.deps, ctx.workspaceId);
  const { found, unknown } = wantedRoles(roles, command.roles);
  if (unknown.length) {
    return reply(
      `No role named ${unknown.map((u) => code(u)).join(", ")}. Roles: ${esc(roles.map((r) => r.name).join(", ") || "none")}. Separate several with commas.`,
      "unknown role",
    );
  }
  const wanted = found.map((r) => r.id);
  const what = `Roles of group ${group.name}`;
  const before = roleNames(roles, group.roleIds);
  const add = wanted.filter((id) => !group.roleIds.includes(id));
  const remove = group.roleIds.filter((id) => !wanted.includes(id));
  if (add.length === 0 && remove.length === 0) return reply(unchanged(what, before), "no change");
  for (const [roleIds, assigned] of [
    [add, true],
    [remove, false],
  ] as const) {
    for (const roleId of roleIds)
      await assignRole(
        ctx.deps,
        { workspaceId: ctx.workspaceId, roleId, groupId: group.id, assigned },
        ctx.actor,
      );
  }
  const after = roleNames(
    roles,
    roles.filter((r) => wanted.includes(r.id)).map((r) => r.id),
  );
  return reply(changed(what, before, after), `${what}: ${before} → ${after}`);
};
