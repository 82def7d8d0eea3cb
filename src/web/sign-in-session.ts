import { and, eq, isNull, lt } from "drizzle-orm";
import type { Context } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import type { CookieOptions } from "hono/utils/cookie";
import { identities, members } from "../db/schema/access";
import { apiKeys } from "../db/schema/api-keys";
import { type WebSessionRow, webSessions } from "../db/schema/sessions";
import type { Deps } from "../deps";
import { hmacSha256Hex, sha256Hex } from "../lib/crypto";
import { claimInvitationsOnSignIn } from "../workspace/environment-invitations";

// Web sessions for the task page: a random token in a signed, HttpOnly, SameSite=Lax cookie, and a row per
// session (keyed by the token's hash) that is checked on every request, so signing out or deactivating the
// member ends the session at once rather than when the cookie expires.

export type SessionProvider = WebSessionRow["provider"];

export const SESSION_COOKIE = "hub_session";
export const SESSION_TTL_MS = 12 * 60 * 60_000;

export interface WebSession {
  id: string;
  provider: SessionProvider;
  /** Lower-cased email (slack, local) or lower-cased GitHub login (github). */
  subject: string;
  displayName: string;
  expiresAt: number;
}

type D = Pick<Deps, "config" | "database" | "clock">;

/**
 * The cookie-signing key, derived from HUB_ENCRYPTION_KEY so that key never signs anything itself. Derived
 * on each use, one HMAC under a key lib/crypto.ts already imported, so no process-wide copy of it is kept.
 */
export function cookieKey(deps: Pick<Deps, "config">): Promise<string> {
  return hmacSha256Hex(deps.config.encryptionKey, "codex-hub/web-session-cookie/v1");
}

/** Secure (and `__Host-` prefixed) whenever the hub is served over https. */
export function cookieOptions(deps: Pick<Deps, "config">, maxAgeSeconds: number): CookieOptions {
  const secure = deps.config.publicUrl.startsWith("https://");
  return {
    httpOnly: true,
    sameSite: "Lax",
    path: "/",
    secure,
    maxAge: maxAgeSeconds,
    ...(secure ? { prefix: "host" as const } : {}),
  };
}

/** The prefix `cookieOptions` gives a cookie, which reading it back must name too. */
export const cookiePrefix = (deps: Pick<Deps, "config">) =>
  deps.config.publicUrl.startsWith("https://") ? ("host" as const) : undefined;

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** Starts a session for someone who just proved who they are, and sets its cookie. */
export async function startSession(
  c: Context,
  deps: D,
  who: { provider: SessionProvider; subject: string; displayName: string },
): Promise<void> {
  const token = randomToken();
  const now = deps.clock.now();
  await deps.database.db.insert(webSessions).values({
    id: await sha256Hex(token),
    provider: who.provider,
    subject: who.subject.toLowerCase(),
    displayName: who.displayName,
    createdAt: now,
    expiresAt: now + SESSION_TTL_MS,
  });
  // A first sign-in turns environment invitations sent to this person's email into collaborations.
  await claimInvitationsOnSignIn(deps, who);
  await setSignedCookie(
    c,
    SESSION_COOKIE,
    token,
    await cookieKey(deps),
    cookieOptions(deps, SESSION_TTL_MS / 1000),
  );
}

/**
 * The signed-in person, or null: no cookie, a forged or expired one, a session signed out, or one whose
 * person is no longer an active member anywhere (that session is ended on the spot).
 */
export async function currentSession(c: Context, deps: D): Promise<WebSession | null> {
  const token = await getSignedCookie(c, await cookieKey(deps), SESSION_COOKIE, cookiePrefix(deps));
  if (!token) return null;
  const id = await sha256Hex(token);
  const [row] = await deps.database.db.select().from(webSessions).where(eq(webSessions.id, id)).limit(1);
  const now = deps.clock.now();
  if (!row || row.revokedAt !== null || row.expiresAt <= now) return null;
  if (!(await isActiveSomewhere(deps, row))) {
    await deps.database.db.update(webSessions).set({ revokedAt: now }).where(eq(webSessions.id, id));
    return null;
  }
  return {
    id: row.id,
    provider: row.provider,
    subject: row.subject,
    displayName: row.displayName,
    expiresAt: row.expiresAt,
  };
}

/** Signs out: the row is revoked (so a copied cookie stops working too) and the cookie cleared. */
export async function endSession(c: Context, deps: D): Promise<void> {
  const token = await getSignedCookie(c, await cookieKey(deps), SESSION_COOKIE, cookiePrefix(deps));
  if (token) {
    await deps.database.db
      .update(webSessions)
      .set({ revokedAt: deps.clock.now() })
      .where(eq(webSessions.id, await sha256Hex(token)));
  }
  deleteCookie(c, SESSION_COOKIE, cookieOptions(deps, 0));
}

/** Ends every session of one person (e.g. when their membership is deactivated or removed). */
export async function endSessionsOf(
  deps: Pick<Deps, "database" | "clock">,
  who: { provider?: SessionProvider; subject: string },
): Promise<number> {
  const rows = await deps.database.db
    .update(webSessions)
    .set({ revokedAt: deps.clock.now() })
    .where(
      and(
        eq(webSessions.subject, who.subject.toLowerCase()),
        who.provider ? eq(webSessions.provider, who.provider) : undefined,
      ),
    )
    .returning({ id: webSessions.id });
  return rows.length;
}

/** Drops sessions that expired more than a day ago. */
export async function sweepSessions(deps: Pick<Deps, "database" | "clock">): Promise<number> {
  const rows = await deps.database.db
    .delete(webSessions)
    .where(lt(webSessions.expiresAt, deps.clock.now() - 86_400_000))
    .returning({ id: webSessions.id });
  return rows.length;
}

/**
 * Whether an API key still opens the console: it exists, is not revoked and holds `admin` (the bootstrap
 * HUB_ADMIN_TOKEN while it is configured). Checked on every request, so revoking the key ends its sessions.
 */
export async function keyOpensConsole(
  deps: Pick<Deps, "database" | "config">,
  keyId: string,
): Promise<boolean> {
  if (keyId === "bootstrap") return Boolean(deps.config.adminToken);
  const [row] = await deps.database.db
    .select({ scopes: apiKeys.scopes })
    .from(apiKeys)
    .where(and(eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row?.scopes.includes("admin") ?? false;
}

/** Whether the session's person is still an active member of at least one workspace (or its key still valid). */
async function isActiveSomewhere(deps: D, row: WebSessionRow): Promise<boolean> {
  const { db } = deps.database;
  if (row.provider === "key") return keyOpensConsole(deps, row.subject);
  if (row.provider === "github") {
    const [hit] = await db
      .select({ id: members.id })
      .from(identities)
      .innerJoin(members, eq(members.id, identities.memberId))
      .where(
        and(
          eq(identities.platform, "github"),
          eq(identities.externalId, row.subject),
          eq(members.status, "active"),
        ),
      )
      .limit(1);
    return hit !== undefined;
  }
  const [hit] = await db
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.email, row.subject), eq(members.status, "active")))
    .limit(1);
  return hit !== undefined;
}
