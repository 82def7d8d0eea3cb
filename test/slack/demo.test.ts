import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { listSandboxOutbound } from "../../src/clients/sandbox";
import { createCommandExecutor } from "../../src/runtime/executors/command";
import { demoAgentCommand } from "../../src/runtime/executors/node-executors";
import { createWorld, type World } from "../helpers/world";

// `npm run demo` sends scripts/samples/slack-app-mention.json (team T0SANDBOX, user U0ADMIN, "in
// Codertocat/Hello-World") to a sandbox hub whose agent is the demo agent: the mention must be answered in
// its thread, with no account anywhere.

let world: World | undefined;
afterEach(() => world?.close());

describe("the sandbox demo's Slack mention", () => {
  it("is answered end to end: 👀, 'working on it', then the answer in the thread", async () => {
    world = createWorld({
      executor: createCommandExecutor({ command: demoAgentCommand(), env: { PATH: process.env.PATH ?? "" } }),
    });
    const { database } = world;
    expect(world.deps.config.sandbox).toBe(true);
    await world.ready;

    const payload = JSON.parse(
      readFileSync(new URL("../../scripts/samples/slack-app-mention.json", import.meta.url), "utf8"),
    );
    expect((await world.send.slackEvent(payload)).status).toBe(200);
    await world.settle();

    const calls = (await listSandboxOutbound(database, 50)).reverse();
    const slack = calls
      .filter((c) => c.platform === "slack")
      .map((c) => ({ op: c.operation, args: c.request as Record<string, string> }));
    const ts = payload.event.ts;
    expect(slack.find((c) => c.op === "reactions.add")?.args).toMatchObject({
      channel: "C0SANDBOX",
      timestamp: ts,
      name: "eyes",
    });
    const posts = slack.filter((c) => c.op === "chat.postMessage");
    expect(posts.map((p) => p.args.thread_ts)).toEqual([ts, ts]);
    expect(posts[0]!.args.text).toContain("Working on it in hello-world");
    expect(posts[1]!.args.text).toContain("✅ Completed: fix the flaky login test in Codertocat/Hello-World");
    // The sandbox answers with a ts, so the status message is edited to its end like on Slack.
    expect(slack.filter((c) => c.op === "chat.update").map((c) => c.args.text)).toEqual([
      "✅ Done in hello-world.",
    ]);
    expect(
      slack
        .filter((c) => c.op.startsWith("reactions."))
        .map((c) => `${c.op} ${c.args.name}`)
        .sort(),
    ).toEqual(["reactions.add eyes", "reactions.add white_check_mark", "reactions.remove eyes"]);
    expect(slack.some((c) => c.op === "chat.postEphemeral")).toBe(false);
  });
});
