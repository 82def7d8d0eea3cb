import type { RoleTarget } from "../../../routing/slash-types";
import { changeGroup, createGroup, listGroups } from "../../../workspace/groups";
import { resolveMember } from "../../../workspace/identity-resolve";
import { findMemberByEmail } from "../../../workspace/members";
import { assignRole, listRoles, type RoleView, setDefaultRole } from "../../../workspace/roles";
import { getSnapshot } from "../../../workspace/snapshot";
import { byName, type CommandContext, changed, code, esc, type Handler, reply, unchanged } from "./context";

// Roles through Slack: the same services as /api/v1/.../roles and groups. Roles are held through groups, so
// granting a role to one person puts them in that role's direct-grant group (created on first use); revoking
// takes them out of it, and says so when another of their groups still gives them the role.

/** The group that carries direct grants of a role to people. */
export const directGroupName = (role: Pick<RoleView, "name">) => `${role.name} (granted in Slack)`;

const roleNames = (roles: RoleView[], ids: readonly string[]) =>
  ids.map((id) => roles.find((r) => r.id === id)?.name ?? id).join(", ") || "none";

export const roleList: Handler<"role.list"> = async (ctx) => {
  const [roles, groups] = await Promise.all([
    listRoles(ctx.deps, ctx.workspaceId),
    listGroups(ctx.deps, ctx.workspaceId),
  ]);
  if (roles.length === 0)
    return reply("No roles are defined yet; members use the default access.", "listed 0 roles");
  const lines = roles.map((r) => {
    const groupNames = r.groupIds.map((id) => groups.find((g) => g.id === id)?.name ?? id);
    return `• *${esc(r.name)}*${r.isDefault ? " (default)" : ""}: ${r.permissions.join(", ") || "no permissions"}; groups: ${esc(groupNames.join(", ") || "none")}`;
  });
  return reply(["*Roles*", ...lines].join("\n"), `listed ${roles.length} roles`);
};

async function findRole(ctx: CommandContext, wanted: string) {
  const roles = await listRoles(ctx.deps, ctx.workspaceId);
  return { roles, role: byName(roles, wanted) };
}

/** The member a Slack user or email names: linked already, or matched by the email Slack reports. */
async function memberOf(ctx: CommandContext, target: Exclude<RoleTarget, { type: "group" }>) {
  if (target.type === "email")
    return (await findMemberByEmail(ctx.deps, ctx.workspaceId, target.email))?.id ?? null;
  const resolved = await resolveMember(ctx.deps, ctx.workspaceId, {
    platform: "slack",
    userId: target.slackUserId,
  });
  return resolved.memberId;
}

async function groupOf(ctx: CommandContext, target: Extract<RoleTarget, { type: "group" }>) {
  const groups = await listGroups(ctx.deps, ctx.workspaceId);
  const byExternal = target.slackUsergroupId
    ? groups.find((g) => g.externalId === target.slackUsergroupId)
    : undefined;
  return byExternal ?? byName(groups, target.name);
}

const targetLabel = (target: RoleTarget) =>
  target.type === "user"
    ? `<@${target.slackUserId}>`
    : target.type === "email"
      ? esc(target.email)
      : esc(target.name);

async function memberRoles(ctx: CommandContext, memberId: string): Promise<string[]> {
  const snapshot = await getSnapshot(ctx.deps, ctx.workspaceId);
  return [...(snapshot.members.get(memberId)?.roleIds ?? [])];
}

