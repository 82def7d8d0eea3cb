import { and, eq, inArray } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { apps, environments } from "../../src/db/schema/access";
import { deliverDue } from "../../src/outbox/worker";
import { updateMember } from "../../src/workspace/members";
import { invalidateSnapshot } from "../../src/workspace/snapshot";
import { useWorld, type World } from "../helpers/world";
import { setToggles } from "../helpers/world-seed";
import { type Person, seedAcme, slackWorld, WS } from "./acme";
import { BOT, blocksText, buttons, mention, press } from "./requests";
import type { SlackFake } from "./slack-fake";

// Every refusal is said to the person alone (chat.postEphemeral or the button's response URL), says why and
// what to do next, is recorded with its code, and starts nothing.

let hub: World;
let fakes: SlackFake;
let ids: Awaited<ReturnType<typeof seedAcme>>["ids"];
let runs: number;
useWorld(
  (server) =>
    slackWorld(server, {
      agent: () => {
        runs++;
        return "done";
      },
    }),
  (fresh) => ({ world: hub, fakes } = fresh),
);
beforeEach(async () => {
  runs = 0;
  ids = (await seedAcme(hub)).ids;
});

const calls = (method: string) => fakes.calls.filter((c) => c.method === method);
const setSlackApp = async (set: Partial<typeof apps.$inferInsert>) => {
  await hub.deps.database.db
    .update(apps)
    .set(set)
    .where(and(eq(apps.workspaceId, WS), eq(apps.kind, "slack")));
  await invalidateSnapshot(hub.deps, WS);
};

interface DenialCase {
  code: string;
  user?: Person;
  text?: string;
  setup?: () => Promise<void>;
  says: string;
  next: RegExp;
}

const cases: DenialCase[] = [
  {
    code: "UNKNOWN_ACTOR",
    user: "U0EVE",
    says: "doesn't recognise your Slack account",
    next: /add the email of your Slack profile/,
  },
  {
    code: "IDENTITY_UNLINKED",
    user: "U0NIA",
    says: "Codex needs your GitHub account",
    next: /Connect your GitHub account/,
  },
  {
    code: "CLOUD_DISABLED",
    setup: () => setToggles(hub.deps, WS, { codexCloud: false }),
    says: "Codex cloud is turned off",
    next: /workspace owner can turn on/,
  },
  {
    code: "GITHUB_CONNECTOR_DISABLED",
    setup: () => setToggles(hub.deps, WS, { githubConnector: false }),
    says: "The GitHub connector is off",
    next: /workspace owner can turn it on/,
  },
  {
    code: "NO_ROLE_PERMISSION",
    user: "U0LEO",
    says: "Your roles don't include Codex cloud",
    next: /Ask a workspace admin/,
  },
  {
    code: "MEMBER_DEACTIVATED",
    setup: async () => {
      await updateMember(hub.deps, WS, ids.U0MAX, { status: "deactivated" }, "test");
    },
    says: "deactivated",
    next: /reactivate/,
  },
  {
    code: "APP_DISABLED",
    setup: () => setSlackApp({ enabled: false }),
    says: "disabled or not set up",
    next: /enable it/,
  },
  {
    code: "APP_NOT_PUBLISHED",
    setup: () => setSlackApp({ status: "draft" }),
    says: "still a draft",
    next: /publish/,
  },
  {
    code: "APP_NOT_ASSIGNED",
    setup: () =>
      setSlackApp({ access: { type: "assigned", memberIds: [ids.U0OLGA], groupIds: [], roleIds: [] } }),
    says: "You don't have access to the Slack app",
    next: /assign it to you/,
  },
  {
    code: "REPO_NO_ACCESS",
    text: `<@${BOT}> update the docs in acme/docs`,
    says: "GitHub says you don't have access to acme/docs",
    next: /Environments you can use: api, web\./,
  },
  {
    code: "ENV_NOT_FOUND",
    setup: async () => {
      await hub.deps.database.db
        .update(environments)
        .set({ visibility: "private" })
        .where(eq(environments.workspaceId, WS));
      await invalidateSnapshot(hub.deps, WS);
    },
    says: "No available environments",
    next: /Ask a Codex Admin to create an environment/,
  },
];

