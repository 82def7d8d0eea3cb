import { and, asc, eq, isNull } from "drizzle-orm";
import type { Context } from "hono";
import { levelOf } from "../access/levels";
import { apiKeys, apiScopes } from "../db/schema/api-keys";
import { workspaces } from "../db/schema/workspaces";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import type { PermissionLevel } from "../routing/slash-types";
import { hasTokenHeader, TOKEN_HEADER } from "../web/csrf";
import { currentSession, type WebSession } from "../web/sign-in-session";
import type { ApiScope } from "../workspace/api-key-scopes";
import type { ApiPrincipal } from "../workspace/principals";
import { getSnapshot } from "../workspace/snapshot";

// The admin API for a person signed in to the console: a script on a console page (or a person with the
// browser's tools) calls /api/v1 with the session cookie instead of a key. A session opened with an API key
// acts with that key's scopes; a member's session acts by their level, as the console does: owners hold
// `admin`, owners and Codex Admins hold `analytics.read` (the product's "view Codex workspace analytics"),
// members hold no scope of the admin API.
//
// A cookie travels with requests other sites make, so a session's changes must prove they come from the
// hub's own pages: the hub's origin in `Origin`, and the form token (csrf.tsx) in `x-csrf-token`.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const NAMES: Record<PermissionLevel, string> = {
  owner: "a workspace owner",
  codex_admin: "a Codex Admin",
  member: "a member",
};

/** The principal of the browser's session, or null without one. Throws 403 for a change from elsewhere. */
export async function sessionPrincipal(c: Context, deps: Deps): Promise<ApiPrincipal | null> {
  const session = await currentSession(c, deps);
  if (!session) return null;
  if (!SAFE_METHODS.has(c.req.method)) await assertFromHubPage(c, deps);
  return session.provider === "key" ? keyPrincipal(deps, session.subject) : memberPrincipal(c, deps, session);
}

async function assertFromHubPage(c: Context, deps: Deps): Promise<void> {
  const sameOrigin = c.req.header("origin") === new URL(deps.config.publicUrl).origin;
  if (sameOrigin && (await hasTokenHeader(c, deps))) return;
  throw new AppError(
    "forbidden",
    `A change made with a signed-in session must come from this hub's pages: send the hub's own \`Origin\` and the page's form token in \`${TOKEN_HEADER}\`.`,
  );
}

/** A key session is the key: its scopes now (a revoked key already ended the session in currentSession). */
async function keyPrincipal(deps: Deps, keyId: string): Promise<ApiPrincipal | null> {
  if (keyId === "bootstrap") return deps.config.adminToken ? { keyId, scopes: [...apiScopes] } : null;
  const [row] = await deps.database.db
    .select({ scopes: apiKeys.scopes })
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row ? { keyId, scopes: row.scopes } : null;
}

/**
 * A member acts by their level in the workspace the route names (`/workspaces/{workspaceId}/...`, or
 * `?workspace=`); for hub-wide routes, in the first workspace they belong to, as the console picks it.
 */
async function memberPrincipal(c: Context, deps: Deps, session: WebSession): Promise<ApiPrincipal> {
  const params = c.req.param() as Record<string, string | undefined>;
  const named = params.workspaceId ?? params.workspace_id ?? c.req.query("workspace");
  const rows = await deps.database.db
    .select({ id: workspaces.id })
    .from(workspaces)
    .where(named ? eq(workspaces.id, named) : undefined)
    .orderBy(asc(workspaces.createdAt));
  for (const { id } of rows) {
    const snapshot = await getSnapshot(deps, id);
    const entry =
      session.provider === "github"
        ? snapshot.byGithubLogin.get(session.subject)
        : snapshot.byEmail.get(session.subject);
    const level = levelOf(entry);
    if (!entry || !level) continue;
    return { memberId: entry.member.id, level, scopes: SESSION_SCOPES[level] };
  }
  throw new AppError("forbidden", "You are not an active member of this workspace.");
}

const SESSION_SCOPES: Record<PermissionLevel, ApiScope[]> = {
  owner: ["admin", "analytics.read"],
  codex_admin: ["analytics.read"],
  member: [],
};

/** Why a member's session may not use a route, naming what it needs. */
export const levelRefusal = (level: PermissionLevel, scope: string): string => {
  const who = scope === "analytics.read" ? "workspace owners and Codex Admins" : "workspace owners";
  return `You are signed in as ${NAMES[level]}; this route needs the \`${scope}\` scope, which a session holds only for ${who} (or use an API key with it).`;
};
