import { afterEach, describe, expect, it } from "vitest";
import { linearTeamEnvironments } from "../../src/db/schema/linear";
import { createCommandExecutor } from "../../src/runtime/executors/command";
import { listTaskEvents } from "../../src/tasks/service";
import { useMockServer } from "../helpers/mock-server";
import { type LinearWorld, linearWorld, seedAcme, WS } from "./acme";
import { SESSION, TEAM } from "./linear-fake";

// An agent run by the command executor reports its steps on fd 3; they become the task's progress and, through
// the same path as Codex's events, activities in the Linear agent session that asked.

const server = useMockServer();
let hub: LinearWorld;
afterEach(() => hub?.close());

describe("steps of a command agent", () => {
  it("reach the task's progress and the Linear agent session", async () => {
    const executor = createCommandExecutor({
      command: `printf '%s\\n' '{"step": "Running the tests"}' 'garbage' >&3; echo "The test now waits for the redirect."`,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
    });
    hub = linearWorld(server, undefined, { executor });
    await seedAcme(hub);
    await hub.database.db
      .insert(linearTeamEnvironments)
      .values({ workspaceId: WS, teamId: TEAM, environmentId: "env_web", updatedAt: hub.clock.now() });
    expect((await hub.deliver("agent-session-created")).status).toBe(200);
    await hub.settle();

    const [task] = await hub.tasks();
    expect(task).toMatchObject({ status: "completed", answer: "The test now waits for the redirect." });
    const events = await listTaskEvents(hub.deps, task!.id);
    expect(events.map(({ type, text }) => ({ type, text }))).toEqual([
      { type: "step", text: "Running the tests" },
      { type: "status", text: expect.stringContaining("Skipped 1 line(s) on the progress channel") },
    ]);

    const session = hub.activities().filter((a) => a.agentSessionId === SESSION);
    const step = session.findIndex(
      (a) => a.content.type === "thought" && a.content.body === "Running the tests",
    );
    expect(step).toBeGreaterThan(-1);
    expect(step).toBeLessThan(session.findIndex((a) => a.content.type === "response"));
  });
});
