import { beforeEach, describe, expect, it } from "vitest";
import { deliverDue } from "../../src/outbox/worker";
import { setLimitOverride, setTaskLimits } from "../../src/workspace/task-limits";
import { useWorld, type World } from "../helpers/world";
import { deferred } from "../tasks/fixtures";
import { MEMBERS, seedAcme, slackWorld, WS } from "./acme";
import { BOT, command, mention } from "./requests";
import type { SlackFake } from "./slack-fake";

// Usage limits in Slack: a mention over a limit is not dropped; it waits, the thread is told once where it
// stands, and it runs in turn like any other. `/codex limits` reads and changes the limits, audited.

let hub: World;
let fakes: SlackFake;
/** Tasks run until the test lets them finish. */
let gate: ReturnType<typeof deferred<void>>;
useWorld(
  (server) =>
    slackWorld(server, {
      agent: async (task) => {
        await gate.promise;
        return `Done: ${task.prompt}`;
      },
    }),
  (fresh) => ({ world: hub, fakes } = fresh),
);
beforeEach(async () => {
  gate = deferred<void>();
  await seedAcme(hub, {}, { linkSlack: true });
});

/** What the thread of a mention received, in order. */
const thread = (ts: string) =>
  fakes.calls
    .filter((c) => c.method === "chat.postMessage" && c.args.thread_ts === ts)
    .map((c) => c.args.text ?? "");

/** Mentions Codex as `user`, processes it, lets the runner take its turn, and sends what was queued. */
async function ask(user: "U0MAX" | "U0ADA" | "U0OLGA", text: string) {
  const { payload } = await mention(hub, { user, text: `<@${BOT}> ${text}` });
  await hub.process();
  await hub.taskRunner.tick();
  await deliverDue(hub.deps);
  return payload.event.ts;
}

describe("a mention over the workspace's concurrency limit", () => {
  it("waits, is told its place in line once, and runs in turn with a normal answer", async () => {
    await setTaskLimits(hub.deps, WS, { maxRunning: 1 }, "test");
    const first = await ask("U0MAX", "fix the login test in acme/web");
    const second = await ask("U0ADA", "update the README in acme/api");
    const third = await ask("U0OLGA", "bump the version in acme/web");

    expect(thread(first).some((t) => t.includes("Queued"))).toBe(false);
    const told = (ts: string) => thread(ts).filter((t) => t.includes("Queued"));
    expect(told(second)).toEqual([
      expect.stringContaining("Next in line; your workspace runs 1 task at a time."),
    ]);
    expect(told(third)).toEqual([
      expect.stringContaining("2nd in line; your workspace runs 1 task at a time."),
    ]);
    const [, waiting] = await hub.tasks();
    expect(told(second)[0]).toContain(`http://hub.test/tasks/${waiting!.id}`);

    // Later turns of the runner tell nobody again.
    await hub.taskRunner.tick();
    await deliverDue(hub.deps);
    expect(told(second)).toHaveLength(1);
    expect(told(third)).toHaveLength(1);

    gate.resolve();
    await hub.settle();
    expect((await hub.tasks()).map((t) => t.status)).toEqual(["completed", "completed", "completed"]);
    for (const ts of [first, second, third]) {
      expect(thread(ts).at(-1)).toContain("Completed");
    }
  });

  it("names the limit that holds the request: a person's own, or their environment's", async () => {
    await setLimitOverride(hub.deps, WS, "member", MEMBERS.U0MAX, { maxRunning: 1 }, "test");
    await setLimitOverride(hub.deps, WS, "environment", "env_api", { maxRunning: 1 }, "test");
    await ask("U0MAX", "first thing in acme/web");
    const mine = await ask("U0MAX", "second thing in acme/web");
    await ask("U0ADA", "first thing in acme/api");
    const api = await ask("U0OLGA", "second thing in acme/api");
    expect(thread(mine).find((t) => t.includes("Queued"))).toContain(
      "Next in line; you can run 1 task at a time.",
    );
    expect(thread(api).find((t) => t.includes("Queued"))).toContain(
      "Next in line; the environment api runs 1 task at a time.",
    );
    gate.resolve();
    await hub.settle();
  });
});

