import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { HttpResponse, http } from "msw";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addReaction, postMessage } from "../../src/clients/slack/calls";
import { createSlackClient } from "../../src/clients/slack/client";
import { OutboundError } from "../../src/clients/types";
import { outbox } from "../../src/db/schema/outbox";
import { slackInstallations } from "../../src/db/schema/slack";
import { workspaceLinks } from "../../src/db/schema/workspaces";
import { enqueueOutbound } from "../../src/outbox/enqueue";
import { deliverDue } from "../../src/outbox/worker";
import {
  installationToken,
  saveInstallation,
  slackTokenProvider,
  workspaceForSlack,
} from "../../src/surfaces/slack/installations";
import { startSession } from "../../src/web/sign-in-session";
import { createWorkspace, LOCAL_OWNER_EMAIL } from "../../src/workspace/workspaces";
import { useMockServer } from "../helpers/mock-server";
import { createWorld, type World } from "../helpers/world";

// Installing the Slack app into more teams with OAuth v2: only a signed-in workspace owner may start it, the
// bot token is stored sealed, the team is linked to the workspace, and outbound calls for that team then use
// its own token (single-team SLACK_BOT_TOKEN stays the fallback).

const SLACK_API = "http://slack.test/api/";
const server = useMockServer();

let hub: World;
let exchanges: URLSearchParams[];
let oauthAnswer: Record<string, unknown>;

beforeEach(async () => {
  exchanges = [];
  oauthAnswer = {
    ok: true,
    access_token: "xoxb-team-two-secret",
    token_type: "bot",
    scope: "app_mentions:read,chat:write,commands",
    bot_user_id: "U0BOTTWO",
    app_id: "A0CODEX",
    team: { id: "T0TWO", name: "Team Two" },
    enterprise: null,
    is_enterprise_install: false,
    authed_user: { id: "U0INSTALLER" },
  };
  server.use(
    http.post(`${SLACK_API}oauth.v2.access`, async ({ request }) => {
      exchanges.push(new URLSearchParams(await request.text()));
      return HttpResponse.json(oauthAnswer);
    }),
  );
  hub = createWorld({
    env: { SLACK_CLIENT_ID: "111.222", SLACK_CLIENT_SECRET: "shh", SLACK_API_URL: SLACK_API },
  });
  await hub.ready;
});
afterEach(() => hub.close());

/** name=value pairs of a response's Set-Cookie headers. */
function cookiesOf(res: Response): string[] {
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .filter((c) => !c.endsWith("="));
}

/** A web session for the local workspace's owner, started the way every sign-in ends. */
async function signIn(): Promise<string[]> {
  const app = new Hono();
  app.get("/", async (c) => {
    await startSession(c, hub.deps, { provider: "slack", subject: LOCAL_OWNER_EMAIL, displayName: "Owner" });
    return c.text("ok");
  });
  return cookiesOf(await app.request("/"));
}

describe("/setup/slack", () => {
  it("sends a signed-out visitor to sign in first", async () => {
    const res = await hub.request("/setup/slack");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/sign-in?next=%2Fsetup%2Fslack");
  });

  it("installs for a workspace owner: token sealed at rest, team linked, install audited without the token", async () => {
    const session = await signIn();
    const start = await hub.request("/setup/slack", { headers: { cookie: session.join("; ") } });
    expect(start.status).toBe(302);
    const to = new URL(start.headers.get("location")!);
    expect(`${to.origin}${to.pathname}`).toBe("https://slack.com/oauth/v2/authorize");
    expect(to.searchParams.get("client_id")).toBe("111.222");
    expect(to.searchParams.get("scope")).toContain("app_mentions:read");
    expect(to.searchParams.get("scope")).toContain("users:read.email");
    expect(to.searchParams.get("redirect_uri")).toBe("http://hub.test/setup/slack/callback");
    const state = to.searchParams.get("state")!;
    const cookies = [...session, ...cookiesOf(start)].join("; ");

    // A forged state is refused and nothing is exchanged.
    const forged = await hub.request(`/setup/slack/callback?code=c0de&state=not-${state}`, {
      headers: { cookie: cookies },
    });
    expect(forged.status).toBe(400);
    expect(exchanges).toEqual([]);

    const done = await hub.request(`/setup/slack/callback?code=c0de&state=${state}`, {
      headers: { cookie: cookies },
    });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Team Two");
    expect(exchanges[0]?.get("code")).toBe("c0de");
    expect(exchanges[0]?.get("redirect_uri")).toBe("http://hub.test/setup/slack/callback");

    const [row] = await hub.database.db.select().from(slackInstallations);
    expect(row).toMatchObject({ workspaceId: "ws_local", installKey: "team:T0TWO", botUserId: "U0BOTTWO" });
    expect(row!.botToken).toMatch(/^v2\./);
    expect(row!.botToken).not.toContain("xoxb");
    expect(await workspaceForSlack(hub.deps, { teamId: "T0TWO", enterpriseId: null })).toMatchObject({
      id: "ws_local",
    });
    expect(await installationToken(hub.deps, { teamId: "T0TWO" })).toBe("xoxb-team-two-secret");
    const audits = await hub.database.db.select().from((await import("../../src/db/schema/audit")).auditLog);
    const install = audits.find((a) => a.action === "slack.install");
    expect(install).toBeDefined();
    expect(JSON.stringify(install)).not.toContain("xoxb");
  });
});

