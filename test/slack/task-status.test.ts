import { HttpResponse, http } from "msw";
import { beforeEach, describe, expect, it } from "vitest";
import { deliverDue } from "../../src/outbox/worker";
import { PROGRESS_INTERVAL_MS } from "../../src/surfaces/slack/task-status";
import { appendProgress } from "../../src/tasks/service";
import { type Agent, useWorld, type World } from "../helpers/world";
import { setToggles } from "../helpers/world-seed";
import { type Person, seedAcme, slackWorld, WS } from "./acme";
import { BOT, blocksText, buttons, mention, press } from "./requests";
import { SLACK_API, type SlackFake } from "./slack-fake";

// A Slack task seen moving where it was asked: the thread's status message edited in place with the latest step
// (throttled per task), then with how the task ended and without its Cancel button, and 👀 on the mention
// swapped for ✅, ❌ or 🚫. Progress enters where executors' progress enters (appendProgress).

let hub: World;
let fakes: SlackFake;
let agent: Agent;
const server = useWorld(
  (server) => slackWorld(server, { agent: (task, context) => agent(task, context) }),
  (fresh) => ({ world: hub, fakes } = fresh),
);
beforeEach(async () => {
  agent = () => "Fixed it.";
  await seedAcme(hub);
});

const calls = (method: string) => fakes.calls.filter((c) => c.method === method);
const updates = () => calls("chat.update");
const reactions = () =>
  fakes.calls
    .filter((c) => c.method.startsWith("reactions."))
    .map((c) => `${c.method === "reactions.add" ? "+" : "-"}${c.args.name}`);

/** Max asks in #general; the status message is posted, the task is queued and has not run yet. */
async function posted(user: Person = "U0MAX") {
  const { payload } = await mention(hub, { user, text: `<@${BOT}> fix the flaky test in acme/web` });
  await hub.process();
  await deliverDue(hub.deps);
  const [task] = await hub.tasks();
  const status = calls("chat.postMessage").find((c) => (c.args.text ?? "").includes("Working on it"))!;
  return { task: task!, ts: payload.event.ts, status };
}

const step = (taskId: string, text: string, type = "command") =>
  appendProgress(hub.deps, taskId, { type, text });

describe("the status message while the task runs", () => {
  it("is edited in place with the current step, keeping its Cancel button", async () => {
    await setToggles(hub.deps, WS, { slackFullAnswers: true });
    const { task } = await posted();
    await step(task.id, "$ npm test (exit 1)");
    await deliverDue(hub.deps);

    // The message Slack posted, by the ts it answered with (kept by the outbox).
    const postedRow = hub.outbox().find((r) => r.dedupeKey === `slack:working:${task.id}`)!;
    const [update] = updates();
    expect(update!.args).toMatchObject({ channel: "C_GENERAL", ts: JSON.parse(postedRow.response!).ts });
    const shown = blocksText(update!.args.blocks);
    expect(shown).toContain("Working on it in *web*");
    expect(shown).toContain("Ran `npm test (exit 1)`");
    expect(buttons(update!.args.blocks).map((b) => b.action_id)).toEqual([`codex:cancel-task:${task.id}`]);
    expect(update!.args.text).toMatch(/^👀 Working on it in web\. Now: Ran npm test \(exit 1\)\./);
  });

  it("edits at most once per interval: a second step within it is skipped, one after it shows", async () => {
    await setToggles(hub.deps, WS, { slackFullAnswers: true });
    const { task } = await posted();
    await step(task.id, "$ npm ci");
    await deliverDue(hub.deps);
    hub.clock.advance(PROGRESS_INTERVAL_MS - 1);
    await step(task.id, "$ npm test");
    await deliverDue(hub.deps);
    expect(updates()).toHaveLength(1);

    hub.clock.advance(1);
    await step(task.id, "$ npm run lint");
    await deliverDue(hub.deps);
    expect(updates().map((u) => blocksText(u.args.blocks).split("\n")[1])).toEqual([
      "⏳ Ran `npm ci`",
      "⏳ Ran `npm run lint`",
    ]);
  });

  it("waits for the previous edit to reach Slack before queueing another", async () => {
    const { task } = await posted();
    await step(task.id, "$ npm ci");
    hub.clock.advance(PROGRESS_INTERVAL_MS);
    await step(task.id, "$ npm test");
    await deliverDue(hub.deps);
    expect(updates()).toHaveLength(1);
  });

  it("names only the kind of step where answers are link-only, so the channel never reads the work", async () => {
    const { task } = await posted();
    await step(task.id, "$ cat secrets/prod.env");
    await deliverDue(hub.deps);
    const [update] = updates();
    expect(blocksText(update!.args.blocks)).toContain("⏳ Running commands");
    expect(JSON.stringify(update!.args)).not.toContain("secrets/prod.env");
  });

  it("shows an executor's steps before the final words, then ends in one edit", async () => {
    await setToggles(hub.deps, WS, { slackFullAnswers: true });
    const { task } = await posted();
    agent = (_task, context) => {
      context.onProgress({ type: "file_change", text: "changed src/login.ts (update)" });
      return "Fixed it.";
    };
    await hub.settle();
    const texts = updates().map((u) => blocksText(u.args.blocks));
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain("⏳ Edited src/login.ts (update)");
    expect(texts[1]).toContain("✅ Done in *web*");
    expect(texts[1]).toContain(`<http://hub.test/tasks/${task.id}|task page>`);
    expect(buttons(updates()[1]!.args.blocks)).toEqual([]);
  });
});

