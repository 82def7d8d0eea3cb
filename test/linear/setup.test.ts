import { eq } from "drizzle-orm";
import { HttpResponse, http } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { createLinearClient } from "../../src/clients/linear/client";
import { auditLog } from "../../src/db/schema/audit";
import { linearInstallations } from "../../src/db/schema/linear";
import { workspaceLinks } from "../../src/db/schema/workspaces";
import { linearTokenProvider } from "../../src/surfaces/linear/installations";
import { LOCAL_OWNER_EMAIL, LOCAL_WORKSPACE_ID } from "../../src/workspace/workspaces";
import { useMockServer } from "../helpers/mock-server";
import { sessionCookieFor } from "../helpers/sign-in";
import { createWorld, type World } from "../helpers/world";
import { testSecrets } from "../helpers/world-config";
import { browser } from "../web/browser";
import { type LinearWorld, linearWorld, seedAcme, WS } from "./acme";
import { TEAM } from "./linear-fake";

const server = useMockServer();

const API = "http://localhost:4013/graphql";

describe("GET /setup/linear", () => {
  let hub: World;
  afterEach(() => hub.close());

  it("installs Codex as an app actor for a workspace owner: token sealed, organization linked, token used", async () => {
    hub = createWorld({
      env: { LINEAR_CLIENT_ID: "lin-client", LINEAR_CLIENT_SECRET: "lin-secret", LINEAR_API_URL: API },
    });
    await hub.ready;
    const grants: Record<string, string>[] = [];
    const graphql: { op: string; auth: string | null; variables: unknown }[] = [];
    let issued = 0;
    server.use(
      http.post("http://localhost:4013/oauth/token", async ({ request }) => {
        const form = Object.fromEntries(new URLSearchParams(await request.text()));
        grants.push(form);
        if (form.client_secret !== "lin-secret")
          return HttpResponse.json({ error: "invalid_client" }, { status: 401 });
        issued++;
        return HttpResponse.json({
          access_token: `lin_oauth_${issued}`,
          refresh_token: `lin_refresh_${issued}`,
          expires_in: 86_400,
          scope: "read,write,app:assignable,app:mentionable",
          token_type: "Bearer",
        });
      }),
      http.post(API, async ({ request }) => {
        const body = (await request.json()) as { query: string; variables: unknown };
        const op = /^\s*(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? "";
        graphql.push({ op, auth: request.headers.get("authorization"), variables: body.variables });
        if (op === "codexViewer") {
          return HttpResponse.json({
            data: {
              viewer: { id: "app-user-acme", name: "Codex" },
              organization: { id: "org-acme", name: "Acme Inc" },
            },
          });
        }
        return HttpResponse.json({
          data: { agentActivityCreate: { success: true, lastSyncId: 1, agentActivity: { id: "act_1" } } },
        });
      }),
    );

    const b = browser(hub);
    const anonymous = await b.get("/setup/linear");
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toBe("/sign-in?next=%2Fsetup%2Flinear");

    // OAuth credentials take the hub out of sandbox mode, so there is no local sign-in: the owner signs in
    // as they would through Slack.
    const [name, value] = (
      await sessionCookieFor(hub.deps, { provider: "slack", subject: LOCAL_OWNER_EMAIL })
    ).split("=");
    b.jar.set(name!, value!);
    const start = await b.get("/setup/linear");
    expect(start.status).toBe(302);
    const authorize = new URL(start.headers.get("location")!);
    expect(`${authorize.origin}${authorize.pathname}`).toBe("http://localhost:4013/oauth/authorize");
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      client_id: "lin-client",
      redirect_uri: "http://hub.test/setup/linear/callback",
      response_type: "code",
      actor: "app",
      scope: "read,write,app:assignable,app:mentionable",
    });

    // Someone else's state (or none) is refused before Linear is asked anything.
    expect((await b.get("/setup/linear/callback?code=c1&state=forged")).status).toBe(400);
    expect(grants).toEqual([]);

    const again = await b.get("/setup/linear");
    const state = new URL(again.headers.get("location")!).searchParams.get("state");
    const done = await b.get(`/setup/linear/callback?code=c1&state=${state}`);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Acme Inc");
    expect(grants).toEqual([
      expect.objectContaining({ grant_type: "authorization_code", code: "c1", client_id: "lin-client" }),
    ]);
    expect(graphql).toEqual([{ op: "codexViewer", auth: "Bearer lin_oauth_1", variables: {} }]);

    const [installed] = await hub.deps.database.db.select().from(linearInstallations);
    expect(installed).toMatchObject({
      organizationId: "org-acme",
      workspaceId: LOCAL_WORKSPACE_ID,
      actor: "app",
      appUserId: "app-user-acme",
      installedBy: "mem_local_owner",
    });
    expect(installed!.accessToken).toMatch(/^v2\./);
    expect(installed!.accessToken).not.toContain("lin_oauth_1");
    expect(installed!.refreshToken).not.toContain("lin_refresh_1");
    const links = await hub.deps.database.db
      .select()
      .from(workspaceLinks)
      .where(eq(workspaceLinks.externalId, "org-acme"));
    expect(links).toEqual([expect.objectContaining({ workspaceId: LOCAL_WORKSPACE_ID, kind: "linear_org" })]);
    const audits = await hub.deps.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "linear.install"));
    expect(audits).toHaveLength(1);
    expect(JSON.stringify(audits)).not.toContain("lin_oauth_1");

    // Calls for that organization go out with its token; near expiry the token is refreshed first.
    const tokenFor = linearTokenProvider(hub.deps);
    const client = createLinearClient({ apiUrl: API, tokenFor });
    const activity = {
      platform: "linear" as const,
      operation: "agentActivityCreate",
      target: { organizationId: "org-acme" },
      args: { agentSessionId: "ses_1", content: { type: "thought", body: "Hi" } },
    };
    await client.send(activity);
    expect(graphql.at(-1)).toEqual({
      op: "createAgentActivity",
      auth: "Bearer lin_oauth_1",
      variables: { input: { agentSessionId: "ses_1", content: { type: "thought", body: "Hi" } } },
    });
    hub.clock.advance(86_400_000);
    await client.send(activity);
    expect(grants.at(-1)).toMatchObject({ grant_type: "refresh_token", refresh_token: "lin_refresh_1" });
    expect(graphql.at(-1)?.auth).toBe("Bearer lin_oauth_2");
  });

  it("explains what to configure when the hub has no Linear OAuth application", async () => {
    hub = createWorld();
    const res = await hub.request("/setup/linear");
    expect(res.status).toBe(503);
    expect(await res.text()).toContain("LINEAR_CLIENT_ID");
  });
});

