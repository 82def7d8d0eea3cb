import { inArray } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { environments } from "../../src/db/schema/access";
import { slackChannelDefaults } from "../../src/db/schema/slack";
import { invalidateSnapshot } from "../../src/workspace/snapshot";
import { useWorld, type World } from "../helpers/world";
import { setToggles } from "../helpers/world-seed";
import { seedAcme, slackWorld, WS } from "./acme";
import { BOT, blocksText, buttons, mention, press, TEAM } from "./requests";
import type { SlackFake } from "./slack-fake";

// @Codex in a channel or a thread, end to end: signed Events API deliveries in, the processor, the task runner
// with an agent that answers, the outbox, and the Slack Web API (msw) out.

let hub: World;
let fakes: SlackFake;
let prompts: string[];
const ANSWER = "Fixed the flaky test: the login `redirect()` now waits for the *session* cookie.";
useWorld(
  (server) =>
    slackWorld(server, {
      agent: async (task) => {
        const { renderPrompt } = await import("../../src/tasks/prompt");
        prompts.push(renderPrompt(task));
        return { answer: ANSWER, prUrl: "https://github.test/acme/web/pull/9" };
      },
    }),
  (fresh) => ({ world: hub, fakes } = fresh),
);
beforeEach(async () => {
  prompts = [];
  await seedAcme(hub);
});

const calls = (method: string) => fakes.calls.filter((c) => c.method === method);
/** Messages posted where the whole channel sees them. */
const channelPosts = () => calls("chat.postMessage");

