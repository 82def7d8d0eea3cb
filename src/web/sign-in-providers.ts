import { and, eq } from "drizzle-orm";
import { identities, members } from "../db/schema/access";
import type { Deps } from "../deps";
import { SLACK_USER_SCOPES } from "../surfaces/slack/manifest";
import { githubCodeExchange, slackCodeExchange } from "./oauth";

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
    scope: SLACK_USER_SCOPES.join(" "),
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
  const exchange = await slackCodeExchange(deps, "openid.connect.token", {
    code,
    grant_type: "authorization_code",
    redirect_uri: callbackUrl(deps, "slack"),
  });
  const token = (exchange.answer ?? { ok: false }) as SlackToken;
  if (!token.ok || !token.access_token) {
    return {
      ok: false,
      message: `Slack did not confirm the sign-in (${token.error ?? `HTTP ${exchange.status}`}).`,
    };
  }
  const infoResponse = await fetch(`${deps.config.slack.apiUrl}openid.connect.userInfo`, {
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

/** Code → user token → `GET /user` → login. */
export async function githubIdentity(deps: Pick<Deps, "config">, code: string): Promise<SignInResult> {
  const user = await githubCodeExchange(deps, code, callbackUrl(deps, "github"));
  if (!user.ok) {
    return {
      ok: false,
      message:
        user.step === "token"
          ? `GitHub did not confirm the sign-in (${user.reason}).`
          : "GitHub did not say who you are.",
    };
  }
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
