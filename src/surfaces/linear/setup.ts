import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { viewerQuery } from "../../clients/linear/calls";
import { createLinearClient } from "../../clients/linear/client";
import type { AppEnv } from "../../context";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import { plainPage, privatePage } from "../../web/layout";
import { recallOAuthState, rememberOAuthState } from "../../web/oauth";
import { isLocalAddress, localAddressWarning } from "../../web/setup-notices";
import { ownedWorkspaces } from "../../web/setup-owners";
import { currentSession } from "../../web/sign-in-session";
import { LINEAR_SCOPES, linearOAuthUrls, requestToken, saveInstallation } from "./installations";

// GET /setup/linear: a workspace owner installs Codex in their Linear organization as an app actor, so people
// can mention it and delegate issues to it (https://linear.app/developers/oauth-actor-authorization). The OAuth
// `state` is bound to the browser by a signed cookie; the callback stores the token sealed and links the
// organization to the workspace.

const STATE_COOKIE = "hub_linear_oauth";

const callbackUrl = (deps: Deps) => `${deps.config.publicUrl}/setup/linear/callback`;

export function linearSetupRoutes() {
  const routes = new Hono<AppEnv>();

  routes.get("/linear", async (c) => {
    const deps = c.var.deps;
    privatePage(c);
    const { clientId } = deps.config.linear;
    const local = isLocalAddress(deps.config.publicUrl)
      ? ` ${localAddressWarning(deps.config.publicUrl)}`
      : "";
    if (!clientId) {
      return c.html(
        plainPage(
          "Linear is not set up",
          "This hub has no Linear OAuth application. Create one in Linear (Settings → API → OAuth applications) with the callback URL " +
            `${callbackUrl(deps)} and the webhook URL ${deps.config.publicUrl}/webhooks/linear, then set LINEAR_CLIENT_ID and LINEAR_CLIENT_SECRET and restart the hub.${local}`,
        ),
        503,
      );
    }
    const session = await currentSession(c, deps);
    if (!session)
      return c.redirect(`/sign-in?next=${encodeURIComponent(c.req.url.replace(/^[^/]*\/\/[^/]+/, ""))}`, 302);
    const owned = await ownedWorkspaces(deps, session);
    const wanted = c.req.query("workspace");
    const target = wanted
      ? owned.find((w) => w.workspaceId === wanted)
      : owned.length === 1
        ? owned[0]
        : undefined;
    if (!target) {
      const message =
        owned.length === 0
          ? "Only a workspace owner can connect Linear. Ask an owner of your workspace to do it."
          : `You own several workspaces: add ?workspace=<id> to choose one (${owned.map((w) => `${w.name}: ${w.workspaceId}`).join(", ")}).`;
      return c.html(plainPage("Choose a workspace", message), owned.length === 0 ? 403 : 400);
    }
    if (local && c.req.query("anyway") !== "1") {
      const anyway = new URLSearchParams({ workspace: target.workspaceId, anyway: "1" });
      return c.html(
        plainPage("Install Codex in Linear", `${local.trim()} To go on anyway: /setup/linear?${anyway}`),
      );
    }
    const state = await rememberOAuthState(c, deps, STATE_COOKIE, { w: target.workspaceId, m: target.actor });
    const query = new URLSearchParams({
      client_id: clientId,
      redirect_uri: callbackUrl(deps),
      response_type: "code",
      scope: LINEAR_SCOPES.join(","),
      // Installs Codex as an app user of its own rather than acting as the person installing it.
      actor: "app",
      state,
      prompt: "consent",
    });
    return c.redirect(`${linearOAuthUrls(deps.config.linear.apiUrl).authorize}?${query}`, 302);
  });

  routes.get("/linear/callback", async (c) => {
    const deps = c.var.deps;
    privatePage(c);
    const flow = await recallOAuthState<{ w: string; m: string }>(
      c,
      deps,
      STATE_COOKIE,
      c.req.query("state"),
    );
    const code = c.req.query("code");
    if (!flow?.w || !flow.m) {
      return c.html(
        plainPage("Setup expired", "This installation could not be verified. Start again at /setup/linear."),
        400,
      );
    }
    if (!code) {
      const why =
        c.req.query("error_description") ?? c.req.query("error") ?? "Linear sent no authorization code.";
      return c.html(plainPage("Linear did not authorize Codex", why), 400);
    }
    const grant = await requestToken(deps.config, {
      grant_type: "authorization_code",
      code,
      redirect_uri: callbackUrl(deps),
    }).catch(() => null);
    if (!grant) return c.html(plainPage("Linear refused the code", "Start again at /setup/linear."), 502);

    // Who Codex is in that organization (delegations name this user), asked with the new token.
    const probe = createLinearClient({
      apiUrl: deps.config.linear.apiUrl,
      tokenFor: async () => grant.access_token,
    });
    // The organization is not known yet (this call tells it); any name makes the probe use the new token.
    const viewer = (await probe.send(viewerQuery({ organizationId: "new" })).catch(() => null)) as {
      id: string;
      organization: { id: string; name: string };
    } | null;
    if (!viewer?.organization?.id) {
      return c.html(
        plainPage(
          "Linear did not answer",
          "Codex could not read its own user with the new token. Try again.",
        ),
        502,
      );
    }
    let status: ContentfulStatusCode = 200;
    let title = "Codex is installed for Linear";
    let message = `Linear organization ${viewer.organization.name} is now connected. Mention @Codex or delegate an issue to it.`;
    try {
      await saveInstallation(deps, {
        workspaceId: flow.w,
        organizationId: viewer.organization.id,
        organizationName: viewer.organization.name,
        appUserId: viewer.id,
        grant,
        actor: flow.m,
      });
    } catch (error) {
      if (!(error instanceof AppError && error.code === "conflict")) throw error;
      status = 409;
      title = "Already connected elsewhere";
      message = error.message;
    }
    return c.html(plainPage(title, message), status);
  });

  return routes;
}
