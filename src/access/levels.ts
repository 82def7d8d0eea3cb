import type { PermissionLevel } from "../routing/slash-types";
import type { MemberEntry } from "./snapshot-index";

/**
 * A member's administrative level, from the access snapshot's view of them: owners hold everything, a role
 * granting `codex_admin` makes a Codex Admin, any other active member is a member. null: not a member (or
 * deactivated). `/codex` and the console both answer with it, so a person may do the same in either.
 */
export function levelOf(entry: MemberEntry | null | undefined): PermissionLevel | null {
  if (entry?.member.status !== "active") return null;
  if (entry.member.isOwner) return "owner";
  return entry.permissionSet.has("codex_admin") ? "codex_admin" : "member";
}