describe("an allowed mention", () => {
  it("reacts 👀, replies 'working on it' with the task link, then posts the full answer and PR link when the workspace allows it", async () => {
    await setToggles(hub.deps, WS, { slackFullAnswers: true });
    const { res, payload } = await mention(hub, { text: `<@${BOT}> fix the flaky login test in acme/web` });
    expect(res.status).toBe(200);
    await hub.settle();

    const [task] = await hub.tasks();
    expect(task).toMatchObject({
      status: "completed",
      environmentId: "env_web",
      requesterMemberId: expect.any(String),
    });
    expect(task!.prompt).toBe("fix the flaky login test in acme/web");
    const on = { channel: "C_GENERAL", timestamp: payload.event.ts };
    // 👀 while it runs, ✅ once it is done.
    expect(calls("reactions.add").map((c) => c.args)).toEqual([
      expect.objectContaining({ ...on, name: "eyes" }),
      expect.objectContaining({ ...on, name: "white_check_mark" }),
    ]);
    expect(calls("reactions.remove").map((c) => c.args)).toEqual([
      expect.objectContaining({ ...on, name: "eyes" }),
    ]);
    const [working, answer] = channelPosts();
    expect(channelPosts()).toHaveLength(2);
    expect(working!.args).toMatchObject({ channel: "C_GENERAL", thread_ts: payload.event.ts });
    expect(working!.args.text).toContain("Working on it");
    expect(working!.args.text).toContain(`http://hub.test/tasks/${task!.id}`);
    expect(buttons(working!.args.blocks).map((b) => b.action_id)).toEqual([`codex:cancel-task:${task!.id}`]);
    expect(answer!.args).toMatchObject({ channel: "C_GENERAL", thread_ts: payload.event.ts });
    const shown = blocksText(answer!.args.blocks);
    expect(shown).toContain("the login `redirect()` now waits for the _session_ cookie");
    expect(shown).toContain("https://github.test/acme/web/pull/9");
    // The hub's routing argument never reaches Slack.
    expect(fakes.calls.every((c) => !("_team" in c.args))).toBe(true);
    expect(calls("chat.postEphemeral")).toEqual([]);
  });

  it("posts only the task link when full answers are off (the default)", async () => {
    await mention(hub, { text: `<@${BOT}> fix the flaky login test in acme/web` });
    await hub.settle();
    const [task] = await hub.tasks();
    const answer = channelPosts()[1]!;
    const shown = `${answer.args.text}\n${blocksText(answer.args.blocks)}`;
    expect(task!.answer).toBe(ANSWER);
    expect(shown).not.toContain("redirect()");
    expect(shown).toContain(`<http://hub.test/tasks/${task!.id}|task page>`);
  });

  it("posts only the link in a channel shared with another organization, even with full answers on", async () => {
    await setToggles(hub.deps, WS, { slackFullAnswers: true });
    await mention(hub, { text: `<@${BOT}> fix it in acme/web`, channel: "C_SHARED", shared: true });
    fakes.sharedChannels.add("C_OTHER_SHARED");
    await mention(hub, { text: `<@${BOT}> fix it in acme/web`, channel: "C_OTHER_SHARED" });
    await hub.settle();
    const answers = channelPosts().filter((c) => (c.args.text ?? "").includes("Completed"));
    expect(answers.map((a) => a.args.channel).sort()).toEqual(["C_OTHER_SHARED", "C_SHARED"]);
    for (const a of answers) expect(`${a.args.text}${blocksText(a.args.blocks)}`).not.toContain("redirect()");
  });

  it("gives the agent the thread before the mention, fetched once, with bot messages marked", async () => {
    const thread = "1700000900.000100";
    fakes.threads.set(thread, [
      { type: "message", user: "U0NIA", ts: thread, text: "Login fails on Safari &amp; Firefox" },
      {
        type: "message",
        user: BOT,
        bot_id: "B1",
        ts: "1700000901.000100",
        text: "Earlier answer from Codex",
      },
      { type: "message", bot_id: "B2", subtype: "bot_message", ts: "1700000902.000100", text: "CI is red" },
      { type: "message", user: "U0MAX", ts: "1700000903.000100", text: `<@${BOT}> look at this in acme/web` },
      { type: "message", user: "U0NIA", ts: "1700000904.000100", text: "a later reply" },
    ]);
    await mention(hub, {
      text: `<@${BOT}> look at this in acme/web`,
      threadTs: thread,
      ts: "1700000903.000100",
    });
    await hub.settle();
    expect(calls("conversations.replies")).toHaveLength(1);
    const prompt = prompts[0]!;
    expect(prompt).toContain("# Context: thread");
    expect(prompt).toContain("[<@U0NIA>] Login fails on Safari & Firefox");
    expect(prompt).toContain("[Codex (bot)] Earlier answer from Codex");
    expect(prompt).toContain("[a bot] CI is red");
    expect(prompt).not.toContain("a later reply");
    // The answer goes to the thread, not to a new one.
    expect(channelPosts().every((c) => c.args.thread_ts === thread)).toBe(true);
  });

  it("treats later replies in that thread as requests too, without another @mention", async () => {
    const thread = "1700000800.000100";
    await mention(hub, { text: `<@${BOT}> fix it in acme/web`, ts: thread });
    await hub.settle();
    await mention(hub, {
      type: "message",
      text: "and now in acme/api please",
      threadTs: thread,
      ts: "1700000801.000100",
    });
    await mention(hub, {
      type: "message",
      text: "unrelated thread",
      threadTs: "1700000111.000100",
      ts: "1700000112.000100",
    });
    await hub.settle();
    const all = await hub.tasks();
    expect(all.map((t) => [t.environmentId, t.prompt])).toEqual([
      ["env_web", "fix it in acme/web"],
      ["env_api", "and now in acme/api please"],
    ]);
  });
});

describe("replies in a thread Codex is in", () => {
  it("go on in the thread's environment, and refuse someone outside the workspace only once", async () => {
    const thread = "1700000600.000100";
    await mention(hub, { text: `<@${BOT}> fix it in acme/web`, ts: thread });
    await hub.settle();
    await mention(hub, {
      type: "message",
      text: "also update the tests",
      threadTs: thread,
      ts: "1700000601.000100",
    });
    await mention(hub, {
      type: "message",
      user: "U0EVE",
      text: "nice!",
      threadTs: thread,
      ts: "1700000602.000100",
    });
    await mention(hub, {
      type: "message",
      user: "U0EVE",
      text: "thanks",
      threadTs: thread,
      ts: "1700000603.000100",
    });
    await hub.settle();
    expect((await hub.tasks()).map((t) => [t.environmentId, t.prompt])).toEqual([
      ["env_web", "fix it in acme/web"],
      ["env_web", "also update the tests"],
    ]);
    expect(calls("chat.postEphemeral").map((c) => c.args.user)).toEqual(["U0EVE"]);
    const refusals = (await hub.audit()).filter((a) => a.code === "UNKNOWN_ACTOR");
    expect(refusals).toHaveLength(2);
  });
});

