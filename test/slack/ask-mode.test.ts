import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { apps } from "../../src/db/schema/access";
import { createCommandExecutor } from "../../src/runtime/executors/command";
import { invalidateSnapshot } from "../../src/workspace/snapshot";
import { useWorld, type World } from "../helpers/world";
import { setToggles } from "../helpers/world-seed";
import { seedAcme, slackWorld, WS } from "./acme";
import { BOT, blocksText, mention } from "./requests";
import type { SlackFake } from "./slack-fake";

// Ask mode from Slack, end to end: a signed mention starting with `ask:` (or an environment whose default is
// Ask) runs a real command agent with TASK_MODE=ask, and the thread is told it is an Ask task.

let hub: World;
let fakes: SlackFake;
useWorld(
  (server) =>
    slackWorld(server, {
      // A real process: its answer is the mode it was given and the request it read on stdin.
      executor: createCommandExecutor({
        command: `printf 'TASK_MODE=%s\\n' "$TASK_MODE"; head -n 3`,
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
      }),
    }),
  (fresh) => ({ world: hub, fakes } = fresh),
);
beforeEach(async () => {
  await seedAcme(hub);
  await setToggles(hub.deps, WS, { slackFullAnswers: true });
});

const posts = () => fakes.calls.filter((c) => c.method === "chat.postMessage");
const setDefaultMode = async (mode: string) =>
  hub.admin(`/workspaces/${WS}/environments/env_web`, {
    method: "PATCH",
    body: JSON.stringify({ defaultMode: mode }),
  });

describe("ask: in a Slack mention", () => {
  it("runs the agent in Ask mode with the prefix removed, and the thread hears it is an Ask task", async () => {
    await mention(hub, { text: `<@${BOT}> ask: why does the login test flake in acme/web?` });
    await hub.settle();
    const [task] = hub.tasks();
    expect(task).toMatchObject({ status: "completed", mode: "ask", environmentId: "env_web" });
    expect(task!.prompt).toBe("why does the login test flake in acme/web?");
    expect(task!.answer).toContain("TASK_MODE=ask");
    expect(task!.answer).toContain("# Request\n\nwhy does the login test flake");
    const [working, answer] = posts();
    expect(working!.args.text).toContain("Working on it in web (Ask mode)");
    expect(blocksText(answer!.args.blocks)).toContain("TASK_MODE=ask");
  });

  it("runs without a prefix in Code mode, as every task did before modes", async () => {
    await mention(hub, { text: `<@${BOT}> fix the login test in acme/web` });
    await hub.settle();
    const [task] = hub.tasks();
    expect(task).toMatchObject({ mode: "code" });
    expect(task!.answer).toContain("TASK_MODE=code");
    expect(posts()[0]!.args.text).not.toContain("Ask mode");
  });

  it("follows the environment's default mode, which code: overrides", async () => {
    expect((await setDefaultMode("ask")).status).toBe(200);
    await mention(hub, { text: `<@${BOT}> what does the session cookie do in acme/web?` });
    await mention(hub, { text: `<@${BOT}> code: fix the session cookie in acme/web` });
    await hub.settle();
    const byPrompt = Object.fromEntries(hub.tasks().map((t) => [t.prompt, t]));
    expect(byPrompt["what does the session cookie do in acme/web?"]).toMatchObject({ mode: "ask" });
    expect(byPrompt["what does the session cookie do in acme/web?"]!.answer).toContain("TASK_MODE=ask");
    expect(byPrompt["fix the session cookie in acme/web"]).toMatchObject({ mode: "code" });
    expect(byPrompt["fix the session cookie in acme/web"]!.answer).toContain("TASK_MODE=code");
  });

  it("asks no pull-request confirmation of an Ask task, since it writes nothing", async () => {
    await hub.deps.database.db
      .update(apps)
      .set({ confirmWrites: true })
      .where(and(eq(apps.workspaceId, WS), eq(apps.kind, "slack")));
    await invalidateSnapshot(hub.deps, WS);
    await mention(hub, { text: `<@${BOT}> ask: where is the login redirect in acme/web?` });
    await hub.settle();
    expect(hub.tasks()).toEqual([expect.objectContaining({ mode: "ask", status: "completed" })]);
    expect(fakes.calls.filter((c) => c.method === "chat.postEphemeral")).toEqual([]);
  });
});
