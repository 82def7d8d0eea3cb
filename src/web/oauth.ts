import type { Context } from "hono";
import { deleteCookie, getSignedCookie, setSignedCookie } from "hono/cookie";
import type { Deps } from "../deps";
import { githubWebUrl } from "../workspace/github-connect";
import { cookieKey, cookieOptions, cookiePrefix } from "./sign-in-session";

// The OAuth steps the hub's browser flows share: signing in with Slack or GitHub, a member connecting their
// GitHub account, and an owner installing the Slack or Linear app. Each flow keeps its own pages and messages;
// what is here is the part that must be done the same way every time.

/** How long a browser has to come back from a provider's consent screen. */
const OAUTH_STATE_TTL_S = 600;

/**
 * Starts a round trip: a fresh random `state` for the provider, remembered with what the flow needs at the
 * callback in a signed cookie, so only the browser that started the flow can finish it
 * (https://datatracker.ietf.org/doc/html/rfc6749#section-10.12).
 */
export async function rememberOAuthState<F extends Record<string, string>>(
  c: Context,
  deps: Pick<Deps, "config">,
  cookie: string,
  flow: F,
): Promise<string> {
  const state = crypto.randomUUID();
  const value = JSON.stringify({ s: state, ...flow });
  await setSignedCookie(c, cookie, value, await cookieKey(deps), cookieOptions(deps, OAUTH_STATE_TTL_S));
  return state;
}

/**
 * Ends the round trip: the cookie is cleared whatever happens (a state is good for one try), and the flow is
 * returned only when the provider echoed the state this browser was given.
 */
export async function recallOAuthState<F extends Record<string, string>>(
  c: Context,
  deps: Pick<Deps, "config">,
  cookie: string,
  state: string | undefined,
): Promise<Partial<F> | null> {
  const raw = await getSignedCookie(c, await cookieKey(deps), cookie, cookiePrefix(deps));
  deleteCookie(c, cookie, cookieOptions(deps, 0));
  if (!raw || !state) return null;
  try {
    const { s, ...flow } = JSON.parse(raw) as { s?: string } & Partial<F>;
    return s === state ? (flow as Partial<F>) : null;
  } catch {
    // A cookie we signed but cannot read: treated as missing.
    return null;
  }
}

/**
 * Trades an authorization code at one of Slack's OAuth methods (`openid.connect.token` for sign-in,
 * `oauth.v2.access` for installs), with the app's client credentials in the form body. `answer` is the JSON
 * Slack sent, or null when the body was not JSON (a proxy's error page); network errors throw.
 */
export async function slackCodeExchange(
  deps: Pick<Deps, "config">,
  method: "openid.connect.token" | "oauth.v2.access",
  fields: { code: string; redirect_uri: string } & Record<string, string>,
): Promise<{ status: number; answer: unknown }> {
  const { apiUrl, clientId, clientSecret } = deps.config.slack;
  const response = await fetch(`${apiUrl}${method}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ client_id: clientId ?? "", client_secret: clientSecret ?? "", ...fields }),
  });
  return { status: response.status, answer: await response.json().catch(() => null) };
}

/**
 * GitHub's OAuth authorize page (https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps#1-request-a-users-github-identity).
 * No sign-ups: the hub only ever matches accounts that already exist.
 */
export function githubAuthorizeUrl(deps: Pick<Deps, "config">, redirectUri: string, state: string): string {
  const query = new URLSearchParams({
    client_id: deps.config.github.clientId ?? "",
    redirect_uri: redirectUri,
    state,
    allow_signup: "false",
  });
  return `${githubWebUrl(deps.config.github.apiUrl)}/login/oauth/authorize?${query}`;
}

export type GitHubCodeResult =
  | { ok: true; login: string; name: string | null }
  /** GitHub would not trade the code; `reason` is its error code, or the HTTP status. */
  | { ok: false; step: "token"; reason: string }
  /** The token was issued but `GET /user` did not name an account. */
  | { ok: false; step: "user" };

/** Code → user token (`/login/oauth/access_token`) → `GET /user`: the account that approved. Network errors throw. */
export async function githubCodeExchange(
  deps: Pick<Deps, "config">,
  code: string,
  redirectUri: string,
): Promise<GitHubCodeResult> {
  const { apiUrl, clientId, clientSecret } = deps.config.github;
  const tokenResponse = await fetch(`${githubWebUrl(apiUrl)}/login/oauth/access_token`, {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/json" },
    body: JSON.stringify({
      client_id: clientId,
      client_secret: clientSecret,
      code,
      redirect_uri: redirectUri,
    }),
  });
  const token = (await tokenResponse.json().catch(() => null)) as {
    access_token?: unknown;
    error?: string;
  } | null;
  if (typeof token?.access_token !== "string" || !token.access_token) {
    return { ok: false, step: "token", reason: token?.error ?? `HTTP ${tokenResponse.status}` };
  }
  const userResponse = await fetch(`${apiUrl}/user`, {
    headers: {
      accept: "application/vnd.github+json",
      authorization: `Bearer ${token.access_token}`,
      // GitHub's REST API turns away requests without a User-Agent.
      "user-agent": "codex-hub",
    },
  });
  const user = (await userResponse.json().catch(() => null)) as { login?: unknown; name?: unknown } | null;
  if (!userResponse.ok || typeof user?.login !== "string" || !user.login) return { ok: false, step: "user" };
  return { ok: true, login: user.login, name: typeof user.name === "string" ? user.name : null };
}
