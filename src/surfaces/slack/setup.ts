import { Hono } from "hono";
import { jsx } from "hono/jsx";
import type { AppEnv } from "../../context";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import { Page, privatePage } from "../../web/layout";
import { recallOAuthState, rememberOAuthState, slackCodeExchange } from "../../web/oauth";
import { isLocalAddress, localAddressWarning } from "../../web/setup-notices";
import { ownedWorkspaces } from "../../web/setup-owners";
import { currentSession } from "../../web/sign-in-session";
import { type SlackInstall, saveInstallation } from "./installations";
import { SLACK_BOT_SCOPES } from "./manifest";

// Installing the Slack app into more Slack teams (and Enterprise Grid organizations) with OAuth v2
// (https://api.slack.com/authentication/oauth-v2): a workspace owner, signed in to the hub, is sent to Slack's
// consent screen; the callback exchanges the code for the bot token, stores it sealed and links the team to
// the owner's workspace. A hub serving one team can skip all this and set SLACK_BOT_TOKEN.

export const SLACK_INSTALL_URL = "https://slack.com/oauth/v2/authorize";
const STATE_COOKIE = "hub_slack_install";

const callbackUrl = (deps: Pick<Deps, "config">) => `${deps.config.publicUrl}/setup/slack/callback`;
const configured = (deps: Deps) => Boolean(deps.config.slack.clientId && deps.config.slack.clientSecret);

/** A small page in the hub's frame (rendered to HTML here: this module is plain TypeScript, not TSX). */
function page(title: string, ...paragraphs: (string | { warn: string } | { href: string; label: string })[]) {
  const node = jsx(Page, {
    title,
    children: [
      jsx("h1", {}, title),
      ...paragraphs.map((p) =>
        typeof p === "string"
          ? jsx("p", {}, p)
          : "warn" in p
            ? jsx("p", { class: "notice warn", role: "alert" }, p.warn)
            : jsx("p", {}, jsx("a", { class: "button", href: p.href }, p.label)),
      ),
    ],
  });
  return node.toString();
}

interface OAuthAccess {
  ok: boolean;
  error?: string;
  access_token?: string;
  token_type?: string;
  scope?: string;
  bot_user_id?: string;
  app_id?: string;
  team?: { id?: string; name?: string } | null;
  enterprise?: { id?: string; name?: string } | null;
  is_enterprise_install?: boolean;
  authed_user?: { id?: string };
}

/** Code → bot token (https://api.slack.com/methods/oauth.v2.access). */
async function exchange(deps: Deps, code: string): Promise<SlackInstall> {
  const { status, answer: body } = await slackCodeExchange(deps, "oauth.v2.access", {
    code,
    redirect_uri: callbackUrl(deps),
  });
  const answer = (body ?? { ok: false, error: `HTTP ${status}` }) as OAuthAccess;
  if (!answer.ok || !answer.access_token || answer.token_type !== "bot") {
    throw new AppError(
      "bad_request",
      `Slack did not complete the installation (${answer.error ?? "no bot token"}).`,
    );
  }
  return {
    teamId: answer.team?.id ?? null,
    teamName: answer.team?.name ?? answer.enterprise?.name ?? null,
    enterpriseId: answer.enterprise?.id ?? null,
    isEnterpriseInstall: answer.is_enterprise_install === true,
    appId: answer.app_id ?? null,
    botUserId: answer.bot_user_id ?? null,
    botToken: answer.access_token,
    scopes: answer.scope ?? "",
    installedBy: answer.authed_user?.id ?? null,
  };
}

