import { and, eq } from "drizzle-orm";
import { Hono } from "hono";
import type { Child } from "hono/jsx";
import { z } from "zod";
import type { AppEnv } from "../../context";
import { identities, members } from "../../db/schema/access";
import type { Deps } from "../../deps";
import { hmacSha256Hex, verifyHmacSha256Hex } from "../../lib/crypto";
import { Page } from "../../web/layout";
import {
  afterSandboxSignIn,
  isLocalAddress,
  localAddressWarning,
  SetupWarnings,
} from "../../web/setup-notices";
import { currentSession, type WebSession } from "../../web/sign-in-session";
import { githubWebUrl } from "../../workspace/github-connect";
import { saveAppCredentials } from "./app-credentials";

// /setup/github: creates the hub's GitHub App in one step from a manifest
// (https://docs.github.com/en/apps/sharing-github-apps/registering-a-github-app-from-a-manifest). A workspace
// owner posts the manifest to GitHub, GitHub sends them back with a code, and the hub converts it into the
// App's id, private key and webhook secret, stored sealed. Only owners may: whoever sets the App decides
// which webhooks the hub believes.

const STATE_TTL_MS = 60 * 60_000;

/** The permissions and events the hub needs, nothing more. */
export function githubManifest(deps: Pick<Deps, "config">) {
  const base = deps.config.publicUrl;
  return {
    name: "Codex hub",
    url: base,
    description: "Code reviews and @codex tasks on pull requests, through a self-hosted Codex hub.",
    hook_attributes: { url: `${base}/webhooks/github`, active: true },
    redirect_url: `${base}/setup/github/callback`,
    // Every OAuth callback the hub uses with the App's client: members connecting their account, and
    // "Sign in with GitHub". GitHub refuses a redirect to any URL not registered here.
    callback_urls: [`${base}/connect/github/callback`, `${base}/sign-in/github/callback`],
    public: false,
    default_permissions: {
      // Clone, read AGENTS.md at the base commit, push a task's changes.
      contents: "write",
      // Reviews, review comments, reactions and replies on pull requests; opening pull requests.
      pull_requests: "write",
      // Pull request conversation comments arrive as issue_comment events.
      issues: "write",
      metadata: "read",
      // A review's check run on the pull request's head: queued, in progress, completed.
      checks: "write",
    },
    default_events: ["pull_request", "issue_comment", "pull_request_review_comment"],
  };
}

const stateSecret = (deps: Pick<Deps, "config">) => `github-setup\u0000${deps.config.encryptionKey}`;

async function signState(deps: Deps, session: WebSession): Promise<string> {
  const expires = deps.clock.now() + STATE_TTL_MS;
  return `${expires}.${await hmacSha256Hex(stateSecret(deps), `${session.id}|${expires}`)}`;
}

async function verifyState(deps: Deps, session: WebSession, state: string | undefined): Promise<boolean> {
  const [expires, sig] = (state ?? "").split(".");
  if (!expires || !sig || !/^\d+$/.test(expires) || Number(expires) < deps.clock.now()) return false;
  return verifyHmacSha256Hex([stateSecret(deps)], `${session.id}|${expires}`, sig);
}

/** Whether the signed-in person is an active owner of some workspace. */
async function isOwner(deps: Deps, session: WebSession): Promise<boolean> {
  const { db } = deps.database;
  const rows =
    session.provider === "github"
      ? await db
          .select({ id: members.id })
          .from(identities)
          .innerJoin(members, eq(members.id, identities.memberId))
          .where(
            and(
              eq(identities.platform, "github"),
              eq(identities.externalId, session.subject),
              eq(members.isOwner, true),
              eq(members.status, "active"),
            ),
          )
          .limit(1)
      : await db
          .select({ id: members.id })
          .from(members)
          .where(
            and(eq(members.email, session.subject), eq(members.isOwner, true), eq(members.status, "active")),
          )
          .limit(1);
  return rows.length > 0;
}

/** The setup page's own policy: like the others, but its one form goes to GitHub. */
function setupHeaders(c: { header(name: string, value: string): void }, githubUrl: string) {
  c.header("Cache-Control", "no-store");
  c.header(
    "Content-Security-Policy",
    `default-src 'none'; style-src 'unsafe-inline'; form-action 'self' ${githubUrl}; base-uri 'none'; frame-ancestors 'none'`,
  );
  c.header("Referrer-Policy", "no-referrer");
}

const conversionSchema = z.object({
  id: z.number(),
  slug: z.string(),
  name: z.string().optional(),
  html_url: z.string(),
  owner: z.object({ login: z.string().optional() }).nullish(),
  client_id: z.string().nullish(),
  client_secret: z.string().nullish(),
  pem: z.string(),
  webhook_secret: z.string(),
});

function Message(props: { title: string; children: Child }) {
  return (
    <Page title={props.title}>
      <h1>{props.title}</h1>
      {props.children}
    </Page>
  );
}