describe("a mention that may not run", () => {
  it.each(cases)("$code: an ephemeral reason and next step, recorded, and no task", async (c) => {
    await c.setup?.();
    const user = c.user ?? "U0MAX";
    await mention(hub, { user, text: c.text ?? `<@${BOT}> fix the login test in acme/web` });
    await hub.settle();

    const [denial, ...more] = calls("chat.postEphemeral");
    expect(more).toEqual([]);
    expect(denial!.args).toMatchObject({ channel: "C_GENERAL", user });
    const shown = blocksText(denial!.args.blocks);
    expect(shown).toContain(c.says);
    expect(shown).toMatch(/\*Next step:\* /);
    expect(shown).toMatch(c.next);
    expect(calls("chat.postMessage")).toEqual([]);
    expect(calls("reactions.add")).toEqual([]);
    expect(await hub.tasks()).toEqual([]);
    expect(runs).toBe(0);
    const decisions = (await hub.audit()).filter((a) => a.action === "decision.task.run");
    expect(decisions.map((d) => d.code)).toEqual([c.code]);
  });

  it("IDENTITY_UNLINKED carries a button that connects the person's GitHub account", async () => {
    await mention(hub, { user: "U0NIA", text: `<@${BOT}> fix it in acme/web` });
    await hub.settle();
    const [button] = buttons(calls("chat.postEphemeral")[0]!.args.blocks) as { url?: string }[];
    expect(button?.url).toMatch(
      new RegExp(`^http://hub\\.test/connect/github\\?member=${ids.U0NIA}&exp=\\d+&sig=[0-9a-f]+$`),
    );
  });

  it("ENV_NOT_VISIBLE: a pick of an environment the member cannot see is refused through the button's response URL", async () => {
    await mention(hub, { text: `<@${BOT}> fix the login test` });
    await hub.settle();
    const [anyChoice] = buttons(calls("chat.postEphemeral")[0]!.args.blocks);
    const { responseUrl } = await press(hub, "U0MAX", {
      action_id: "codex:env:env_secret",
      value: anyChoice!.value,
    });
    await hub.settle();
    const answer = fakes.responses.find((r) => r.url === responseUrl)!.body;
    expect(answer).toMatchObject({ response_type: "ephemeral" });
    expect(String(answer.text)).toContain("The environment secret is private");
    expect(await hub.tasks()).toEqual([]);
    expect((await hub.audit()).filter((a) => a.code === "ENV_NOT_VISIBLE")).toHaveLength(1);
  });
});

describe("buttons only their owner may press", () => {
  async function queuedTaskOfMax() {
    await mention(hub, { text: `<@${BOT}> fix it in acme/web` });
    await hub.processor.drain();
    await deliverDue(hub.deps);
    const working = calls("chat.postMessage").find((c) => (c.args.text ?? "").includes("Working on it"))!;
    return buttons(working.args.blocks)[0]!;
  }

  it("'Cancel task' is refused for other members and cancels for the requester, who then gets the cancelled answer", async () => {
    const cancel = await queuedTaskOfMax();
    const other = await press(hub, "U0LEO", cancel);
    await hub.processor.drain();
    await deliverDue(hub.deps);
    expect(fakes.responses.find((r) => r.url === other.responseUrl)?.body.text).toContain(
      "Only <@U0MAX>, who asked for it, or a workspace owner or Codex Admin can cancel",
    );
    expect((await hub.tasks())[0]!.status).toBe("queued");

    await press(hub, "U0MAX", cancel);
    await hub.settle();
    expect((await hub.tasks())[0]!.status).toBe("cancelled");
    expect(runs).toBe(0);
    const final = calls("chat.postMessage").at(-1)!;
    expect(final.args.text).toContain("Cancelled");
    expect(calls("chat.update").at(-1)!.args.text).toBe("🚫 Cancelled by <@U0MAX> in web.");
  });

  it("a write the GitHub app wants confirmed: the requester confirms (a PR may be opened) or declines (the task runs without one)", async () => {
    await hub.deps.database.db
      .update(apps)
      .set({ confirmWrites: true })
      .where(and(eq(apps.workspaceId, WS), inArray(apps.kind, ["github"])));
    await invalidateSnapshot(hub.deps, WS);

    await mention(hub, { text: `<@${BOT}> fix it in acme/web` });
    await mention(hub, { text: `<@${BOT}> and this in acme/web` });
    await hub.settle();
    expect(await hub.tasks()).toEqual([]);
    const prompts = calls("chat.postEphemeral");
    expect(prompts).toHaveLength(2);
    expect(blocksText(prompts[0]!.args.blocks)).toContain("open a pull request on acme/web");
    const [confirm] = buttons(prompts[0]!.args.blocks);
    const [, decline] = buttons(prompts[1]!.args.blocks);
    expect(confirm!.action_id).toMatch(/^codex:confirm:/);
    expect(decline!.action_id).toMatch(/^codex:decline:/);

    const stranger = await press(hub, "U0NIA", confirm!);
    await hub.settle();
    expect(fakes.responses.find((r) => r.url === stranger.responseUrl)?.body.text).toContain(
      "Only the person who asked",
    );
    expect(await hub.tasks()).toEqual([]);

    await press(hub, "U0MAX", confirm!);
    await press(hub, "U0MAX", decline!);
    await hub.settle();
    const byPrompt = Object.fromEntries(
      (await hub.tasks()).map((t) => [t.prompt, JSON.parse(t.context).execution]),
    );
    expect(byPrompt["fix it in acme/web"]).toMatchObject({ repository: "acme/web", canWrite: true });
    expect(byPrompt["and this in acme/web"]).toMatchObject({
      canWrite: false,
      noWriteReason: "you chose not to let Codex open a pull request",
    });
  });
});
