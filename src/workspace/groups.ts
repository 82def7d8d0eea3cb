import { and, asc, eq, inArray } from "drizzle-orm";
import { type GroupRow, groupMembers, groups, roleAssignments } from "../db/schema/access";
import type { BatchQuery } from "../db/types";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { newId } from "../lib/ids";
import { commitChange } from "./change";
import { chunked, groupBy, idsPerStatement, rowsPerStatement, SMALL_LOOKUP } from "./chunks";
import { requireMember } from "./members";
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
  // A few groups: by id. A listing: the workspace's rows in one statement (no IN list past D1's limit).
  const few = ids.length <= SMALL_LOOKUP;
  const workspaceId = rows[0]!.workspaceId;
  const [memberships, assignments] = await Promise.all([
    db
      .select()
      .from(groupMembers)
      .where(few ? inArray(groupMembers.groupId, ids) : eq(groupMembers.workspaceId, workspaceId)),
    db
      .select()
      .from(roleAssignments)
      .where(few ? inArray(roleAssignments.groupId, ids) : eq(roleAssignments.workspaceId, workspaceId)),
  ]);
  const membersOf = groupBy(
    memberships,
    (m) => m.groupId,
    (m) => m.memberId,
  );
  const rolesOf = groupBy(
    assignments,
    (a) => a.groupId,
    (a) => a.roleId,
  );
  return rows.map((row) => ({
    ...row,
    memberIds: (membersOf.get(row.id) ?? []).sort(),
    roleIds: (rolesOf.get(row.id) ?? []).sort(),
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

/** Membership inserts, split to fit D1's parameter limit; idempotent so a repeated add changes nothing. */
function insertMemberships(deps: D, workspaceId: string, groupId: string, memberIds: readonly string[]) {
  const rows = [...new Set(memberIds)].map((memberId) => ({ workspaceId, groupId, memberId }));
  return chunked(rows, rowsPerStatement(deps.database, 3)).map((part) =>
    deps.database.db.insert(groupMembers).values(part).onConflictDoNothing(),
  );
}

function deleteMemberships(deps: D, groupId: string, memberIds: readonly string[]) {
  return chunked(memberIds, idsPerStatement(deps.database)).map((part) =>
    deps.database.db
      .delete(groupMembers)
      .where(and(eq(groupMembers.groupId, groupId), inArray(groupMembers.memberId, part))),
  );
}

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
  writes.push(...insertMemberships(deps, workspaceId, row.id, memberIds));
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
  const had = new Set(before.memberIds);
  const added = [...memberIds].filter((id) => !had.has(id));
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
  writes.push(
    ...insertMemberships(deps, workspaceId, groupId, added),
    ...deleteMemberships(deps, groupId, removed),
  );
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

/** Adds one member to a group or removes them; removing someone who is not in it is a 404, not a no-op. */
export async function setGroupMembership(
  deps: D,
  input: { workspaceId: string; groupId: string; memberId: string; member: boolean },
  actor: string,
): Promise<GroupView> {
  const { workspaceId, groupId, memberId, member } = input;
  if (member) await requireMember(deps, workspaceId, memberId);
  else {
    const group = await requireGroup(deps, workspaceId, groupId);
    if (!group.memberIds.includes(memberId)) {
      throw new AppError("not_found", `Member ${memberId} is not in group ${groupId}.`);
    }
  }
  const change = member ? { addMemberIds: [memberId] } : { removeMemberIds: [memberId] };
  return changeGroup(deps, workspaceId, groupId, change, actor);
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