describe("the end of the task, where it was asked", () => {
  it("on success: the message says done, without the button, and 👀 becomes ✅", async () => {
    const { task, ts } = await posted();
    await hub.settle();
    expect((await hub.tasks())[0]!.status).toBe("completed");
    const [final] = updates();
    expect(final!.args.text).toBe("✅ Done in web.");
    expect(buttons(final!.args.blocks)).toEqual([]);
    expect(reactions()).toEqual(["+eyes", "-eyes", "+white_check_mark"]);
    for (const c of fakes.calls.filter((c) => c.method.startsWith("reactions."))) {
      expect(c.args).toMatchObject({ channel: "C_GENERAL", timestamp: ts });
    }
    expect(blocksText(final!.args.blocks)).toContain(task.id);
  });

  it("on failure: the message says what failed in one line, and 👀 becomes ❌", async () => {
    agent = () => {
      throw new Error("npm install failed: ERESOLVE could not resolve\n  at node_modules/.bin/npm:12");
    };
    await posted();
    await hub.settle();
    expect((await hub.tasks())[0]!.status).toBe("failed");
    const [final] = updates();
    expect(final!.args.text).toBe(
      "❌ Failed in web: The task failed: npm install failed: ERESOLVE could not resolve",
    );
    expect(blocksText(final!.args.blocks)).not.toContain("node_modules");
    expect(buttons(final!.args.blocks)).toEqual([]);
    expect(reactions()).toEqual(["+eyes", "-eyes", "+x"]);
  });

  it("when the task ends before Slack posted its message, the message is settled once it is", async () => {
    await mention(hub, { text: `<@${BOT}> fix it in acme/web` });
    await hub.process();
    await hub.taskRunner.drain();
    expect((await hub.tasks())[0]!.status).toBe("completed");
    await hub.settle();
    expect(updates().map((u) => u.args.text)).toEqual(["✅ Done in web."]);
    expect(reactions()).toEqual(["+eyes", "+white_check_mark", "-eyes"]);
  });

  it("says the end again when an edit with a step reaches Slack after it", async () => {
    const { task } = await posted();
    let failed = false;
    server.use(
      http.post(`${SLACK_API}chat.update`, () => {
        if (failed) return undefined;
        failed = true;
        return HttpResponse.json({ ok: false, error: "internal_error" }, { status: 500 });
      }),
    );
    await step(task.id, "$ npm test");
    // Half the first backoff (full jitter would make it 0 ms one time in a thousand, and the retry due at once).
    await deliverDue(hub.deps, { random: () => 0.5 });
    // The step's edit waits for its retry; the task ends and its final edit goes first.
    await hub.settle();
    expect(updates().map((u) => u.args.text)).toEqual(["✅ Done in web."]);
    hub.clock.advance(60 * 60_000);
    await hub.settle();
    expect(updates().map((u) => (u.args.text ?? "").split(".")[0])).toEqual([
      "✅ Done in web",
      "👀 Working on it in web",
      "✅ Done in web",
    ]);
  });
});