describe("a mention over a daily limit", () => {
  it("says the limit is used and when it resets, then starts after 00:00 UTC", async () => {
    gate.resolve();
    await setTaskLimits(hub.deps, WS, { tasksPerDay: 1 }, "test");
    const first = await ask("U0MAX", "fix the login test in acme/web");
    await hub.settle();
    const second = await ask("U0ADA", "update the README in acme/api");
    expect(thread(second).find((t) => t.includes("Queued"))).toContain(
      "Your workspace has used its 1 task for today; this one starts after 00:00 UTC.",
    );
    await hub.settle();
    const [, waiting] = await hub.tasks();
    expect(waiting!.status).toBe("queued");

    // The next UTC day: it starts on its own.
    hub.clock.set((Math.floor(hub.clock.now() / 86_400_000) + 1) * 86_400_000);
    await hub.settle();
    expect((await hub.tasks()).map((t) => t.status)).toEqual(["completed", "completed"]);
    expect(thread(first).at(-1)).toContain("Completed");
    expect(thread(second).at(-1)).toContain("Completed");
  });
});

describe("/codex limits", () => {
  async function run(text: string, user: "U0OLGA" | "U0MAX") {
    const { responseUrl } = await command(hub, text, user);
    await hub.process();
    await deliverDue(hub.deps);
    return String(fakes.responses.find((r) => r.url === responseUrl)?.body.text ?? "");
  }

  it("lets an owner set a limit of the workspace, an environment, a group or a person, audited", async () => {
    expect(await run("limits set tasks-per-day 50", "U0OLGA")).toMatch(
      /Tasks per day in the workspace: `none` → `50`/,
    );
    expect(await run("limits set max-running 1 env web", "U0OLGA")).toMatch(
      /Tasks running at once of environment web: `none` → `1`/,
    );
    expect(await run("limits set reviews-per-day 5 group Builders", "U0OLGA")).toMatch(
      /Code reviews per day of group Builders: `none` → `5`/,
    );
    expect(await run("limits set tasks 3 for <@U0MAX|max>", "U0OLGA")).toMatch(
      /Tasks per day of <@U0MAX>: `none` → `3`/,
    );
    const shown = await run("limits", "U0MAX");
    expect(shown).toContain("Workspace: 4 at a time (2 per environment), 50 tasks a day, no review limit");
    expect(shown).toContain("environment *web*: 1 at a time");
    expect(shown).toContain("group *Builders*: 5 reviews a day");
    expect(shown).toContain("member *max@acme.test*: 3 tasks a day");

    expect(hub.audit("task_limits.change")).toEqual([
      expect.objectContaining({
        actor: `member:${MEMBERS.U0OLGA}`,
        before: { maxRunning: 4, maxRunningPerEnvironment: 2 },
        after: { maxRunning: 4, maxRunningPerEnvironment: 2, tasksPerDay: 50 },
      }),
    ]);
    const overrides = hub.audit("task_limits.override.set");
    expect(overrides.map((a) => a.target)).toEqual([
      "environment:env_web",
      expect.stringMatching(/^group:grp_/),
      `member:${MEMBERS.U0MAX}`,
    ]);
    expect(overrides.map((a) => a.after)).toEqual([
      { maxRunning: 1 },
      { reviewsPerDay: 5 },
      { tasksPerDay: 3 },
    ]);

    expect(await run("limits set tasks-per-day off", "U0OLGA")).toMatch(/`50` → `none`/);
  });

  it("refuses a member, a value out of range and an unknown limit, changing nothing", async () => {
    expect(await run("limits set tasks-per-day 50", "U0MAX")).toMatch(/needs a workspace owner/);
    expect(await run("limits set max-running 0", "U0OLGA")).toMatch(/Tasks running at once: .*1/);
    expect(await run("limits set speed 3", "U0OLGA")).toMatch(/Unknown limit `speed`/);
    expect(await run("limits set max-running 2 env nowhere", "U0OLGA")).toMatch(
      /No environment named `nowhere`/,
    );
    expect(hub.audit("task_limits.change")).toEqual([]);
    expect(hub.audit("task_limits.override.set")).toEqual([]);
  });
});