describe("installations", () => {
  const install = (over: Partial<Parameters<typeof saveInstallation>[2]> = {}) => ({
    teamId: "T0TWO",
    teamName: "Two",
    enterpriseId: null,
    isEnterpriseInstall: false,
    appId: "A0",
    botUserId: "U0BOT",
    botToken: "xoxb-two",
    scopes: "",
    installedBy: null,
    ...over,
  });

  it("refuses to move a team that belongs to another workspace; a reinstall replaces the token", async () => {
    await saveInstallation(hub.deps, "ws_local", install(), "test");
    await saveInstallation(hub.deps, "ws_local", install({ botToken: "xoxb-two-new" }), "test");
    expect(await installationToken(hub.deps, { teamId: "T0TWO" })).toBe("xoxb-two-new");
    const other = await createWorkspace(hub.deps, { name: "Other", ownerEmail: "o@other.test" }, "test");
    await expect(
      saveInstallation(hub.deps, other.id, install({ botToken: "xoxb-stolen" }), "test"),
    ).rejects.toThrow(/already connected to another workspace/);
    expect(await installationToken(hub.deps, { teamId: "T0TWO" })).toBe("xoxb-two-new");
  });

  it("links an Enterprise Grid org-wide install by organization, serving every team in it", async () => {
    await saveInstallation(
      hub.deps,
      "ws_local",
      install({ teamId: null, enterpriseId: "E0ORG", isEnterpriseInstall: true, botToken: "xoxb-org" }),
      "test",
    );
    const links = await hub.database.db
      .select()
      .from(workspaceLinks)
      .where(eq(workspaceLinks.kind, "slack_enterprise"));
    expect(links.map((l) => l.externalId)).toEqual(["E0ORG"]);
    expect(await workspaceForSlack(hub.deps, { teamId: "T0ANY", enterpriseId: "E0ORG" })).toMatchObject({
      id: "ws_local",
    });
    expect(await installationToken(hub.deps, { teamId: "T0ANY", enterpriseId: "E0ORG" })).toBe("xoxb-org");
  });

  it("the Slack client posts with the installed team's token, and falls back to SLACK_BOT_TOKEN", async () => {
    await saveInstallation(hub.deps, "ws_local", install(), "test");
    const seen: { auth: string | null; body: URLSearchParams }[] = [];
    server.use(
      http.post(`${SLACK_API}chat.postMessage`, async ({ request }) => {
        seen.push({
          auth: request.headers.get("authorization"),
          body: new URLSearchParams(await request.text()),
        });
        return HttpResponse.json({ ok: true });
      }),
    );
    const tokenFor = slackTokenProvider(hub.deps);
    const client = createSlackClient({ apiUrl: SLACK_API, botToken: "xoxb-single", tokenFor });
    const post = (team?: string) =>
      client.send(postMessage(team ? { teamId: team } : {}, { channel: "C1", text: "hi" }));
    await post("T0TWO");
    await post("T0UNKNOWN");
    await post();
    expect(seen.map((s) => s.auth)).toEqual(["Bearer xoxb-two", "Bearer xoxb-single", "Bearer xoxb-single"]);
    expect(seen.every((s) => !s.body.has("_team"))).toBe(true);

    const multiOnly = createSlackClient({ apiUrl: SLACK_API, tokenFor });
    const refused = await multiOnly
      .send(postMessage({ teamId: "T0NONE" }, { channel: "C1", text: "x" }))
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(OutboundError);
    expect((refused as OutboundError).retryable).toBe(false);
  });

  it("calls queued before targets existed still go out with their team's token, the team never sent", async () => {
    await saveInstallation(hub.deps, "ws_local", install(), "test");
    const seen: { auth: string | null; body: URLSearchParams }[] = [];
    server.use(
      http.post(`${SLACK_API}:method`, async ({ request }) => {
        seen.push({
          auth: request.headers.get("authorization"),
          body: new URLSearchParams(await request.text()),
        });
        return HttpResponse.json({ ok: true, ts: "1.2" });
      }),
    );
    // A row as the outbox stored it then: the team in the args, no target of its own.
    const now = hub.clock.now();
    await hub.database.db.insert(outbox).values({
      id: "out_legacy",
      dedupeKey: "reply:tsk_legacy",
      platform: "slack",
      operation: "chat.postMessage",
      args: JSON.stringify({ channel: "C1", text: "from before", _team: "T0TWO" }),
      target: null,
      status: "pending",
      availableAt: now,
      createdAt: now,
    });
    await enqueueOutbound(hub.deps, {
      request: addReaction({ teamId: "T0TWO" }, { channel: "C1", timestamp: "1.1", name: "eyes" }),
      dedupeKey: "react:tsk_new",
    });
    await deliverDue(hub.deps);

    const rows = await hub.database.db.select().from(outbox);
    expect(rows.map((r) => [r.operation, r.status]).sort()).toEqual([
      ["chat.postMessage", "sent"],
      ["reactions.add", "sent"],
    ]);
    expect(rows.find((r) => r.operation === "reactions.add")?.target).toBe(
      JSON.stringify({ teamId: "T0TWO" }),
    );
    expect(seen.map((s) => [s.body.get("text") ?? s.body.get("name"), s.auth]).sort()).toEqual([
      ["eyes", "Bearer xoxb-two"],
      ["from before", "Bearer xoxb-two"],
    ]);
    expect(seen.every((s) => !s.body.has("_team") && !s.body.has("target"))).toBe(true);
  });
});
