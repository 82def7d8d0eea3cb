import { and, asc, eq, inArray } from "drizzle-orm";
import { environmentCollaborators, identities, members } from "../db/schema/access";
import { environmentInvitations } from "../db/schema/people";
import type { Deps } from "../deps";
import { commitChange } from "./change";

// Collaborators invited by an email no member has yet (the product names collaborators by email). The
// invitation waits until a member with that email appears, by SCIM provisioning, an admin adding them, their
// first sign-in or an identity link, and then becomes their collaboration. Kept apart from members.ts and
// environments.ts, which both call it, so neither has to import the other.

type D = Pick<Deps, "database" | "clock">;

export interface InvitationView {
  email: string;
  invitedBy: string;
  createdAt: number;
}

export const emailKey = (email: string) => email.trim().toLowerCase();

export async function listInvitations(
  deps: Pick<Deps, "database">,
  workspaceId: string,
  environmentId: string,
): Promise<InvitationView[]> {
  return deps.database.db
    .select({
      email: environmentInvitations.email,
      invitedBy: environmentInvitations.invitedBy,
      createdAt: environmentInvitations.createdAt,
    })
    .from(environmentInvitations)
    .where(
      and(
        eq(environmentInvitations.workspaceId, workspaceId),
        eq(environmentInvitations.environmentId, environmentId),
      ),
    )
    .orderBy(asc(environmentInvitations.email));
}

/** Invites emails to an environment, audited once for the lot; an email invited already stays as it was. */
export async function inviteEmails(
  deps: D,
  input: { workspaceId: string; environmentId: string; emails: readonly string[]; actor: string },
): Promise<string[]> {
  const emails = [...new Set(input.emails.map(emailKey))];
  if (emails.length === 0) return [];
  const now = deps.clock.now();
  const rows = emails.map((email) => ({
    workspaceId: input.workspaceId,
    environmentId: input.environmentId,
    email,
    invitedBy: input.actor,
    createdAt: now,
  }));
  await commitChange(deps, {
    workspaceId: input.workspaceId,
    actor: input.actor,
    action: "environment.invite",
    target: input.environmentId,
    after: { emails },
    writes: [deps.database.db.insert(environmentInvitations).values(rows).onConflictDoNothing()],
  });
  return emails;
}

/** Withdraws an invitation; false when there was none. */
export async function cancelInvitation(
  deps: D,
  input: { workspaceId: string; environmentId: string; email: string; actor: string },
): Promise<boolean> {
  const email = emailKey(input.email);
  const where = and(
    eq(environmentInvitations.workspaceId, input.workspaceId),
    eq(environmentInvitations.environmentId, input.environmentId),
    eq(environmentInvitations.email, email),
  );
  const [found] = await deps.database.db.select().from(environmentInvitations).where(where).limit(1);
  if (!found) return false;
  await commitChange(deps, {
    workspaceId: input.workspaceId,
    actor: input.actor,
    action: "environment.invite.cancel",
    target: input.environmentId,
    before: { email },
    writes: [deps.database.db.delete(environmentInvitations).where(where)],
  });
  return true;
}

/**
 * Turns a member's pending invitations (by their email) into collaborations, audited as accepted. Idempotent:
 * with nothing pending it writes nothing, so every place a member may first appear can call it.
 */
export async function claimInvitations(
  deps: D,
  input: { workspaceId: string; memberId: string; email: string; actor: string },
): Promise<string[]> {
  const email = emailKey(input.email);
  const where = and(
    eq(environmentInvitations.workspaceId, input.workspaceId),
    eq(environmentInvitations.email, email),
  );
  const pending = await deps.database.db
    .select({ environmentId: environmentInvitations.environmentId })
    .from(environmentInvitations)
    .where(where);
  if (pending.length === 0) return [];
  const environmentIds = pending.map((p) => p.environmentId).sort();
  const { db } = deps.database;
  await commitChange(deps, {
    workspaceId: input.workspaceId,
    actor: input.actor,
    action: "environment.invitation.accept",
    target: input.memberId,
    after: { email, environmentIds },
    writes: [
      db
        .insert(environmentCollaborators)
        .values(
          environmentIds.map((environmentId) => ({
            workspaceId: input.workspaceId,
            environmentId,
            memberId: input.memberId,
          })),
        )
        .onConflictDoNothing(),
      db
        .delete(environmentInvitations)
        .where(and(where, inArray(environmentInvitations.environmentId, environmentIds))),
    ],
  });
  return environmentIds;
}

/**
 * On sign-in: the members this person is, in every workspace (by email, or by a linked GitHub login for a
 * GitHub sign-in), claim what they were invited to.
 */
export async function claimInvitationsOnSignIn(
  deps: D,
  who: { provider: string; subject: string },
): Promise<void> {
  if (who.provider === "key") return;
  const subject = who.subject.trim().toLowerCase();
  const { db } = deps.database;
  const people =
    who.provider === "github"
      ? await db
          .select({ workspaceId: members.workspaceId, memberId: members.id, email: members.email })
          .from(identities)
          .innerJoin(members, eq(members.id, identities.memberId))
          .where(and(eq(identities.platform, "github"), eq(identities.externalId, subject)))
      : await db
          .select({ workspaceId: members.workspaceId, memberId: members.id, email: members.email })
          .from(members)
          .where(eq(members.email, subject));
  for (const p of people) {
    await claimInvitations(deps, { ...p, actor: `member:${p.memberId}` });
  }
}
