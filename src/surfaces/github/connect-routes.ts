import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { AppEnv } from "../../context";
import { members } from "../../db/schema/access";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import { plainPage } from "../../web/layout";
import { githubAuthorizeUrl, githubCodeExchange } from "../../web/oauth";
import { signState, verifyConnectLink, verifyState } from "../../workspace/github-connect";
import { linkIdentity } from "../../workspace/identity-link";

// /connect/github: a member connects their own GitHub account, the only way (besides an admin's mapping) a
// GitHub login comes to speak for a member. GitHub OAuth web flow:
// https://docs.github.com/en/apps/oauth-apps/building-oauth-apps/authorizing-oauth-apps#web-application-flow

const NONCE_COOKIE = "hub_github_oauth";

async function memberById(deps: Deps, memberId: string) {
  const [row] = await deps.database.db.select().from(members).where(eq(members.id, memberId)).limit(1);
  return row ?? null;
}

async function link(deps: Deps, member: { id: string; workspaceId: string }, login: string) {
  try {
    await linkIdentity(deps, {
      workspaceId: member.workspaceId,
      memberId: member.id,
      platform: "github",
      id: login,
      source: "oauth",
      actor: `member:${member.id}`,
    });
    return {
      status: 200 as ContentfulStatusCode,
      title: "GitHub connected",
      message: `Your GitHub account @${login} is now connected. Go back and ask Codex again.`,
    };
  } catch (error) {
    if (error instanceof AppError && error.code === "conflict") {
      return {
        status: 409 as ContentfulStatusCode,
        title: "Already connected elsewhere",
        message: `@${login} is already connected to another member of this workspace. Ask a workspace admin to fix the mapping.`,
      };
    }
    throw error;
  }
}

const callbackUrl = (deps: Deps) => `${deps.config.publicUrl}/connect/github/callback`;

export function connectRoutes() {
  const routes = new Hono<AppEnv>();

  routes.get("/github", async (c) => {
    const deps = c.var.deps;
    if (!c.req.query("member")) {
      // Someone followed the bare path (e.g. from a message to an unknown GitHub user): the hub can only
      // connect an account it knows, so send them where they are known by email.
      return c.html(
        plainPage(
          "Connect GitHub",
          "To connect your GitHub account, mention @Codex in Slack or Linear (where you are known by your work email) and open the link it gives you, or ask a workspace admin to map your GitHub login.",
        ),
        400,
      );
    }
    const memberId = await verifyConnectLink(deps, c.req.query());
    const member = memberId ? await memberById(deps, memberId) : null;
    if (member?.status !== "active") {
      return c.html(
        plainPage("Link expired", "This link is invalid or has expired. Ask Codex again to get a fresh one."),
        400,
      );
    }
    if (deps.config.sandbox) {
      // Offline: nothing to ask GitHub; the login is whatever the demo says (or the email's local part).
      const asked = c.req.query("login")?.trim();
      const login = asked && /^[A-Za-z0-9-]{1,39}$/.test(asked) ? asked : member.email.split("@")[0]!;
      const result = await link(deps, member, login);
      return c.html(plainPage(result.title, result.message), result.status);
    }
    const { clientId } = deps.config.github;
    if (!clientId) {
      return c.html(
        plainPage(
          "GitHub sign-in is not set up",
          "This hub has no GitHub OAuth client (GITHUB_CLIENT_ID). Ask a workspace admin to map your GitHub login to your account.",
        ),
        503,
      );
    }
    const nonce = crypto.randomUUID();
    setCookie(c, NONCE_COOKIE, nonce, {
      httpOnly: true,
      secure: deps.config.publicUrl.startsWith("https://"),
      sameSite: "Lax",
      path: "/connect/github",
      maxAge: 600,
    });
    const state = await signState(deps, member.id, nonce);
    return c.redirect(githubAuthorizeUrl(deps, callbackUrl(deps), state), 302);
  });

  routes.get("/github/callback", async (c) => {
    const deps = c.var.deps;
    const state = await verifyState(deps, c.req.query("state"));
    const nonce = getCookie(c, NONCE_COOKIE);
    deleteCookie(c, NONCE_COOKIE, { path: "/connect/github" });
    const code = c.req.query("code");
    // The nonce binds the flow to the browser that started it (no one can finish someone else's connection).
    if (!state || !nonce || nonce !== state.nonce || !code) {
      return c.html(
        plainPage(
          "Link expired",
          "This sign-in could not be verified. Start again from the link Codex gave you.",
        ),
        400,
      );
    }
    const member = await memberById(deps, state.memberId);
    if (member?.status !== "active") {
      return c.html(
        plainPage("Account not found", "Your member account is no longer active in this workspace."),
        400,
      );
    }
    const login = await githubCodeExchange(deps, code, callbackUrl(deps)).then(
      (user) => (user.ok ? user.login : null),
      (error: Error) => {
        deps.logger.warn({ err: { message: error.message } }, "github oauth exchange failed");
        return null;
      },
    );
    if (!login) {
      return c.html(
        plainPage(
          "GitHub sign-in failed",
          "GitHub did not confirm your account. Start again from the link Codex gave you.",
        ),
        400,
      );
    }
    const result = await link(deps, member, login);
    return c.html(plainPage(result.title, result.message), result.status);
  });

  return routes;
}
