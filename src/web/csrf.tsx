import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../context";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { hmacSha256Hex, verifyHmacSha256Hex } from "../lib/crypto";
import { FORM_TOKEN_FIELD, Page, privatePage } from "./layout";
import { cookieOptions, cookiePrefix } from "./sign-in-session";

// Every form the hub's pages POST back to carries a token another site cannot know. SameSite=Lax keeps the
// session cookie off cross-site POSTs, but not off POSTs from sibling subdomains (same site), and signing
// *in* needs no cookie at all: without a token any page could sign a visitor in as someone else.
//
// The token is the HMAC of a random id kept in a short-lived HttpOnly cookie (double submit), under a key
// derived from HUB_ENCRYPTION_KEY: a cookie planted from elsewhere has no token to go with it.
//
// Use: `const token = await formToken(c, deps)` when rendering, `<FormToken token={token} />` inside the
// <form>, and `requireFormToken()` before the POST handler.

const COOKIE = "hub_form";
const TTL_SECONDS = 2 * 60 * 60;

const formKey = (deps: Pick<Deps, "config">) =>
  hmacSha256Hex(deps.config.encryptionKey, "codex-hub/web-form-token/v1");

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The token for this browser's forms; (re)sets the cookie it is tied to, so an open page stays usable. */
export async function formToken(c: Context, deps: Pick<Deps, "config">): Promise<string> {
  const existing = getCookie(c, COOKIE, cookiePrefix(deps));
  const id = existing && /^[0-9a-f]{48}$/.test(existing) ? existing : randomId();
  setCookie(c, COOKIE, id, cookieOptions(deps, TTL_SECONDS));
  return hmacSha256Hex(await formKey(deps), id);
}

/** Whether `token` is the one this browser's cookie was given (the HMAC of its id). */
async function matchesCookie(c: Context, deps: Pick<Deps, "config">, token: unknown): Promise<boolean> {
  const id = getCookie(c, COOKIE, cookiePrefix(deps));
  if (!id || typeof token !== "string") return false;
  return verifyHmacSha256Hex([await formKey(deps)], id, token);
}

async function validToken(c: Context, deps: Pick<Deps, "config">): Promise<boolean> {
  const body = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
  return matchesCookie(c, deps, body[FORM_TOKEN_FIELD]);
}

/** The header a script sends the form token in when it calls the admin API with the browser's session. */
export const TOKEN_HEADER = "x-csrf-token";

/**
 * Whether a JSON request carries this browser's form token in the `x-csrf-token` header: the same token and
 * cookie as the forms, so a page of the console that can read its own token can call the API, and no other
 * site can.
 */
export async function hasTokenHeader(c: Context, deps: Pick<Deps, "config">): Promise<boolean> {
  return matchesCookie(c, deps, c.req.header(TOKEN_HEADER));
}

const REFUSAL = "This form expired or was not sent from this hub's own page.";

/**
 * Refuses a form POST without this browser's token: 403, as a page for a browser and as the JSON error
 * envelope for anything else.
 */
export function requireFormToken(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (await validToken(c, c.var.deps)) return next();
    if (!c.req.header("accept")?.includes("text/html")) throw new AppError("forbidden", REFUSAL);
    privatePage(c);
    return c.html(
      <Page title="Form expired">
        <h1>Form expired</h1>
        <p>{REFUSAL}</p>
        <p class="muted">Go back, reload the page and try again.</p>
      </Page>,
      403,
    );
  };
}