export function githubSetupRoutes() {
  const routes = new Hono<AppEnv>();

  routes.get("/github", async (c) => {
    const deps = c.var.deps;
    const web = githubWebUrl(deps.config.github.apiUrl);
    setupHeaders(c, web);
    const session = await currentSession(c, deps);
    if (!session) return c.redirect(`/sign-in?next=${encodeURIComponent("/setup/github")}`, 302);
    if (!(await isOwner(deps, session))) {
      return c.html(
        <Message title="Only workspace owners can set up GitHub">
          <p>Ask a workspace owner to create the hub's GitHub App.</p>
        </Message>,
        403,
      );
    }
    if (deps.config.github.appId) {
      return c.html(
        <Message title="GitHub is set up">
          <p>
            This hub already uses GitHub App {deps.config.github.appId}. Install it on more repositories from
            GitHub.
          </p>
        </Message>,
      );
    }
    const org = (c.req.query("org") ?? "").trim();
    const validOrg = /^[A-Za-z\d](?:[A-Za-z\d-]{0,38})$/.test(org) ? org : "";
    const warnings = [
      ...(isLocalAddress(deps.config.publicUrl) ? [localAddressWarning(deps.config.publicUrl)] : []),
      ...(deps.config.sandbox
        ? [`Creating the App means a restart of the hub to use it. ${afterSandboxSignIn(deps.config)}`]
        : []),
    ];
    const state = await signState(deps, session);
    const target = validOrg
      ? `${web}/organizations/${validOrg}/settings/apps/new?state=${state}`
      : `${web}/settings/apps/new?state=${state}`;
    return c.html(
      <Message title="Create the GitHub App">
        <p>
          The hub needs a GitHub App to receive pull request events and post reviews. GitHub creates it from
          this manifest (webhooks go to <code>{deps.config.publicUrl}/webhooks/github</code>).
        </p>
        <SetupWarnings warnings={warnings} />
        <form method="get" action="/setup/github">
          <label>
            Organization (leave empty for your personal account): <input name="org" value={validOrg} />
          </label>{" "}
          <button class="button" type="submit">
            Use
          </button>
        </form>
        <form method="post" action={target}>
          <input type="hidden" name="manifest" value={JSON.stringify(githubManifest(deps))} />
          <button class="button" type="submit">
            Create the GitHub App{validOrg ? ` for ${validOrg}` : ""}
          </button>
        </form>
        <pre>{JSON.stringify(githubManifest(deps), null, 2)}</pre>
      </Message>,
    );
  });

  routes.get("/github/callback", async (c) => {
    const deps = c.var.deps;
    setupHeaders(c, githubWebUrl(deps.config.github.apiUrl));
    const session = await currentSession(c, deps);
    if (!session || !(await isOwner(deps, session))) {
      return c.html(
        <Message title="Sign in as a workspace owner">
          <p>Only a signed-in workspace owner can finish the GitHub setup.</p>
        </Message>,
        403,
      );
    }
    const code = c.req.query("code");
    if (!code || !/^[\w-]+$/.test(code) || !(await verifyState(deps, session, c.req.query("state")))) {
      return c.html(
        <Message title="Setup link expired">
          <p>
            This answer from GitHub could not be verified. <a href="/setup/github">Start again</a>.
          </p>
        </Message>,
        400,
      );
    }
    const response = await fetch(`${deps.config.github.apiUrl}/app-manifests/${code}/conversions`, {
      method: "POST",
      headers: { accept: "application/vnd.github+json", "user-agent": "codex-hub" },
    }).catch((error: Error) => {
      deps.logger.warn({ err: { message: error.message } }, "github manifest conversion failed");
      return null;
    });
    const parsed = conversionSchema.safeParse(response?.ok ? await response.json().catch(() => null) : null);
    if (!parsed.success) {
      return c.html(
        <Message title="GitHub did not create the App">
          <p>
            GitHub did not hand the App over (the code is valid for one hour and only once).{" "}
            <a href="/setup/github">Start again</a>.
          </p>
        </Message>,
        502,
      );
    }
    const app = parsed.data;
    await saveAppCredentials(deps, app, `web:${session.provider}:${session.subject}`);
    return c.html(
      <Message title="GitHub App created">
        <p>
          GitHub App <strong>{app.name ?? app.slug}</strong> (id {app.id}) is created; its private key and
          webhook secret are stored encrypted.
        </p>
        <ol>
          <li>
            <a href={`${app.html_url}/installations/new`}>Install it</a> on the repositories Codex should
            review.
          </li>
          <li>
            Restart the hub: it then uses this App (GITHUB_APP_ID in the environment would take precedence).
            {deps.config.sandbox ? ` ${afterSandboxSignIn(deps.config)}` : ""}
          </li>
          <li>
            Open the <a href="/">overview</a> and link the installation to your workspace.
          </li>
        </ol>
      </Message>,
    );
  });

  return routes;
}
