import { eq } from "drizzle-orm";
import { Hono, type MiddlewareHandler } from "hono";
import type { AppEnv } from "../context";
import { members } from "../db/schema/access";
import type { Deps } from "../deps";
import { authenticate } from "../workspace/api-keys";
import { LOCAL_OWNER_ID } from "../workspace/workspaces";
import { formToken, requireFormToken } from "./csrf";
import { FormToken, Page, privatePage, safeNext } from "./layout";
import { githubAuthorizeUrl, recallOAuthState, rememberOAuthState } from "./oauth";
import {
  callbackUrl,
  githubIdentity,
  memberCheck,
  type SignInResult,
  slackAuthorizeUrl,
  slackIdentity,
} from "./sign-in-providers";
import { currentSession, endSession, startSession } from "./sign-in-session";

// Sign-in for the hub's pages: Slack (OpenID Connect) and GitHub (OAuth) when their OAuth clients are
// configured, and in sandbox mode only, a one-click local sign-in as the seeded workspace owner.

const STATE_COOKIE = "hub_oauth";

const configured = (deps: Deps) => ({
  slack: Boolean(deps.config.slack.clientId && deps.config.slack.clientSecret),
  github: Boolean(deps.config.github.clientId && deps.config.github.clientSecret),
  local: deps.config.sandbox,
});

function Problem(props: { message: string; next: string }) {
  return (
    <Page title="Sign-in failed">
      <h1>Sign-in failed</h1>
      <p>{props.message}</p>
      <p>
        <a class="button" href={`/sign-in?next=${encodeURIComponent(props.next)}`}>
          Try again
        </a>
      </p>
    </Page>
  );
}