describe("Slack retries and double deliveries", () => {
  it("starts one task for a retried event and for a message that arrives both as app_mention and as a thread message", async () => {
    const thread = "1700000700.000100";
    await mention(hub, { text: `<@${BOT}> first in acme/web`, ts: thread });
    await hub.settle();
    const { payload } = await mention(hub, {
      text: `<@${BOT}> again in acme/web`,
      threadTs: thread,
      ts: "1700000701.000100",
    });
    for (const retry of [1, 2, 3]) {
      const res = await mention(hub, { ...fromPayload(payload), eventId: payload.event_id, retry });
      expect(res.res.status).toBe(200);
    }
    // The same message as a `message` event (a different event id).
    await mention(hub, { ...fromPayload(payload), type: "message" });
    await hub.settle();
    const all = await hub.tasks();
    expect(all).toHaveLength(2);
    // Both deliveries of the one message were processed in one claim and both are done at once: the second
    // found the task the first started, not an error to retry later.
    expect(hub.inbox().map((row) => [row.status, row.lastError])).toEqual(
      hub.inbox().map(() => ["done", null]),
    );
    expect(calls("reactions.add").filter((c) => c.args.name === "eyes")).toHaveLength(2);
    expect(channelPosts().filter((c) => (c.args.text ?? "").includes("Working on it"))).toHaveLength(2);
    expect(channelPosts().filter((c) => (c.args.text ?? "").includes("Completed"))).toHaveLength(2);
  });
});

function fromPayload(payload: ReturnType<typeof import("./requests").mentionPayload>) {
  return {
    text: payload.event.text,
    ts: payload.event.ts,
    threadTs: (payload.event as { thread_ts?: string }).thread_ts,
    user: payload.event.user as "U0MAX",
  };
}

describe("choosing the environment", () => {
  it("asks with an ephemeral picker of only the environments the member may use (not private ones, not ones GitHub says they cannot read), and starts once they pick", async () => {
    await mention(hub, { text: `<@${BOT}> fix the flaky login test` });
    await hub.settle();
    expect(await hub.tasks()).toEqual([]);
    const [picker] = calls("chat.postEphemeral");
    expect(picker!.args).toMatchObject({ channel: "C_GENERAL", user: "U0MAX" });
    const choices = buttons(picker!.args.blocks);
    expect(choices.map((b) => b.action_id)).toEqual(["codex:env:env_api", "codex:env:env_web"]);
    expect(channelPosts()).toEqual([]);

    // Someone else pressing is refused privately; nothing starts.
    const other = await press(hub, "U0NIA", choices[0]!);
    await hub.settle();
    expect(await hub.tasks()).toEqual([]);
    expect(fakes.responses.find((r) => r.url === other.responseUrl)?.body).toMatchObject({
      response_type: "ephemeral",
      text: expect.stringContaining("Only the person who asked"),
    });

    const mine = await press(hub, "U0MAX", choices[0]!);
    await hub.settle();
    const [task] = await hub.tasks();
    expect(task).toMatchObject({ environmentId: "env_api", status: "completed" });
    expect(fakes.responses.find((r) => r.url === mine.responseUrl)?.body).toMatchObject({
      replace_original: true,
    });
    // A second press of the same picker does not start another task.
    const again = await press(hub, "U0MAX", choices[1]!);
    await hub.settle();
    expect(await hub.tasks()).toHaveLength(1);
    expect(fakes.responses.find((r) => r.url === again.responseUrl)?.body.text).toContain("already answered");
  });

  it("uses the channel's default environment, and the member's only usable one", async () => {
    await hub.deps.database.db.insert(slackChannelDefaults).values({
      workspaceId: WS,
      teamId: TEAM,
      channelId: "C_WEB",
      environmentId: "env_api",
      updatedAt: 1,
    });
    await mention(hub, { text: `<@${BOT}> fix it`, channel: "C_WEB" });
    await hub.settle();
    expect((await hub.tasks()).map((t) => t.environmentId)).toEqual(["env_api"]);

    // With api and docs made private, web is the only environment Max can use: no question asked.
    await hub.deps.database.db
      .update(environments)
      .set({ visibility: "private" })
      .where(inArray(environments.id, ["env_api", "env_docs"]));
    await invalidateSnapshot(hub.deps, WS);
    await mention(hub, { text: `<@${BOT}> fix it`, channel: "C_OTHER" });
    await hub.settle();
    expect((await hub.tasks()).map((t) => t.environmentId)).toEqual(["env_api", "env_web"]);
    expect(calls("chat.postEphemeral")).toEqual([]);
  });
});
