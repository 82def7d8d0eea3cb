import { asc } from "drizzle-orm";
import type { Context } from "hono";
import { levelOf } from "../../access/levels";
import type { IndexedSnapshot, MemberEntry } from "../../access/snapshot-index";
import { workspaces } from "../../db/schema/workspaces";
import type { Deps } from "../../deps";
import type { PermissionLevel } from "../../routing/slash-types";
import { auditActor } from "../../workspace/principals";
import { getSnapshot } from "../../workspace/snapshot";
import { formToken } from "../csrf";
import { currentSession, keyOpensConsole, type WebSession } from "../sign-in-session";

// Who is looking at the console, in which workspace, and what they may do there. The levels are the ones
// `/codex` uses (member < Codex Admin < owner), computed the same way from the workspace's access snapshot, so
// a person can do the same things from a browser as from Slack. A session opened with an admin API key acts
// with that key's scopes: `admin` is owner-level in every workspace.

export type ConsoleLevel = PermissionLevel;

export interface Viewer {
  session: WebSession;
  workspaceId: string;
  workspaceName: string;
  level: ConsoleLevel;
  /** The member behind the session; null for a session opened with an API key. */
  memberId: string | null;
  /** How changes made from the console name the person in the audit log. */
  actor: string;
  name: string;
  /** The token every form of the page carries (csrf.tsx). */
  formToken: string;
  snapshot: IndexedSnapshot;
}

const RANK: Record<ConsoleLevel, number> = { member: 0, codex_admin: 1, owner: 2 };

/** True when `level` is at least `needed`. */
export const atLeast = (level: ConsoleLevel, needed: ConsoleLevel): boolean => RANK[level] >= RANK[needed];

function memberOf(snapshot: IndexedSnapshot, session: WebSession): MemberEntry | null | undefined {
  if (session.provider === "github") return snapshot.byGithubLogin.get(session.subject);
  return snapshot.byEmail.get(session.subject);
}

/**
 * The signed-in viewer in the workspace they asked for (`?workspace=`) or else the first one they belong to,
 * or null when nobody is signed in or the person belongs to no workspace any more.
 */
export async function loadViewer(c: Context, deps: Deps): Promise<Viewer | null> {
  const session = await currentSession(c, deps);
  if (!session) return null;
  const rows = await deps.database.db
    .select({ id: workspaces.id, name: workspaces.name })
    .from(workspaces)
    .orderBy(asc(workspaces.createdAt));
  const wanted = c.req.query("workspace");
  const ordered = wanted ? [...rows.filter((r) => r.id === wanted), ...rows] : rows;
  const keyAdmin = session.provider === "key" ? await keyOpensConsole(deps, session.subject) : false;
  for (const ws of ordered) {
    const snapshot = await getSnapshot(deps, ws.id);
    const entry = session.provider === "key" ? null : memberOf(snapshot, session);
    const level = session.provider === "key" ? (keyAdmin ? "owner" : null) : levelOf(entry);
    if (!level) continue;
    return {
      session,
      workspaceId: ws.id,
      workspaceName: ws.name,
      level,
      memberId: entry?.member.id ?? null,
      // A key session is audited exactly as the key is on the admin API.
      actor: entry ? `member:${entry.member.id}` : auditActor({ keyId: session.subject, scopes: [] }),
      name: session.displayName,
      formToken: await formToken(c, deps),
      snapshot,
    };
  }
  return null;
}
