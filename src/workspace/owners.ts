import { and, eq } from "drizzle-orm";
import { members } from "../db/schema/access";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { type MemberView, requireMember, updateMember } from "./members";

// Owners hold every permission and manage RBAC, so a workspace always keeps one who can act: taking away the
// ownership of its last active owner, or deactivating them, is refused. The admin API and the console both
// change owners through here.

type D = Pick<Deps, "database" | "clock">;

export const LAST_OWNER_MESSAGE =
  "This is the workspace's last active owner; make someone else an owner first.";

/** Refuses a change that would leave the workspace without an active owner. */
async function keepAnActiveOwner(deps: Pick<Deps, "database">, workspaceId: string, memberId: string) {
  const owners = await deps.database.db
    .select({ id: members.id })
    .from(members)
    .where(
      and(eq(members.workspaceId, workspaceId), eq(members.isOwner, true), eq(members.status, "active")),
    );
  if (owners.length === 1 && owners[0]!.id === memberId) throw new AppError("conflict", LAST_OWNER_MESSAGE);
}

/** Makes a member an owner, or takes their ownership away (never the last active owner's). */
export async function setOwner(
  deps: D,
  workspaceId: string,
  memberId: string,
  isOwner: boolean,
  actor: string,
): Promise<MemberView> {
  const before = await requireMember(deps, workspaceId, memberId);
  if (before.isOwner === isOwner) return before;
  if (!isOwner) await keepAnActiveOwner(deps, workspaceId, memberId);
  return updateMember(deps, workspaceId, memberId, { isOwner }, actor);
}

/** Deactivates a member (their access ends at once) or reactivates them; never the last active owner. */
export async function setMemberStatus(
  deps: D,
  workspaceId: string,
  memberId: string,
  status: MemberView["status"],
  actor: string,
): Promise<MemberView> {
  const before = await requireMember(deps, workspaceId, memberId);
  if (before.status === status) return before;
  if (status === "deactivated") await keepAnActiveOwner(deps, workspaceId, memberId);
  return updateMember(deps, workspaceId, memberId, { status }, actor);
}
