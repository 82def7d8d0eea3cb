import { and, asc, eq } from "drizzle-orm";
import type { Permission } from "../access/types";
import { type RoleRow, roleAssignments, roles } from "../db/schema/access";
import { workspaces } from "../db/schema/workspaces";
import type { BatchQuery } from "../db/types";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { newId } from "../lib/ids";
import { commitChange } from "./change";
import { requireGroup } from "./groups";
import { requireWorkspaceRow } from "./workspaces";

type D = Pick<Deps, "database" | "clock">;

export interface RoleView {
  id: string;
  workspaceId: string;
  name: string;
  permissions: Permission[];
  groupIds: string[];
  isDefault: boolean;
  createdAt: number;
  updatedAt: number;
}

export async function listRoles(deps: Pick<Deps, "database">, workspaceId: string): Promise<RoleView[]> {
  const ws = await requireWorkspaceRow(deps, workspaceId);
  const { db } = deps.database;
  const [rows, assignments] = await Promise.all([
    db
      .select()
      .from(roles)
      .where(eq(roles.workspaceId, workspaceId))
      .orderBy(asc(roles.createdAt), asc(roles.id)),
    db.select().from(roleAssignments).where(eq(roleAssignments.workspaceId, workspaceId)),
  ]);
  return rows.map((row) => ({
    ...row,
    groupIds: assignments
      .filter((a) => a.roleId === row.id)
      .map((a) => a.groupId)
      .sort(),
    isDefault: ws.defaultRoleId === row.id,
  }));
}

export async function requireRole(deps: Pick<Deps, "database">, workspaceId: string, roleId: string) {
  const role = (await listRoles(deps, workspaceId)).find((r) => r.id === roleId);
  if (!role) throw new AppError("not_found", `No role ${roleId} in workspace ${workspaceId}.`);
  return role;
}

const canonical = (permissions: Permission[]): Permission[] => [...new Set(permissions)].sort();

export async function createRole(
  deps: D,
  workspaceId: string,
  input: { name: string; permissions: Permission[] },
  actor: string,
): Promise<RoleView> {
  await requireWorkspaceRow(deps, workspaceId);
  const now = deps.clock.now();
  const row: RoleRow = {
    id: newId("role"),
    workspaceId,
    name: input.name,
    permissions: canonical(input.permissions),
    createdAt: now,
    updatedAt: now,
  };
  const after: RoleView = { ...row, groupIds: [], isDefault: false };
  await commitChange(deps, {
    workspaceId,
    actor,
    action: "role.create",
    target: row.id,
    after,
    writes: [deps.database.db.insert(roles).values(row)],
    conflict: `A role named ${input.name} already exists.`,
  });
  return after;
}

export async function updateRole(
  deps: D,
  workspaceId: string,
  roleId: string,
  patch: { name?: string; permissions?: Permission[] },
  actor: string,
): Promise<RoleView> {
  const before = await requireRole(deps, workspaceId, roleId);
  const now = deps.clock.now();
  const set = {
    ...(patch.name === undefined ? {} : { name: patch.name }),
    ...(patch.permissions === undefined ? {} : { permissions: canonical(patch.permissions) }),
    updatedAt: now,
  };
  const after: RoleView = { ...before, ...set };
  await commitChange(deps, {
    workspaceId,
    actor,
    action: "role.update",
    target: roleId,
    before,
    after,
    writes: [deps.database.db.update(roles).set(set).where(eq(roles.id, roleId))],
    conflict: `A role named ${patch.name} already exists.`,
  });
  return after;
}

export async function deleteRole(
  deps: D,
  workspaceId: string,
  roleId: string,
  actor: string,
): Promise<RoleView> {
  const before = await requireRole(deps, workspaceId, roleId);
  const { db } = deps.database;
  const writes: BatchQuery[] = [db.delete(roles).where(eq(roles.id, roleId))];
  // The default role is not a foreign key; clear it in the same batch so it never names a deleted role.
  if (before.isDefault)
    writes.push(db.update(workspaces).set({ defaultRoleId: null }).where(eq(workspaces.id, workspaceId)));
  await commitChange(deps, { workspaceId, actor, action: "role.delete", target: roleId, before, writes });
  return before;
}

/** Gives (or takes away) a role from every member of a group. */
export async function assignRole(
  deps: D,
  input: { workspaceId: string; roleId: string; groupId: string; assigned: boolean },
  actor: string,
): Promise<RoleView> {
  const { workspaceId, roleId, groupId, assigned } = input;
  const before = await requireRole(deps, workspaceId, roleId);
  await requireGroup(deps, workspaceId, groupId);
  const has = before.groupIds.includes(groupId);
  if (has === assigned) return before;
  const { db } = deps.database;
  const after: RoleView = {
    ...before,
    groupIds: assigned ? [...before.groupIds, groupId].sort() : before.groupIds.filter((g) => g !== groupId),
  };
  await commitChange(deps, {
    workspaceId,
    actor,
    action: assigned ? "role.assign" : "role.unassign",
    target: `${roleId}:${groupId}`,
    before,
    after,
    writes: [
      assigned
        ? db.insert(roleAssignments).values({ workspaceId, roleId, groupId }).onConflictDoNothing()
        : db
            .delete(roleAssignments)
            .where(and(eq(roleAssignments.roleId, roleId), eq(roleAssignments.groupId, groupId))),
    ],
  });
  return after;
}

export async function setDefaultRole(deps: D, workspaceId: string, roleId: string | null, actor: string) {
  const ws = await requireWorkspaceRow(deps, workspaceId);
  if (roleId !== null) await requireRole(deps, workspaceId, roleId);
  await commitChange(deps, {
    workspaceId,
    actor,
    action: "role.default",
    target: workspaceId,
    before: { defaultRoleId: ws.defaultRoleId },
    after: { defaultRoleId: roleId },
    writes: [
      deps.database.db
        .update(workspaces)
        .set({ defaultRoleId: roleId })
        .where(eq(workspaces.id, workspaceId)),
    ],
  });
  return { defaultRoleId: roleId };
}
