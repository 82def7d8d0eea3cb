import { and, asc, eq, inArray } from "drizzle-orm";
import { groupMembers, identities, type MemberRow, members } from "../db/schema/access";
import type { BatchQuery } from "../db/types";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { newId } from "../lib/ids";
import { commitChange } from "./change";
import { groupBy, SMALL_LOOKUP } from "./chunks";
import { claimInvitations } from "./environment-invitations";
import { requireWorkspaceRow } from "./workspaces";

type D = Pick<Deps, "database" | "clock">;

export interface IdentityView {
  platform: "slack" | "github" | "linear";
  externalId: string;
  display: string;
  source: "email" | "oauth" | "admin" | "seed";
}

export interface MemberView {
  id: string;
  workspaceId: string;
  email: string;
  displayName: string | null;
  givenName: string | null;
  familyName: string | null;
  status: "active" | "deactivated";
  isOwner: boolean;
  externalId: string | null;
  groupIds: string[];
  identities: IdentityView[];
  createdAt: number;
  updatedAt: number;
}

export type MemberInput = Partial<
  Pick<MemberView, "displayName" | "givenName" | "familyName" | "status" | "isOwner" | "externalId">
> & { email: string };
export type MemberPatch = Partial<MemberInput>;

export const toMemberView = (row: MemberRow, groupIds: string[], linked: IdentityView[]): MemberView => ({
  ...row,
  groupIds: [...groupIds].sort(),
  identities: [...linked].sort((a, b) => a.platform.localeCompare(b.platform)),
});

/** Views of the given members (or all of the workspace), with their groups and identities. */
export async function memberViews(deps: Pick<Deps, "database">, rows: MemberRow[]): Promise<MemberView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const { db } = deps.database;
  // A few members: by id. A listing: the workspace's rows in one statement (no IN list past D1's limit).
  const few = ids.length <= SMALL_LOOKUP;
  const workspaceId = rows[0]!.workspaceId;
  const [memberships, linked] = await Promise.all([
    db
      .select()
      .from(groupMembers)
      .where(few ? inArray(groupMembers.memberId, ids) : eq(groupMembers.workspaceId, workspaceId)),
    db
      .select()
      .from(identities)
      .where(few ? inArray(identities.memberId, ids) : eq(identities.workspaceId, workspaceId)),
  ]);
  const groupsOf = groupBy(
    memberships,
    (m) => m.memberId,
    (m) => m.groupId,
  );
  const identitiesOf = groupBy(
    linked,
    (i) => i.memberId,
    ({ platform, externalId, display, source }): IdentityView => ({ platform, externalId, display, source }),
  );
  return rows.map((row) => toMemberView(row, groupsOf.get(row.id) ?? [], identitiesOf.get(row.id) ?? []));
}

export async function findMemberRow(deps: Pick<Deps, "database">, workspaceId: string, memberId: string) {
  const [row] = await deps.database.db
    .select()
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), eq(members.id, memberId)))
    .limit(1);
  return row ?? null;
}

export async function requireMember(deps: Pick<Deps, "database">, workspaceId: string, memberId: string) {
  const row = await findMemberRow(deps, workspaceId, memberId);
  if (!row) throw new AppError("not_found", `No member ${memberId} in workspace ${workspaceId}.`);
  const [view] = await memberViews(deps, [row]);
  return view!;
}

export async function findMemberByEmail(deps: Pick<Deps, "database">, workspaceId: string, email: string) {
  const [row] = await deps.database.db
    .select()
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), eq(members.email, email.trim().toLowerCase())))
    .limit(1);
  return row ?? null;
}

export async function listMembers(
  deps: Pick<Deps, "database">,
  workspaceId: string,
  filter: { email?: string; externalId?: string } = {},
): Promise<MemberView[]> {
  const rows = await deps.database.db
    .select()
    .from(members)
    .where(
      and(
        eq(members.workspaceId, workspaceId),
        filter.email === undefined ? undefined : eq(members.email, filter.email.trim().toLowerCase()),
        filter.externalId === undefined ? undefined : eq(members.externalId, filter.externalId),
      ),
    )
    .orderBy(asc(members.createdAt), asc(members.id));
  return memberViews(deps, rows);
}

export async function createMember(deps: D, workspaceId: string, input: MemberInput, actor: string) {
  await requireWorkspaceRow(deps, workspaceId);
  const email = input.email.trim().toLowerCase();
  if (await findMemberByEmail(deps, workspaceId, email)) {
    throw new AppError("conflict", `A member with the email ${email} already exists.`);
  }
  const now = deps.clock.now();
  const row: MemberRow = {
    id: newId("mem"),
    workspaceId,
    email,
    displayName: input.displayName ?? null,
    givenName: input.givenName ?? null,
    familyName: input.familyName ?? null,
    status: input.status ?? "active",
    isOwner: input.isOwner ?? false,
    externalId: input.externalId ?? null,
    createdAt: now,
    updatedAt: now,
  };
  const after = toMemberView(row, [], []);
  await commitChange(deps, {
    workspaceId,
    actor,
    action: "member.create",
    target: row.id,
    after,
    writes: [deps.database.db.insert(members).values(row)],
    // The unique index settles two concurrent creations of one email: the second lands nothing.
    conflict: `A member with the email ${email} already exists.`,
  });
  // Environments they were invited to by email before they were a member become theirs now.
  await claimInvitations(deps, { workspaceId, memberId: row.id, email, actor });
  return after;
}

export async function updateMember(
  deps: D,
  workspaceId: string,
  memberId: string,
  patch: MemberPatch,
  actor: string,
  extraWrites: BatchQuery[] = [],
): Promise<MemberView> {
  const before = await requireMember(deps, workspaceId, memberId);
  const changes = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as MemberPatch;
  if (changes.email !== undefined) {
    changes.email = changes.email.trim().toLowerCase();
    const other = await findMemberByEmail(deps, workspaceId, changes.email);
    if (other && other.id !== memberId) {
      throw new AppError("conflict", `A member with the email ${changes.email} already exists.`);
    }
  }
  const now = deps.clock.now();
  const after: MemberView = { ...before, ...changes, updatedAt: now };
  await commitChange(deps, {
    workspaceId,
    actor,
    action:
      changes.status === "deactivated" && before.status === "active" ? "member.deactivate" : "member.update",
    target: memberId,
    before,
    after,
    writes: [
      deps.database.db
        .update(members)
        .set({ ...changes, updatedAt: now })
        .where(and(eq(members.workspaceId, workspaceId), eq(members.id, memberId))),
      ...extraWrites,
    ],
    conflict: `A member with the email ${changes.email} already exists.`,
  });
  return after;
}

export async function deleteMember(deps: D, workspaceId: string, memberId: string, actor: string) {
  const before = await requireMember(deps, workspaceId, memberId);
  await commitChange(deps, {
    workspaceId,
    actor,
    action: "member.delete",
    target: memberId,
    before,
    // Group memberships, identities and collaborations go with the member (ON DELETE CASCADE).
    writes: [
      deps.database.db
        .delete(members)
        .where(and(eq(members.workspaceId, workspaceId), eq(members.id, memberId))),
    ],
  });
  return before;
}
