import { afterEach, describe, expect, it } from "vitest";
import { BOT, slackWorkerWorld } from "./slack-world";

// @Codex in Slack, end to end on the Worker: a signed mention in, D1, the queue consumer (processor, task
// runner with the http executor, outbox), the runner's callback landing on the Worker, and the reply posted
// to Slack's Web API (msw fakes answering the Worker's fetches).

const ANSWER = "Fixed the flaky login test: the redirect now waits for the session cookie.";
let restore = () => {};
afterEach(() => restore());

describe("a Slack mention on the Worker", () => {
  it("runs on the http runner and posts the runner's answer in the thread", async () => {
    const acme = await slackWorkerWorld();
    restore = acme.fakes.restore;
    const { world, slack, dispatched } = acme;
    const res = await acme.mention(`<@${BOT}> fix the flaky login test in acme/web`);
    expect(res.status).toBe(200);
    await world.settle();

    expect(dispatched).toHaveLength(1);
    const taskId = dispatched[0]!.task.id;
    expect(dispatched[0]!.task.prompt).toBe("fix the flaky login test in acme/web");
    expect((await world.tasks())[0]).toMatchObject({
      id: taskId,
      status: "running",
      environmentId: "env_web",
    });
    // While it runs: 👀 on the mention and a "working on it" reply in its thread.
    expect(slack.calls.filter((c) => c.method === "reactions.add").map((c) => c.args.name)).toEqual(["eyes"]);

    const done = await acme.callback(taskId, { type: "result", answer: ANSWER });
    expect(done.status).toBe(200);
    await world.settle();

    expect((await world.tasks())[0]).toMatchObject({ status: "completed" });
    const replies = slack.calls.filter((c) => c.method === "chat.postMessage" || c.method === "chat.update");
    expect(
      replies.some((c) => `${c.args.text} ${c.args.blocks}`.includes("Fixed the flaky login test")),
    ).toBe(true);
    expect(replies.every((c) => c.args.channel === "C_GENERAL")).toBe(true);
    expect(acme.fakes.unhandled).toEqual([]);
    expect((await world.outbox()).every((row) => row.status === "sent")).toBe(true);
  });
});
