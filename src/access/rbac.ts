import {
  type Member,
  PERMISSIONS,
  type Permission,
  type Role,
  type RoleAssignment,
  type WorkspaceSnapshot,
} from "./types";

// Role-based access: roles carry permissions, roles are assigned to groups, members belong to groups.
// "Users can inherit more than one role, and permissions resolve to the most permissive (least restrictive)
// access across those roles." A member with no custom role gets the default role; owners hold everything.

export interface MemberRoles {
  /** Effective role ids: the custom roles of all the member's groups, or the default role. */
  roleIds: string[];
  /** True when the member has no custom role and the default role applies. */
  usesDefaultRole: boolean;
}

/** group id → role ids assigned to it, skipping assignments to roles that no longer exist. */
export function groupRoleMap(
  assignments: readonly RoleAssignment[],
  rolesById: ReadonlyMap<string, Role>,
): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const { groupId, roleId } of assignments) {
    if (!rolesById.has(roleId)) continue;
    const list = map.get(groupId);
    if (!list) map.set(groupId, [roleId]);
    else if (!list.includes(roleId)) list.push(roleId);
  }
  return map;
}

export function resolveMemberRoles(
  member: Pick<Member, "groupIds">,
  groupRoles: ReadonlyMap<string, readonly string[]>,
  defaultRoleId: string | null,
  rolesById: ReadonlyMap<string, Role>,
): MemberRoles {
  const seen = new Set<string>();
  for (const groupId of member.groupIds) {
    for (const roleId of groupRoles.get(groupId) ?? []) seen.add(roleId);
  }
  if (seen.size > 0) return { roleIds: [...seen], usesDefaultRole: false };
  // The default role replaces nothing: it exists only for members whom no group gives a custom role.
  if (defaultRoleId !== null && rolesById.has(defaultRoleId)) {
    return { roleIds: [defaultRoleId], usesDefaultRole: true };
  }
  return { roleIds: [], usesDefaultRole: false };
}

/** Union of the roles' permissions in canonical order; owners hold every permission whatever their roles. */
export function resolvePermissions(
  member: Pick<Member, "isOwner">,
  roleIds: readonly string[],
  rolesById: ReadonlyMap<string, Role>,
): Permission[] {
  if (member.isOwner) return [...PERMISSIONS];
  const held = new Set<Permission>();
  for (const roleId of roleIds) {
    for (const permission of rolesById.get(roleId)?.permissions ?? []) held.add(permission);
  }
  return PERMISSIONS.filter((p) => held.has(p));
}

export interface EffectiveRbac extends MemberRoles {
  permissions: Permission[];
}

/** Convenience for one member of a plain snapshot (admin views, tests); decide uses the prebuilt index. */
export function effectiveRbac(snapshot: WorkspaceSnapshot, memberId: string): EffectiveRbac | undefined {
  const member = snapshot.members.find((m) => m.id === memberId);
  if (!member) return undefined;
  const rolesById = new Map(snapshot.roles.map((r) => [r.id, r]));
  const roles = resolveMemberRoles(
    member,
    groupRoleMap(snapshot.roleAssignments, rolesById),
    snapshot.defaultRoleId,
    rolesById,
  );
  return { ...roles, permissions: resolvePermissions(member, roles.roleIds, rolesById) };
}
