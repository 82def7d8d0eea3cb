import { and, eq } from "drizzle-orm";
import { preparedQuery } from "../db/prepared";
import { identities } from "../db/schema/access";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { commitChange } from "./change";
import { claimInvitations } from "./environment-invitations";
import { type IdentityView, requireMember } from "./members";

export type IdentityPlatform = IdentityView["platform"];
export type LinkSource = IdentityView["source"];

/** GitHub logins are case-insensitive; Slack and Linear ids are opaque and kept as given. */
export const identityKey = (platform: IdentityPlatform, id: string): string =>
  platform === "github" ? id.trim().toLowerCase() : id.trim();

const linkedMemberRow = preparedQuery(
  (db, v: { workspaceId: string; platform: IdentityPlatform; externalId: string }) =>
    db
      .select({ memberId: identities.memberId })
      .from(identities)
      .where(
        and(
          eq(identities.workspaceId, v.workspaceId),
          eq(identities.platform, v.platform),
          eq(identities.externalId, v.externalId),
        ),
      )
      .limit(1),
);

export async function findLinkedMember(
  deps: Pick<Deps, "database">,
  workspaceId: string,
  platform: IdentityPlatform,
  id: string,
): Promise<string | null> {
  const [row] = await linkedMemberRow(deps.database.db).all({
    workspaceId,
    platform,
    externalId: identityKey(platform, id),
  });
  return row?.memberId ?? null;
}

/**
 * Links a platform identity to a member, replacing the member's previous identity on that platform. An id
 * already linked to another member is a conflict: the hub never moves an identity between people silently.
 */
export async function linkIdentity(
  deps: Pick<Deps, "database" | "clock">,
  input: {
    workspaceId: string;
    memberId: string;
    platform: IdentityPlatform;
    id: string;
    source: LinkSource;
    actor: string;
  },
): Promise<IdentityView> {
  const { workspaceId, memberId, platform, source, actor } = input;
  const member = await requireMember(deps, workspaceId, memberId);
  const externalId = identityKey(platform, input.id);
  const display = input.id.trim();
  const holder = await findLinkedMember(deps, workspaceId, platform, externalId);
  if (holder && holder !== memberId) {
    throw new AppError(
      "conflict",
      `That ${platform} identity (${display}) is already linked to another member.`,
    );
  }
  const before = member.identities.find((i) => i.platform === platform) ?? null;
  const after: IdentityView = { platform, externalId, display, source };
  if (before && before.externalId === externalId && before.display === display) return before;
  const { db } = deps.database;
  await commitChange(deps, {
    workspaceId,
    actor,
    action: "identity.link",
    target: memberId,
    before,
    after,
    writes: [
      db.delete(identities).where(and(eq(identities.memberId, memberId), eq(identities.platform, platform))),
      db.insert(identities).values({ workspaceId, memberId, ...after, createdAt: deps.clock.now() }),
    ],
    conflict: `That ${platform} identity (${display}) is already linked to another member.`,
  });
  // Linking is one of the ways a person first shows up: invitations to their email become theirs.
  await claimInvitations(deps, { workspaceId, memberId, email: member.email, actor });
  return after;
}

export async function unlinkIdentity(
  deps: Pick<Deps, "database" | "clock">,
  input: { workspaceId: string; memberId: string; platform: IdentityPlatform; actor: string },
): Promise<void> {
  const member = await requireMember(deps, input.workspaceId, input.memberId);
  const before = member.identities.find((i) => i.platform === input.platform);
  if (!before)
    throw new AppError("not_found", `Member ${input.memberId} has no linked ${input.platform} identity.`);
  await commitChange(deps, {
    workspaceId: input.workspaceId,
    actor: input.actor,
    action: "identity.unlink",
    target: input.memberId,
    before,
    after: null,
    writes: [
      deps.database.db
        .delete(identities)
        .where(and(eq(identities.memberId, input.memberId), eq(identities.platform, input.platform))),
    ],
  });
}
