import { afterEach, describe, expect, it } from "vitest";
import { linearTeamEnvironments } from "../../src/db/schema/linear";
import { deliverDue } from "../../src/outbox/worker";
import { setTaskLimits } from "../../src/workspace/task-limits";
import { useMockServer } from "../helpers/mock-server";
import { deferred } from "../tasks/fixtures";
import { type LinearWorld, linearWorld, seedAcme, WS } from "./acme";
import { ISSUE, SESSION, TEAM } from "./linear-fake";

// Usage limits in Linear: a request over a limit waits; the agent session is told where it stands (a thought,
// so the session stays active until the answer), a comment mention gets a reply in its thread; the task then
// runs in turn and answers as usual.

const server = useMockServer();
let hub: LinearWorld;
afterEach(() => hub?.close());

const OTHER_SESSION = "1d2c3b4a-5968-4776-8554-433221100fed";

async function start(agent: () => Promise<string>) {
  hub = linearWorld(server, agent);
  await seedAcme(hub);
  await hub.database.db
    .insert(linearTeamEnvironments)
    .values({ workspaceId: WS, teamId: TEAM, environmentId: "env_web", updatedAt: hub.clock.now() });
}

/** Processes what arrived, gives the runner a turn, and sends what was queued. */
async function turn() {
  await hub.process();
  await hub.taskRunner.tick();
  await deliverDue(hub.deps);
}

const queuedThoughts = (session: string) =>
  hub
    .activities()
    .filter((a) => a.agentSessionId === session && a.content.type === "thought")
    .map((a) => String(a.content.body))
    .filter((body) => body.includes("Queued"));

describe("an agent session over the workspace's concurrency limit", () => {
  it("gets one thought with its place in line, then its answer once the first task ends", async () => {
    const gate = deferred<void>();
    await start(async () => {
      await gate.promise;
      return "Fixed.";
    });
    await setTaskLimits(hub.deps, WS, { maxRunning: 1 }, "test");
    await hub.deliver("agent-session-created");
    await turn();
    await hub.deliver("agent-session-created", (p) => {
      p.agentSession.id = OTHER_SESSION;
    });
    await turn();
    await turn();

    expect(queuedThoughts(SESSION)).toEqual([]);
    expect(queuedThoughts(OTHER_SESSION)).toEqual([
      expect.stringContaining("Next in line; your workspace runs 1 task at a time."),
    ]);
    const [, waiting] = await hub.tasks();
    expect(queuedThoughts(OTHER_SESSION)[0]).toContain(`http://hub.test/tasks/${waiting!.id}`);

    gate.resolve();
    await hub.settle();
    expect((await hub.tasks()).map((t) => t.status)).toEqual(["completed", "completed"]);
    const responses = hub.activities().filter((a) => a.content.type === "response");
    expect(responses.map((r) => r.agentSessionId).sort()).toEqual([OTHER_SESSION, SESSION].sort());
  });
});

describe("a comment mention over the daily task limit", () => {
  it("gets a reply in its thread saying when the limit resets, and is answered after 00:00 UTC", async () => {
    await start(async () => "Added the test.");
    await setTaskLimits(hub.deps, WS, { tasksPerDay: 1 }, "test");
    await hub.deliver("agent-session-created");
    await hub.settle();
    await hub.deliver("comment-create");
    await turn();

    const told = hub.comments().filter((c) => String(c.body).includes("Queued"));
    expect(told).toEqual([
      expect.objectContaining({
        issueId: ISSUE,
        parentId: "c0ffee00-1111-4222-8333-444455556666",
        body: expect.stringContaining(
          "Your workspace has used its 1 task for today; this one starts after 00:00 UTC.",
        ),
      }),
    ]);
    await hub.settle();
    expect((await hub.tasks()).map((t) => t.status)).toEqual(["completed", "queued"]);

    hub.clock.set((Math.floor(hub.clock.now() / 86_400_000) + 1) * 86_400_000);
    await hub.settle();
    expect((await hub.tasks()).map((t) => t.status)).toEqual(["completed", "completed"]);
  });
});
