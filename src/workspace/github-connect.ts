import type { Deps } from "../deps";
import { hmacSha256Hex, verifyHmacSha256Hex } from "../lib/crypto";

// Signed values for connecting a member's GitHub account. The link the hub hands out in a denial message
// names the member and expires soon: whoever completes the OAuth flow with it decides which GitHub login
// speaks for that member, so it must only ever be shown to the member (ephemeral Slack message, DM).
// The OAuth `state` is signed the same way and also bound to the browser by a nonce cookie.

export const CONNECT_LINK_TTL_MS = 60 * 60_000;
export const OAUTH_STATE_TTL_MS = 10 * 60_000;

/** Domain-separated from every other use of the encryption key; never empty. */
const secretOf = (deps: Pick<Deps, "config">) => `connect-github\u0000${deps.config.encryptionKey}`;

const linkPayload = (memberId: string, expiresAt: number) => `link|${memberId}|${expiresAt}`;

/** The short-lived signed link `/connect/github?member=<id>&exp=<ms>&sig=<hmac>` for denial messages. */
export async function connectGitHubUrl(
  deps: Pick<Deps, "config" | "clock">,
  memberId: string,
): Promise<string> {
  const expiresAt = deps.clock.now() + CONNECT_LINK_TTL_MS;
  const sig = await hmacSha256Hex(secretOf(deps), linkPayload(memberId, expiresAt));
  const query = new URLSearchParams({ member: memberId, exp: String(expiresAt), sig });
  return `${deps.config.publicUrl}/connect/github?${query}`;
}

export async function verifyConnectLink(
  deps: Pick<Deps, "config" | "clock">,
  query: { member?: string; exp?: string; sig?: string },
): Promise<string | null> {
  const { member, exp, sig } = query;
  if (!member || !exp || !sig || !/^\d+$/.test(exp)) return null;
  if (Number(exp) < deps.clock.now()) return null;
  return (await verifyHmacSha256Hex([secretOf(deps)], linkPayload(member, Number(exp)), sig)) ? member : null;
}

const b64url = (text: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(text)))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
const unb64url = (text: string) =>
  new TextDecoder().decode(
    Uint8Array.from(atob(text.replaceAll("-", "+").replaceAll("_", "/")), (c) => c.charCodeAt(0)),
  );

export interface OAuthState {
  memberId: string;
  nonce: string;
  expiresAt: number;
}

export async function signState(
  deps: Pick<Deps, "config" | "clock">,
  memberId: string,
  nonce: string,
): Promise<string> {
  const body = b64url(JSON.stringify({ m: memberId, n: nonce, e: deps.clock.now() + OAUTH_STATE_TTL_MS }));
  return `${body}.${await hmacSha256Hex(secretOf(deps), `state|${body}`)}`;
}

export async function verifyState(
  deps: Pick<Deps, "config" | "clock">,
  state: string | undefined,
): Promise<OAuthState | null> {
  const [body, sig] = (state ?? "").split(".");
  if (!body || !sig || !(await verifyHmacSha256Hex([secretOf(deps)], `state|${body}`, sig))) return null;
  try {
    const { m, n, e } = JSON.parse(unb64url(body)) as { m?: unknown; n?: unknown; e?: unknown };
    if (typeof m !== "string" || typeof n !== "string" || typeof e !== "number" || e < deps.clock.now())
      return null;
    return { memberId: m, nonce: n, expiresAt: e };
  } catch {
    return null;
  }
}

/** github.com's web host for api.github.com; on GitHub Enterprise Server the API lives under `/api/v3`. */
export function githubWebUrl(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (url.hostname === "api.github.com") return "https://github.com";
  const path = url.pathname.replace(/\/+$/, "").replace(/\/api\/v3$/, "");
  return `${url.origin}${path}`;
}