describe("team → default environment through the admin API", () => {
  let hub: LinearWorld;
  afterEach(() => hub.close());

  it("sets, lists and removes a team's default, and sessions of that team then run there without asking", async () => {
    hub = linearWorld(server);
    await seedAcme(hub);
    const api = (method: string, path: string, body?: unknown) =>
      hub.app.request(`/api/v1/workspaces/${WS}${path}`, {
        method,
        headers: { authorization: `Bearer ${testSecrets.adminToken}`, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect((await api("PUT", `/linear/teams/${TEAM}`, { environmentId: "env_nope" })).status).toBe(404);
    const set = await api("PUT", `/linear/teams/${TEAM}`, { environmentId: "env_api", teamName: "ENG" });
    expect(set.status).toBe(200);
    expect(await (await api("GET", "/linear/teams")).json()).toEqual({
      items: [expect.objectContaining({ teamId: TEAM, teamName: "ENG", environmentId: "env_api" })],
    });

    await hub.deliver("agent-session-created");
    await hub.settle();
    const [task] = await hub.tasks();
    expect(task).toMatchObject({ environmentId: "env_api", status: "completed" });
    expect(hub.activities().map((a) => a.content.type)).not.toContain("elicitation");

    expect((await api("DELETE", `/linear/teams/${TEAM}`)).status).toBe(204);
    expect(await (await api("GET", "/linear/teams")).json()).toEqual({ items: [] });
    expect((await api("DELETE", `/linear/teams/${TEAM}`)).status).toBe(404);
  });
});
