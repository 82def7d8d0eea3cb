import { and, eq } from "drizzle-orm";
import { identities, members } from "../db/schema/access";
import type { Deps } from "../deps";
import { githubWebUrl } from "../identity/connect-github";

// Who is signing in, as each provider tells it: Slack through OpenID Connect (the email it reports, which is
// how members are matched), GitHub through OAuth (the login, matched only through a member's linked account).

export type SignInResult =
  | { ok: true; provider: "slack" | "github"; subject: string; displayName: string }
  | { ok: false; message: string };

export const SLACK_AUTHORIZE_URL = "https://slack.com/openid/connect/authorize";

export const callbackUrl = (deps: Pick<Deps, "config">, provider: "slack" | "github") =>
  `${deps.config.publicUrl}/sign-in/${provider}/callback`;

/** https://api.slack.com/authentication/sign-in-with-slack */
export function slackAuthorizeUrl(deps: Pick<Deps, "config">, state: string): string {
  const query = new URLSearchParams({
    response_type: "code",
    scope: "openid email profile",
    client_id: deps.config.slack.clientId ?? "",
    state,
    redirect_uri: callbackUrl(deps, "slack"),
  });
  return `${SLACK_AUTHORIZE_URL}?${query}`;
}

interface SlackToken {
  ok: boolean;
  error?: string;
  access_token?: string;
}

interface SlackUserInfo {
  ok: boolean;
  error?: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

/** Code → token (`openid.connect.token`) → `openid.connect.userInfo` → verified email. */
export async function slackIdentity(deps: Pick<Deps, "config">, code: string): Promise<SignInResult> {
  const { apiUrl, clientId, clientSecret } = deps.config.slack;
  const tokenResponse = await fetch(`${apiUrl}openid.connect.token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      client_id: clientId ?? "",
      client_secret: clientSecret ?? "",
      code,
      grant_type: "authorization_code",
      redirect_uri: callbackUrl(deps, "slack"),
    }),
  });
  const token = (await tokenResponse.json().catch(() => ({ ok: false }))) as SlackToken;
  if (!token.ok || !token.access_token) {
    return {
      ok: false,
      message: `Slack did not confirm the sign-in (${token.error ?? `HTTP ${tokenResponse.status}`}).`,
    };
  }
  const infoResponse = await fetch(`${apiUrl}openid.connect.userInfo`, {
    method: "POST",
    headers: { authorization: `Bearer ${token.access_token}` },
  });
  const info = (await infoResponse.json().catch(() => ({ ok: false }))) as SlackUserInfo;
  if (!info.ok || !info.email) {
    return { ok: false, message: `Slack did not share an email address (${info.error ?? "no email"}).` };
  }
  if (info.email_verified === false) return { ok: false, message: "Slack reports this email as unverified." };
  return {
    ok: true,
    provider: "slack",
    subject: info.email.toLowerCase(),
    displayName: info.name || info.email,
  };
}

export function githubAuthorizeUrl(deps: Pick<Deps, "config">, state: string): string {
  const query = new URLSearchParams({
    client_id: deps.config.github.clientId ?? "",
    redirect_uri: callbackUrl(deps, "github"),
    state,
    allow_signup: "false",
  });
  return `${githubWebUrl(deps.config.github.apiUrl)}/login/oauth/authorize?${query}`;
}

/** Code → user token (`/login/oauth/access_token`) → `GET /user` → login. */
export async function githubIdentity(deps: Pick<Deps, "config">, code: string): Promise<SignInResult> {
  const { apiUrl, clientId, clientSecret } = deps.config.github;
  const tokenResponse = await fetch(`${githubWebUrl(apiUrl)}/login/oauth/access_token`, {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/json" },
    body: JSON.stringify({
      client_id: clientId,
      client_secret: clientSecret,
      code,
      redirect_uri: callbackUrl(deps, "github"),
    }),
  });
  const token = (await tokenResponse.json().catch(() => ({}))) as { access_token?: string; error?: string };
  if (!token.access_token) {
    return {
      ok: false,
      message: `GitHub did not confirm the sign-in (${token.error ?? `HTTP ${tokenResponse.status}`}).`,
    };
  }
  const userResponse = await fetch(`${apiUrl}/user`, {
    headers: {
      accept: "application/vnd.github+json",
      authorization: `Bearer ${token.access_token}`,
      "user-agent": "codex-hub",
    },
  });
  const user = (await userResponse.json().catch(() => ({}))) as { login?: string; name?: string | null };
  if (!userResponse.ok || !user.login) return { ok: false, message: "GitHub did not say who you are." };
  return {
    ok: true,
    provider: "github",
    subject: user.login.toLowerCase(),
    displayName: user.name || user.login,
  };
}

/** Whether someone signing in is an active member anywhere; says how to fix it when not. */
export async function memberCheck(
  deps: Pick<Deps, "database">,
  who: { provider: "slack" | "github" | "local"; subject: string },
): Promise<string | null> {
  const { db } = deps.database;
  if (who.provider === "github") {
    const rows = await db
      .select({ status: members.status })
      .from(identities)
      .innerJoin(members, eq(members.id, identities.memberId))
      .where(and(eq(identities.platform, "github"), eq(identities.externalId, who.subject)));
    if (rows.some((r) => r.status === "active")) return null;
    return rows.length > 0
      ? "The member linked to this GitHub account is deactivated."
      : `The GitHub account ${who.subject} is not linked to any member. Link it to your member first, or sign in with Slack.`;
  }
  const rows = await db
    .select({ status: members.status })
    .from(members)
    .where(eq(members.email, who.subject));
  if (rows.some((r) => r.status === "active")) return null;
  return rows.length > 0
    ? "Your membership has been deactivated."
    : `No member has the email ${who.subject}. Ask a workspace owner to add you.`;
}
