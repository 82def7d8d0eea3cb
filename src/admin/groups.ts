import { and, asc, eq, inArray } from "drizzle-orm";
import { type GroupRow, groupMembers, groups, roleAssignments } from "../db/schema/access";
import type { BatchQuery } from "../db/types";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { newId } from "../lib/ids";
import { commitChange } from "./change";
import { assertRefs } from "./refs";
import { requireWorkspaceRow } from "./workspaces";

type D = Pick<Deps, "database" | "clock">;

export interface GroupView {
  id: string;
  workspaceId: string;
  name: string;
  externalId: string | null;
  memberIds: string[];
  roleIds: string[];
  createdAt: number;
  updatedAt: number;
}

async function groupViews(deps: Pick<Deps, "database">, rows: GroupRow[]): Promise<GroupView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const { db } = deps.database;
  const [memberships, assignments] = await Promise.all([
    db.select().from(groupMembers).where(inArray(groupMembers.groupId, ids)),
    db.select().from(roleAssignments).where(inArray(roleAssignments.groupId, ids)),
  ]);
  return rows.map((row) => ({
    ...row,
    memberIds: memberships
      .filter((m) => m.groupId === row.id)
      .map((m) => m.memberId)
      .sort(),
    roleIds: assignments
      .filter((a) => a.groupId === row.id)
      .map((a) => a.roleId)
      .sort(),
  }));
}

export async function listGroups(
  deps: Pick<Deps, "database">,
  workspaceId: string,
  filter: { name?: string; externalId?: string } = {},
): Promise<GroupView[]> {
  const rows = await deps.database.db
    .select()
    .from(groups)
    .where(
      and(
        eq(groups.workspaceId, workspaceId),
        filter.name === undefined ? undefined : eq(groups.name, filter.name),
        filter.externalId === undefined ? undefined : eq(groups.externalId, filter.externalId),
      ),
    )
    .orderBy(asc(groups.createdAt), asc(groups.id));
  return groupViews(deps, rows);
}

export async function requireGroup(deps: Pick<Deps, "database">, workspaceId: string, groupId: string) {
  const [row] = await deps.database.db
    .select()
    .from(groups)
    .where(and(eq(groups.workspaceId, workspaceId), eq(groups.id, groupId)))
    .limit(1);
  if (!row) throw new AppError("not_found", `No group ${groupId} in workspace ${workspaceId}.`);
  const [view] = await groupViews(deps, [row]);
  return view!;
}

const membershipRows = (workspaceId: string, groupId: string, memberIds: readonly string[]) =>
  [...new Set(memberIds)].map((memberId) => ({ workspaceId, groupId, memberId }));

export async function createGroup(
  deps: D,
  workspaceId: string,
  input: { name: string; externalId?: string | null; memberIds?: string[] },
  actor: string,
): Promise<GroupView> {
  await requireWorkspaceRow(deps, workspaceId);
  const memberIds = [...new Set(input.memberIds ?? [])].sort();
  await assertRefs(deps, workspaceId, "member", memberIds);
  const now = deps.clock.now();
  const row: GroupRow = {
    id: newId("grp"),
    workspaceId,
    name: input.name,
    externalId: input.externalId ?? null,
    createdAt: now,
    updatedAt: now,
  };
  const { db } = deps.database;
  const writes: BatchQuery[] = [db.insert(groups).values(row)];
  if (memberIds.length)
    writes.push(db.insert(groupMembers).values(membershipRows(workspaceId, row.id, memberIds)));
  const after: GroupView = { ...row, memberIds, roleIds: [] };
  await commitChange(deps, {
    workspaceId,
    actor,
    action: "group.create",
    target: row.id,
    after,
    writes,
    conflict: `A group named ${input.name} already exists.`,
  });
  return after;
}

export interface GroupChange {
  name?: string;
  externalId?: string | null;
  /** Replaces the member list. */
  memberIds?: string[];
  addMemberIds?: string[];
  removeMemberIds?: string[];
}

/** One change to a group (rename, replace, add or remove members), audited with its before → after. */
export async function changeGroup(
  deps: D,
  workspaceId: string,
  groupId: string,
  change: GroupChange,
  actor: string,
): Promise<GroupView> {
  const before = await requireGroup(deps, workspaceId, groupId);
  await assertRefs(deps, workspaceId, "member", [
    ...(change.memberIds ?? []),
    ...(change.addMemberIds ?? []),
  ]);
  const { db } = deps.database;
  const now = deps.clock.now();
  let memberIds = new Set(change.memberIds ?? before.memberIds);
  for (const id of change.addMemberIds ?? []) memberIds.add(id);
  for (const id of change.removeMemberIds ?? []) memberIds.delete(id);
  memberIds = new Set([...memberIds].sort());
  const added = [...memberIds].filter((id) => !before.memberIds.includes(id));
  const removed = before.memberIds.filter((id) => !memberIds.has(id));
  const renamed = {
    ...(change.name === undefined ? {} : { name: change.name }),
    ...(change.externalId === undefined ? {} : { externalId: change.externalId }),
  };
  const writes: BatchQuery[] = [
    db
      .update(groups)
      .set({ ...renamed, updatedAt: now })
      .where(eq(groups.id, groupId)),
  ];
  if (added.length)
    writes.push(
      db
        .insert(groupMembers)
        .values(membershipRows(workspaceId, groupId, added))
        .onConflictDoNothing(),
    );
  if (removed.length) {
    writes.push(
      db
        .delete(groupMembers)
        .where(and(eq(groupMembers.groupId, groupId), inArray(groupMembers.memberId, removed))),
    );
  }
  const after: GroupView = { ...before, ...renamed, memberIds: [...memberIds], updatedAt: now };
  await commitChange(deps, {
    workspaceId,
    actor,
    action: added.length || removed.length ? "group.members" : "group.update",
    target: groupId,
    before,
    after,
    writes,
    conflict: `A group named ${change.name} already exists.`,
  });
  return after;
}

export async function deleteGroup(deps: D, workspaceId: string, groupId: string, actor: string) {
  const before = await requireGroup(deps, workspaceId, groupId);
  await commitChange(deps, {
    workspaceId,
    actor,
    action: "group.delete",
    target: groupId,
    before,
    // Memberships, role assignments and policy rules naming the group go with it (ON DELETE CASCADE).
    writes: [deps.database.db.delete(groups).where(eq(groups.id, groupId))],
  });
  return before;
}