describe("the Cancel button", () => {
  async function pressCancel(user: Person) {
    const { task, status } = await posted();
    const [cancel] = buttons(status.args.blocks);
    const { responseUrl } = await press(hub, user, cancel!);
    await hub.settle();
    const answer = fakes.responses.find((r) => r.url === responseUrl)?.body;
    return { task: hub.task(task.id), answer };
  }

  it("cancels for the person who asked: the message says by whom and 👀 becomes 🚫", async () => {
    const { task, answer } = await pressCancel("U0MAX");
    expect(task.status).toBe("cancelled");
    expect(answer).toMatchObject({ response_type: "ephemeral", text: "Cancelled the task (it was queued)." });
    const [final] = updates();
    expect(final!.args.text).toBe("🚫 Cancelled by <@U0MAX> in web.");
    expect(buttons(final!.args.blocks)).toEqual([]);
    expect(reactions()).toEqual(["+eyes", "-eyes", "+no_entry_sign"]);
  });

  it.each([
    ["a Codex Admin", "U0ADA" as const, "mem_ada"],
    ["a workspace owner", "U0OLGA" as const, "mem_olga"],
  ])("cancels for %s, recorded and shown as theirs", async (_who, user, memberId) => {
    const { task } = await pressCancel(user);
    expect(task).toMatchObject({ status: "cancelled", cancelledBy: memberId });
    expect(updates()[0]!.args.text).toBe(`🚫 Cancelled by <@${user}> in web.`);
    expect(hub.audit("task.cancel")).toEqual([
      expect.objectContaining({ actor: `member:${memberId}`, target: task.id }),
    ]);
  });

  it.each([
    ["another member", "U0NIA" as const],
    ["someone outside the workspace", "U0EVE" as const],
  ])("is refused for %s, privately, saying who can cancel", async (_who, user) => {
    const { task, answer } = await pressCancel(user);
    expect(answer).toMatchObject({
      response_type: "ephemeral",
      text: "Only <@U0MAX>, who asked for it, or a workspace owner or Codex Admin can cancel this task.",
    });
    // Nothing changed in the thread: the task ran on and ended on its own.
    expect(task.status).toBe("completed");
    expect(calls("chat.postEphemeral")).toEqual([]);
    expect(hub.audit("task.cancel")).toEqual([]);
  });
});

describe("the answer in the thread", () => {
  const answerPost = () => calls("chat.postMessage").find((c) => !(c.args.text ?? "").includes("Working"))!;
  const count = (text: string, part: string) => text.split(part).length - 1;

  it("links the task page once when answers are link-only, and its preview starts with the outcome", async () => {
    const { task } = await posted();
    await hub.settle();
    const post = answerPost();
    const url = `http://hub.test/tasks/${task.id}`;
    expect(count(blocksText(post.args.blocks), url)).toBe(1);
    expect(count(post.args.text!, url)).toBe(1);
    expect(post.args.text).toBe(
      `✅ Completed: fix the flaky test in acme/web\nThe answer is on the task page: ${url}`,
    );
  });

  it("shows a pull request link once when the answer is only that link", async () => {
    await setToggles(hub.deps, WS, { slackFullAnswers: true });
    const pr = "https://github.test/acme/web/pull/9";
    agent = () => ({ answer: pr, prUrl: pr });
    const { task } = await posted();
    await hub.settle();
    const post = answerPost();
    expect(count(blocksText(post.args.blocks), pr)).toBe(1);
    expect(count(post.args.text!, pr)).toBe(1);
    expect(post.args.text).toBe(
      `✅ Completed: fix the flaky test in acme/web\n${pr}\nTask: http://hub.test/tasks/${task.id}`,
    );
  });
});
