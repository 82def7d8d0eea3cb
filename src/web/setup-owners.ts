import { and, eq } from "drizzle-orm";
import { identities, members } from "../db/schema/access";
import { workspaces } from "../db/schema/workspaces";
import type { Deps } from "../deps";
import { auditActor } from "../workspace/principals";
import { keyOpensConsole, type WebSession } from "./sign-in-session";

export interface OwnedWorkspace {
  workspaceId: string;
  name: string;
  /** How the install is audited: `member:<id>`, or `api_key:<id>` for a session opened with an admin key. */
  actor: string;
}

/**
 * The workspaces the signed-in person may connect a Slack team or Linear organization to: those they own as an
 * active member (matched like sign-in: email, or a linked GitHub login), or every workspace for a session opened
 * with an admin API key, so a hub with no OAuth sign-in (bot token only, Linear only) can still be set up.
 */
export async function ownedWorkspaces(deps: Deps, session: WebSession): Promise<OwnedWorkspace[]> {
  const { db } = deps.database;
  if (session.provider === "key") {
    if (!(await keyOpensConsole(deps, session.subject))) return [];
    const all = await db.select({ workspaceId: workspaces.id, name: workspaces.name }).from(workspaces);
    const actor = auditActor({ keyId: session.subject, scopes: [] });
    return all.map((w) => ({ ...w, actor }));
  }
  const owner = and(eq(members.isOwner, true), eq(members.status, "active"));
  const base = db
    .select({ workspaceId: workspaces.id, name: workspaces.name, memberId: members.id })
    .from(members)
    .innerJoin(workspaces, eq(workspaces.id, members.workspaceId));
  const rows =
    session.provider === "github"
      ? await base
          .innerJoin(identities, eq(identities.memberId, members.id))
          .where(and(owner, eq(identities.platform, "github"), eq(identities.externalId, session.subject)))
      : await base.where(and(owner, eq(members.email, session.subject)));
  return rows.map((r) => ({ workspaceId: r.workspaceId, name: r.name, actor: `member:${r.memberId}` }));
}