async function grantOrRevoke(ctx: CommandContext, wantedRole: string, target: RoleTarget, grant: boolean) {
  const { roles, role } = await findRole(ctx, wantedRole);
  const verb = grant ? "granted" : "revoked";
  if (!role) {
    return reply(
      `No role named ${code(wantedRole)}. Roles: ${esc(roles.map((r) => r.name).join(", ") || "none")}.`,
      "unknown role",
    );
  }
  if (target.type === "group") {
    const group = await groupOf(ctx, target);
    if (!group) return reply(`No group named ${code(target.name)} in this workspace.`, "unknown group");
    const groupNames = async (ids: string[]) => {
      const groups = await listGroups(ctx.deps, ctx.workspaceId);
      return ids.map((id) => groups.find((g) => g.id === id)?.name ?? id).join(", ") || "none";
    };
    const before = await groupNames(role.groupIds);
    const after = await assignRole(
      ctx.deps,
      { workspaceId: ctx.workspaceId, roleId: role.id, groupId: group.id, assigned: grant },
      ctx.actor,
    );
    if (after.groupIds.length === role.groupIds.length)
      return reply(unchanged(`Groups with ${role.name}`, before), "no change");
    return reply(
      changed(`Groups with ${role.name}`, before, await groupNames(after.groupIds)),
      `${role.name} ${verb} for group ${group.name}`,
    );
  }
  const memberId = await memberOf(ctx, target);
  if (!memberId) {
    return reply(
      `${targetLabel(target)} is not a member of this workspace (members are matched by email).`,
      "unknown member",
    );
  }
  const before = await memberRoles(ctx, memberId);
  const name = directGroupName(role);
  const direct = byName(await listGroups(ctx.deps, ctx.workspaceId), name);
  if (grant) {
    if (!direct) {
      const group = await createGroup(ctx.deps, ctx.workspaceId, { name, memberIds: [memberId] }, ctx.actor);
      await assignRole(
        ctx.deps,
        { workspaceId: ctx.workspaceId, roleId: role.id, groupId: group.id, assigned: true },
        ctx.actor,
      );
    } else {
      if (!direct.memberIds.includes(memberId))
        await changeGroup(ctx.deps, ctx.workspaceId, direct.id, { addMemberIds: [memberId] }, ctx.actor);
      if (!direct.roleIds.includes(role.id))
        await assignRole(
          ctx.deps,
          { workspaceId: ctx.workspaceId, roleId: role.id, groupId: direct.id, assigned: true },
          ctx.actor,
        );
    }
  } else if (direct?.memberIds.includes(memberId)) {
    await changeGroup(ctx.deps, ctx.workspaceId, direct.id, { removeMemberIds: [memberId] }, ctx.actor);
  }
  const after = await memberRoles(ctx, memberId);
  const what = `Roles of ${targetLabel(target)}`;
  if (after.join() === before.join()) {
    const still =
      !grant && after.includes(role.id)
        ? ` They still hold ${esc(role.name)} through one of their groups.`
        : "";
    return reply(`${unchanged(what, roleNames(roles, before))}${still}`, "no change");
  }
  return reply(
    changed(what, roleNames(roles, before), roleNames(roles, after)),
    `${role.name} ${verb} for ${memberId}`,
  );
}

export const roleGrant: Handler<"role.grant"> = (ctx, command) =>
  grantOrRevoke(ctx, command.role, command.target, true);
export const roleRevoke: Handler<"role.revoke"> = (ctx, command) =>
  grantOrRevoke(ctx, command.role, command.target, false);

export const roleDefault: Handler<"role.default"> = async (ctx, command) => {
  const { roles, role } = await findRole(ctx, command.role);
  const clear = !role && ["none", "off", "clear"].includes(command.role.trim().toLowerCase());
  if (!role && !clear) {
    return reply(
      `No role named ${code(command.role)}. Roles: ${esc(roles.map((r) => r.name).join(", ") || "none")}.`,
      "unknown role",
    );
  }
  const before = roles.find((r) => r.isDefault);
  if ((before?.id ?? null) === (role?.id ?? null))
    return reply(unchanged("The default role", before?.name ?? "none"), "no change");
  await setDefaultRole(ctx.deps, ctx.workspaceId, role?.id ?? null, ctx.actor);
  return reply(
    changed("The default role", before?.name ?? "none", role?.name ?? "none"),
    `default role → ${role?.name ?? "none"}`,
  );
};