export function slackSetupRoutes() {
  const routes = new Hono<AppEnv>();

  routes.get("/slack", async (c) => {
    const deps = c.var.deps;
    privatePage(c);
    const warnings = isLocalAddress(deps.config.publicUrl)
      ? [{ warn: localAddressWarning(deps.config.publicUrl) }]
      : [];
    if (!configured(deps) && deps.config.slack.botToken) {
      // A single-team hub: nothing to install here; the team is linked from the token (bot-token-team.ts).
      return c.html(
        page(
          "Slack is set up with a bot token",
          ...warnings,
          "This hub serves the one Slack team its SLACK_BOT_TOKEN belongs to. It asks Slack (auth.test) which team that is and links it to the local workspace by itself, at start and on the first event from the team.",
          "The overview shows whether the team is linked and when its last event arrived. Invite @Codex to a channel and mention it, or run /codex help.",
          { href: "/", label: "Open the overview" },
        ),
      );
    }
    if (!configured(deps)) {
      return c.html(
        page(
          "Install the Slack app",
          ...warnings,
          "Installing into several Slack teams needs the app's OAuth client: set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (Basic Information → App Credentials) and restart the hub.",
          "A hub serving a single Slack team can instead set SLACK_BOT_TOKEN to the app's bot token.",
        ),
        503,
      );
    }
    const session = await currentSession(c, deps);
    if (!session) {
      const back = `/setup/slack${new URL(c.req.url).search}`;
      return c.redirect(`/sign-in?next=${encodeURIComponent(back)}`, 302);
    }
    const owned = await ownedWorkspaces(deps, session);
    const wanted = c.req.query("workspace");
    const choices = wanted ? owned.filter((o) => o.workspaceId === wanted) : owned;
    if (choices.length === 0) {
      return c.html(
        page("Install the Slack app", "Only a workspace owner can connect a Slack team to a workspace."),
        403,
      );
    }
    if (choices.length > 1) {
      return c.html(
        page(
          "Which workspace?",
          "You own several workspaces; pick the one the Slack team should belong to.",
          ...choices.map((o) => ({
            href: `/setup/slack?workspace=${encodeURIComponent(o.workspaceId)}`,
            label: o.workspaceId,
          })),
        ),
      );
    }
    const choice = choices[0]!;
    if (warnings.length > 0 && c.req.query("anyway") !== "1") {
      const anyway = new URLSearchParams({ workspace: choice.workspaceId, anyway: "1" });
      return c.html(
        page("Install the Slack app", ...warnings, {
          href: `/setup/slack?${anyway}`,
          label: "Go on to Slack anyway",
        }),
      );
    }
    // The state is bound to this browser, its session, and the owner and workspace chosen here.
    const state = await rememberOAuthState(c, deps, STATE_COOKIE, {
      w: choice.workspaceId,
      m: choice.actor,
      x: session.id,
    });
    const query = new URLSearchParams({
      client_id: deps.config.slack.clientId ?? "",
      scope: SLACK_BOT_SCOPES.join(","),
      redirect_uri: callbackUrl(deps),
      state,
    });
    return c.redirect(`${SLACK_INSTALL_URL}?${query}`, 302);
  });

  routes.get("/slack/callback", async (c) => {
    const deps = c.var.deps;
    privatePage(c);
    if (!configured(deps)) return c.notFound();
    const saved = await recallOAuthState<{ w: string; m: string; x: string }>(
      c,
      deps,
      STATE_COOKIE,
      c.req.query("state"),
    );
    const session = await currentSession(c, deps);
    if (!session || !saved || saved.x !== session.id || !saved.w || !saved.m) {
      return c.html(
        page("Installation failed", "The installation link expired or came from elsewhere.", {
          href: "/setup/slack",
          label: "Start again",
        }),
        400,
      );
    }
    const code = c.req.query("code");
    if (!code) {
      const why = c.req.query("error") ?? "no authorization code";
      return c.html(
        page("Installation failed", `Slack did not complete the installation (${why}).`, {
          href: "/setup/slack",
          label: "Try again",
        }),
        400,
      );
    }
    // Still an owner of that workspace now, not only when the flow started.
    if (
      !(await ownedWorkspaces(deps, session)).some((o) => o.workspaceId === saved.w && o.actor === saved.m)
    ) {
      return c.html(
        page("Installation failed", "Only a workspace owner can connect a Slack team to a workspace."),
        403,
      );
    }
    try {
      const install = await exchange(deps, code);
      await saveInstallation(deps, saved.w, install, saved.m);
      const where = install.isEnterpriseInstall ? "Enterprise Grid organization" : "Slack team";
      deps.logger.info(
        { workspaceId: saved.w, team: install.teamId, enterprise: install.enterpriseId },
        "Slack app installed",
      );
      return c.html(
        page(
          "Slack is connected",
          `The ${where} ${install.teamName ?? install.teamId ?? install.enterpriseId ?? ""} is now connected to workspace ${saved.w}.`,
          "Invite @Codex to a channel and mention it with a request, or run /codex help.",
        ),
      );
    } catch (error) {
      if (error instanceof AppError)
        return c.html(
          page("Installation failed", error.message, { href: "/setup/slack", label: "Try again" }),
          error.status === 409 ? 409 : 400,
        );
      deps.logger.warn({ error: (error as Error).message }, "Slack installation failed");
      return c.html(
        page("Installation failed", "Slack could not be reached; try again.", {
          href: "/setup/slack",
          label: "Try again",
        }),
        502,
      );
    }
  });

  return routes;
}
