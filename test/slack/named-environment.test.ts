import { eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { environments } from "../../src/db/schema/access";
import { invalidateSnapshot } from "../../src/workspace/snapshot";
import { useWorld, type World } from "../helpers/world";
import { seedAcme, slackWorld, WS } from "./acme";
import { BOT, blocksText, buttons, mention } from "./requests";
import type { SlackFake } from "./slack-fake";

// `env:<name>` in a mention is the person's choice of where the work runs: a name they cannot use stops the
// request with a refusal only they see, and nothing runs anywhere else. A private environment they cannot see
// is refused in the same words as one that does not exist.

let hub: World;
let fakes: SlackFake;
let runs: string[];
useWorld(
  (server) =>
    slackWorld(server, {
      agent: (task) => {
        runs.push(task.environmentId ?? "");
        return "done";
      },
    }),
  (fresh) => ({ world: hub, fakes } = fresh),
);
beforeEach(async () => {
  runs = [];
  await seedAcme(hub);
});

const calls = (method: string) => fakes.calls.filter((c) => c.method === method);

/** Leaves Max one environment that can run (web): docs is one GitHub does not let him read. */
async function onlyWebRunnable() {
  await hub.deps.database.db.delete(environments).where(eq(environments.id, "env_api"));
  await invalidateSnapshot(hub.deps, WS);
}

async function refusalFor(text: string) {
  await mention(hub, { text });
  await hub.settle();
  const [said, ...more] = calls("chat.postEphemeral");
  expect(more).toEqual([]);
  expect(said!.args).toMatchObject({ channel: "C_GENERAL", user: "U0MAX" });
  expect(await hub.tasks()).toEqual([]);
  expect(runs).toEqual([]);
  expect(calls("chat.postMessage")).toEqual([]);
  expect(calls("reactions.add")).toEqual([]);
  expect(buttons(said!.args.blocks)).toEqual([]);
  return blocksText(said!.args.blocks);
}

describe("a mention naming an environment the member cannot use", () => {
  it("a name that does not exist: refused with the names to use instead, not run in the only other one", async () => {
    await onlyWebRunnable();
    const shown = await refusalFor(`<@${BOT}> env:nope fix the login test`);
    expect(shown).toContain("No environment named “nope” is available to you.");
    expect(shown).toContain("*Next step:* Environments you can use: web.");
    expect(shown).toContain("`/codex env list`");
    expect(shown).not.toContain("Working on it");
  });

  it("a private environment of someone else: the same words as a name that does not exist", async () => {
    await onlyWebRunnable();
    const secret = await refusalFor(`<@${BOT}> env:secret fix the login test`);
    fakes.calls.length = 0;
    const nope = await refusalFor(`<@${BOT}> env:nope fix the login test`);
    expect(secret).toContain("No environment named “secret” is available to you.");
    expect(secret.replace("secret", "nope")).toBe(nope);
    expect(secret).not.toMatch(/private|collaborator/i);
  });

  it("with several environments left: refused, not asked to pick among them", async () => {
    const shown = await refusalFor(`<@${BOT}> env:"api prod" fix the login test in acme/web`);
    expect(shown).toContain("No environment named “api prod” is available to you.");
    expect(shown).toContain("Environments you can use: api, web.");
  });

  it("the creator of the private environment names it and the task runs there", async () => {
    await mention(hub, { user: "U0OLGA", text: `<@${BOT}> env:secret fix the login test` });
    await hub.settle();
    expect(calls("chat.postEphemeral")).toEqual([]);
    expect(runs).toEqual(["env_secret"]);
  });
});
