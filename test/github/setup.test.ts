import { eq } from "drizzle-orm";
import { HttpResponse, http } from "msw";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { members } from "../../src/db/schema/access";
import { auditLog } from "../../src/db/schema/audit";
import { githubAppCredentials } from "../../src/db/schema/github";
import { loadAppCredentials, withStoredGitHubApp } from "../../src/surfaces/github/app-credentials";
import { appLogin } from "../../src/surfaces/github/installations";
import { LOCAL_OWNER_ID } from "../../src/workspace/workspaces";
import { useMockServer } from "../helpers/mock-server";
import { createWorld, type World } from "../helpers/world";
import { browser } from "../web/browser";

// GET /setup/github: a workspace owner creates the hub's GitHub App from a manifest; the callback converts
// GitHub's code into the App's credentials, stored sealed and used from the next start.

const API = "https://github.test/api/v3";
const PEM =
  "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----\n";
const server = useMockServer();

let hub: World;
let conversions: string[];
beforeEach(async () => {
  conversions = [];
  server.use(
    http.post(`${API}/app-manifests/:code/conversions`, ({ params }) => {
      conversions.push(String(params.code));
      if (params.code !== "good-code") return HttpResponse.json({ message: "Not Found" }, { status: 404 });
      return HttpResponse.json(
        {
          id: 4242,
          slug: "acme-codex",
          name: "Acme Codex",
          html_url: "https://github.test/apps/acme-codex",
          owner: { login: "acme" },
          client_id: "Iv1.abc",
          client_secret: "client-secret-value",
          pem: PEM,
          webhook_secret: "webhook-secret-value",
        },
        { status: 201 },
      );
    }),
  );
  hub = createWorld({ env: { GITHUB_API_URL: API } });
  await hub.ready;
});
afterEach(() => hub.close());

async function signIn(): Promise<string> {
  const b = browser(hub);
  await b.submit("/sign-in", "/sign-in/local");
  return `hub_session=${b.jar.get("hub_session")}`;
}

async function startSetup(cookie: string, query = "") {
  const res = await hub.request(`/setup/github${query}`, { headers: { cookie } });
  const html = await res.text();
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1]?.replaceAll("&amp;", "&");
  const manifest = /name="manifest" value="([^"]+)"/
    .exec(html)?.[1]
    ?.replaceAll("&quot;", '"')
    .replaceAll("&amp;", "&");
  return { res, html, action, manifest: manifest ? JSON.parse(manifest) : null };
}

describe("GitHub App setup from a manifest", () => {
  it("sends signed-out visitors to sign in and refuses members who are not owners", async () => {
    const anonymous = await hub.request("/setup/github");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe("/sign-in?next=%2Fsetup%2Fgithub");
    const cookie = await signIn();
    await hub.database.db.update(members).set({ isOwner: false }).where(eq(members.id, LOCAL_OWNER_ID));
    const { res } = await startSetup(cookie);
    expect(res.status).toBe(403);
  });

  it("offers the manifest with the hub's webhook, the permissions and events it needs", async () => {
    const { res, action, manifest } = await startSetup(await signIn());
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("form-action 'self' https://github.test");
    expect(action).toMatch(/^https:\/\/github\.test\/settings\/apps\/new\?state=\d+\.[0-9a-f]{64}$/);
    expect(manifest).toMatchObject({
      url: "http://hub.test",
      hook_attributes: { url: "http://hub.test/webhooks/github" },
      redirect_url: "http://hub.test/setup/github/callback",
      public: false,
      default_permissions: { contents: "write", pull_requests: "write", issues: "write", metadata: "read" },
      default_events: ["pull_request", "issue_comment", "pull_request_review_comment"],
    });
    const org = await startSetup(await signIn(), "?org=acme");
    expect(org.action).toMatch(/^https:\/\/github\.test\/organizations\/acme\/settings\/apps\/new\?state=/);
  });

  it("converts the code, stores the credentials sealed, and the next start uses them", async () => {
    const cookie = await signIn();
    const { action } = await startSetup(cookie);
    const state = new URL(action!).searchParams.get("state")!;
    const res = await hub.request(`/setup/github/callback?code=good-code&state=${state}`, {
      headers: { cookie },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("https://github.test/apps/acme-codex/installations/new");
    expect(conversions).toEqual(["good-code"]);

    const [row] = await hub.database.db.select().from(githubAppCredentials);
    expect(row).toMatchObject({ appId: "4242", slug: "acme-codex", clientId: "Iv1.abc" });
    for (const sealed of [row!.privateKey, row!.webhookSecret, row!.clientSecret!]) {
      expect(sealed).toMatch(/^v2\./);
    }
    expect(JSON.stringify(row)).not.toContain("PRIVATE KEY");
    expect(JSON.stringify(row)).not.toContain("webhook-secret-value");
    const audits = await hub.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "github.app.create"));
    expect(audits).toHaveLength(1);
    expect(JSON.stringify(audits)).not.toContain("secret-value");

    const stored = await loadAppCredentials(hub.database, hub.deps.config.encryptionKey);
    expect(stored).toMatchObject({ appId: "4242", privateKey: PEM, webhookSecret: "webhook-secret-value" });
    const next = withStoredGitHubApp(hub.deps.config, stored);
    expect(next).toMatchObject({ sandbox: false, github: { appId: "4242", privateKey: PEM } });
    expect(next.github.webhookSecrets[0]).toBe("webhook-secret-value");
    // The App's own login is known from now on, so its events are never taken for someone's.
    expect(await appLogin(hub.deps, null)).toBe("acme-codex[bot]");
  });

  it("refuses a callback whose state is not this session's, and a code GitHub rejects", async () => {
    const cookie = await signIn();
    const forged = await hub.request(
      `/setup/github/callback?code=good-code&state=${Date.now() + 60_000}.${"0".repeat(64)}`,
      {
        headers: { cookie },
      },
    );
    expect(forged.status).toBe(400);
    const { action } = await startSetup(cookie);
    const state = new URL(action!).searchParams.get("state")!;
    const rejected = await hub.request(`/setup/github/callback?code=bad-code&state=${state}`, {
      headers: { cookie },
    });
    expect(rejected.status).toBe(502);
    expect(await hub.database.db.select().from(githubAppCredentials)).toEqual([]);
  });
});
