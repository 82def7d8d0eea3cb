import { eq } from "drizzle-orm";
import { HttpResponse, http } from "msw";
import { beforeEach, describe, expect, it } from "vitest";
import { inbox } from "../../src/db/schema/inbox";
import { saveInstallation } from "../../src/surfaces/slack/installations";
import { API as GITHUB_API } from "../github/github-fake";
import { useWorld, type World } from "../helpers/world";
import { seedAcme, slackWorld, WS } from "./acme";
import { BOT, mention, mentionPayload, press, TEAM } from "./requests";
import type { SlackFake } from "./slack-fake";

// How a stored Slack delivery reaches its listener: what a listener throws fails the delivery so the inbox
// tries it again, the app's own messages are left alone, the app's bot user comes from the event or from the
// team's installation, and presses of buttons that are not the hub's do nothing.

let hub: World;
let fakes: SlackFake;
const server = useWorld(
  (server) => slackWorld(server, { agent: async () => "Done." }),
  (fresh) => ({ world: hub, fakes } = fresh),
);
beforeEach(async () => {
  await seedAcme(hub);
});

const rows = () => hub.database.db.select().from(inbox).where(eq(inbox.platform, "slack"));

describe("Slack deliveries on Bolt's dispatch", () => {
  it("a listener that fails leaves the delivery to be tried again, which then succeeds", async () => {
    server.use(
      http.get(
        `${GITHUB_API}/repos/:owner/:repo/collaborators/:login/permission`,
        () => HttpResponse.json({ message: "Server Error" }, { status: 502 }),
        { once: true },
      ),
    );
    await mention(hub, { text: `<@${BOT}> fix the flaky login test in acme/web` });
    await hub.settle();
    const [failed] = await rows();
    expect(failed).toMatchObject({ status: "pending", attempts: 1, outcome: null });
    expect(failed!.lastError).toContain("502");
    expect(await hub.tasks()).toEqual([]);
    expect(fakes.calls.filter((c) => c.method !== "users.info")).toEqual([]);

    hub.clock.set(failed!.availableAt);
    await hub.settle();
    const [done] = await rows();
    expect(done).toMatchObject({ status: "done", lastError: null });
    expect(done!.outcome).toMatch(/^started task tsk_\w+ in web$/);
    expect(await hub.tasks()).toHaveLength(1);
  });

  it("leaves alone what the app's own bot user wrote", async () => {
    const payload = mentionPayload({ text: `<@${BOT}> fix the flaky login test in acme/web` });
    (payload.event as { user: string }).user = BOT;
    await hub.send.slackEvent(payload);
    await hub.settle();
    const [row] = await rows();
    expect(row).toMatchObject({ status: "done", outcome: "ignored: written by a bot" });
    expect(fakes.calls).toEqual([]);
    expect(await hub.tasks()).toEqual([]);
  });

  it("knows the app's bot user from the team's installation when the event does not name it", async () => {
    await saveInstallation(
      hub.deps,
      WS,
      {
        teamId: TEAM,
        teamName: "Acme",
        enterpriseId: null,
        isEnterpriseInstall: false,
        appId: "A_CODEX",
        botUserId: "U0INSTALLED",
        botToken: "xoxb-acme",
        scopes: "",
        installedBy: null,
      },
      "test",
    );
    const payload = mentionPayload({ text: "<@U0INSTALLED> fix the flaky login test in acme/web" });
    const { authorizations: _, ...withoutAuthorizations } = payload;
    await hub.send.slackEvent(withoutAuthorizations);
    await hub.settle();
    const [task] = await hub.tasks();
    expect(task?.prompt).toBe("fix the flaky login test in acme/web");
  });

  it("does nothing for a button that is not one of the hub's", async () => {
    await press(hub, "U0MAX", { action_id: "survey:answer", value: "yes" });
    await hub.settle();
    const [row] = await rows();
    expect(row).toMatchObject({ status: "done", outcome: "ignored: not a Codex button" });
    expect(fakes.responses).toEqual([]);
    expect(fakes.calls).toEqual([]);
  });
});
