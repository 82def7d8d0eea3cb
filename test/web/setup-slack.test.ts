import { and, eq } from "drizzle-orm";
import { HttpResponse, http } from "msw";
import { beforeEach, describe, expect, it } from "vitest";
import { workspaceLinks } from "../../src/db/schema/workspaces";
import { AUTH_TEST_ACTOR, linkBotTokenTeam } from "../../src/surfaces/slack/bot-token-team";
import { invalidateSnapshot } from "../../src/workspace/snapshot";
import { useWorld, type World } from "../helpers/world";
import { testSecrets } from "../helpers/world-config";
import { seedAcme, slackWorld, WS } from "../slack/acme";
import { BOT, mention, TEAM } from "../slack/requests";
import { SLACK_API, type SlackFake } from "../slack/slack-fake";

import { browser } from "./browser";

// A hub run with SLACK_BOT_TOKEN only: nothing names its Slack team, so the hub asks Slack (`auth.test`) and
// links that team to its workspace; a mention from the team then starts a task instead of being dropped.

let hub: World;
let fakes: SlackFake;
let authTests: number;
const server = useWorld(
  (msw) => slackWorld(msw, { agent: () => "Done." }),
  (fresh) => ({ world: hub, fakes } = fresh),
);
beforeEach(async () => {
  authTests = 0;
  server.use(
    http.post(`${SLACK_API}auth.test`, () => {
      authTests++;
      return HttpResponse.json({ ok: true, team_id: TEAM, team: "Acme", user_id: BOT, bot_id: "B0CODEX" });
    }),
  );
  await seedAcme(hub);
  // As on a fresh single-team hub: the team is linked to no workspace.
  await hub.deps.database.db
    .delete(workspaceLinks)
    .where(and(eq(workspaceLinks.kind, "slack_team"), eq(workspaceLinks.externalId, TEAM)));
  await invalidateSnapshot(hub.deps, WS);
});

const slackLinks = () =>
  hub.deps.database.db.select().from(workspaceLinks).where(eq(workspaceLinks.kind, "slack_team"));

describe("a single-team Slack hub (SLACK_BOT_TOKEN)", () => {
  it("links its token's team on the first mention, audited as the hub, and the mention starts a task", async () => {
    const { res } = await mention(hub, { user: "U0MAX", text: `<@${BOT}> fix the flaky test in acme/web` });
    expect(res.status).toBe(200);
    await hub.settle();
    expect(await slackLinks()).toMatchObject([{ workspaceId: WS, externalId: TEAM }]);
    const [task] = await hub.tasks();
    expect(task).toMatchObject({ status: "completed", environmentId: "env_web" });
    const audit = (await hub.audit()).filter((a) => a.action === "workspace.link");
    expect(audit).toMatchObject([{ actor: AUTH_TEST_ACTOR, target: `slack_team:${TEAM}`, workspaceId: WS }]);
    expect(fakes.calls.some((c) => c.method === "auth.test")).toBe(false);
    expect(authTests).toBe(1);
  });

  it("links once however often asked, and a mention from a linked team asks Slack nothing", async () => {
    await linkBotTokenTeam(hub.deps);
    await linkBotTokenTeam(hub.deps);
    expect(await slackLinks()).toHaveLength(1);
    expect((await hub.audit()).filter((a) => a.action === "workspace.link")).toHaveLength(1);
    await mention(hub, { user: "U0MAX", text: `<@${BOT}> fix the flaky test in acme/web` });
    await hub.settle();
    expect(authTests).toBe(2);
  });

  it("shows the team linked on the overview once auth.test named it", async () => {
    const key = browser(hub);
    await key.post("/sign-in/key", { ...(await key.formFields("/sign-in")), key: testSecrets.adminToken });
    const html = await (await key.get(`/?workspace=${WS}`)).text();
    expect(html).toContain("Slack: configured");
    expect(html).toContain("Slack: linked to this workspace");
    expect(html).toContain(TEAM);
  });

  it("does not link when Slack refuses the token", async () => {
    server.use(
      http.post(`${SLACK_API}auth.test`, () => HttpResponse.json({ ok: false, error: "invalid_auth" })),
    );
    expect(await linkBotTokenTeam(hub.deps)).toBeNull();
    expect(await slackLinks()).toEqual([]);
  });
});