export function signInRoutes() {
  const routes = new Hono<AppEnv>();

  routes.get("/sign-in", async (c) => {
    const deps = c.var.deps;
    privatePage(c);
    const next = safeNext(deps.config.publicUrl, c.req.query("next"));
    const session = await currentSession(c, deps);
    if (session) return c.redirect(next, 302);
    const ways = configured(deps);
    const q = `?next=${encodeURIComponent(next)}`;
    const token = await formToken(c, deps);
    return c.html(
      <Page title="Sign in">
        <h1>Sign in to Codex hub</h1>
        <p class="muted">
          The console and task pages are for members of a workspace on this hub; what each person may see and
          change follows their role, as `/codex` does in Slack.
        </p>
        {ways.slack ? (
          <p>
            <a class="button" href={`/sign-in/slack${q}`}>
              Sign in with Slack
            </a>
          </p>
        ) : null}
        {ways.github ? (
          <p>
            <a class="button" href={`/sign-in/github${q}`}>
              Sign in with GitHub
            </a>
          </p>
        ) : null}
        {ways.local ? (
          <form method="post" action={`/sign-in/local${q}`}>
            <FormToken token={token} />
            <p class="muted">Sandbox mode: sign in as the seeded workspace owner.</p>
            <button class="button" type="submit">
              Sign in as the sandbox admin
            </button>
          </form>
        ) : null}
        <h2>With an admin API key</h2>
        <form class="stack" method="post" action={`/sign-in/key${q}`}>
          <FormToken token={token} />
          <label for="key">
            API key
            <span class="help">
              HUB_ADMIN_TOKEN, or a key with the <code>admin</code> scope. It is exchanged for a session and
              not kept in the browser; changes you make are audited as that key until you link your own
              identity.
            </span>
          </label>
          <input id="key" name="key" type="password" autocomplete="off" required />
          <div>
            <button class="button" type="submit">
              Sign in with the key
            </button>
          </div>
        </form>
        {!ways.slack && !ways.github && !ways.local ? (
          <p class="muted">
            To let members sign in with their own accounts, set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (Sign
            in with Slack) or GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET (GitHub OAuth).
          </p>
        ) : null}
      </Page>,
    );
  });

  for (const provider of ["slack", "github"] as const) {
    routes.get(`/sign-in/${provider}`, async (c) => {
      const deps = c.var.deps;
      if (!configured(deps)[provider]) return c.notFound();
      // Where the sign-in should land is kept with the state, for the callback to send the browser on.
      const state = await rememberOAuthState(c, deps, STATE_COOKIE, {
        p: provider,
        n: safeNext(deps.config.publicUrl, c.req.query("next")),
      });
      return c.redirect(
        provider === "slack"
          ? slackAuthorizeUrl(deps, state)
          : githubAuthorizeUrl(deps, callbackUrl(deps, "github"), state),
        302,
      );
    });

    routes.get(`/sign-in/${provider}/callback`, async (c) => {
      const deps = c.var.deps;
      if (!configured(deps)[provider]) return c.notFound();
      privatePage(c);
      const flow = await recallOAuthState<{ p: string; n: string }>(
        c,
        deps,
        STATE_COOKIE,
        c.req.query("state"),
      );
      const saved = flow?.p === provider ? { next: safeNext(deps.config.publicUrl, flow.n) } : null;
      if (!saved) {
        return c.html(<Problem message="The sign-in link expired or came from elsewhere." next="/" />, 400);
      }
      const code = c.req.query("code");
      if (!code) {
        const why = c.req.query("error") ?? "no authorization code";
        return c.html(<Problem message={`The sign-in was not completed (${why}).`} next={saved.next} />, 400);
      }
      let who: SignInResult;
      try {
        who = provider === "slack" ? await slackIdentity(deps, code) : await githubIdentity(deps, code);
      } catch (error) {
        deps.logger.warn({ provider, error: (error as Error).message }, "sign-in provider unreachable");
        who = {
          ok: false,
          message: `${provider === "slack" ? "Slack" : "GitHub"} could not be reached; try again.`,
        };
      }
      if (!who.ok) return c.html(<Problem message={who.message} next={saved.next} />, 403);
      const refusal = await memberCheck(deps, who);
      if (refusal) return c.html(<Problem message={refusal} next={saved.next} />, 403);
      await startSession(c, deps, who);
      deps.logger.info({ provider }, "web sign-in");
      return c.redirect(saved.next, 302);
    });
  }

  // Only a hub without platform credentials has the local sign-in; nothing leaves such a hub anyway.
  const sandboxOnly: MiddlewareHandler<AppEnv> = (c, next) =>
    c.var.deps.config.sandbox ? next() : Promise.resolve(c.notFound());

  routes.post("/sign-in/local", sandboxOnly, requireFormToken(), async (c) => {
    const deps = c.var.deps;
    privatePage(c);
    const next = safeNext(deps.config.publicUrl, c.req.query("next"));
    const [owner] = await deps.database.db
      .select({ email: members.email, displayName: members.displayName, status: members.status })
      .from(members)
      .where(eq(members.id, LOCAL_OWNER_ID))
      .limit(1);
    if (owner?.status !== "active") {
      return c.html(
        <Problem message="The sandbox workspace has no active owner to sign in as." next={next} />,
        403,
      );
    }
    await startSession(c, deps, {
      provider: "local",
      subject: owner.email,
      displayName: owner.displayName ?? owner.email,
    });
    return c.redirect(next, 302);
  });

  // Always available: a bot-token-only or Linear-only hub has no OAuth sign-in, and its admin must get in.
  routes.post("/sign-in/key", requireFormToken(), async (c) => {
    const deps = c.var.deps;
    privatePage(c);
    const next = safeNext(deps.config.publicUrl, c.req.query("next"));
    const body = await c.req.parseBody();
    const key = typeof body.key === "string" ? body.key.trim() : "";
    const principal = key ? await authenticate(deps, key) : null;
    if (!principal) {
      return c.html(<Problem message="That API key is not valid (or was revoked)." next={next} />, 401);
    }
    if (!principal.scopes.includes("admin")) {
      return c.html(
        <Problem message="That API key lacks the admin scope, so it cannot open the console." next={next} />,
        403,
      );
    }
    await startSession(c, deps, {
      provider: "key",
      subject: principal.keyId,
      displayName: principal.keyId === "bootstrap" ? "the bootstrap admin key" : `API key ${principal.keyId}`,
    });
    deps.logger.info({ provider: "key", keyId: principal.keyId }, "web sign-in");
    return c.redirect(next, 302);
  });

  routes.post("/sign-out", requireFormToken(), async (c) => {
    await endSession(c, c.var.deps);
    return c.redirect("/sign-in", 302);
  });

  return routes;
}
