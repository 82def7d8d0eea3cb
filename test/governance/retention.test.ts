import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { complianceLogFiles } from "../../src/db/schema/compliance";
import { sweepGovernance } from "../../src/governance/retention";
import { manualClock } from "../../src/lib/clock";
import { createTask } from "../../src/tasks/service";
import { adminClient, expectEnvelope } from "../admin/helpers";
import { createWorld, type World } from "../helpers/world";
import { ACME, seedWorkspace } from "../helpers/world-seed";
import { newTask } from "../tasks/fixtures";

// Retention periods (days) for task text and compliance log files, set through the admin API and applied by
// the hourly sweep; and zero data retention turned on for a workspace that already has finished tasks.

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 1, 10, 0, 0);

let hub: World;
beforeEach(async () => {
  hub = createWorld({ clock: manualClock(T0), agent: (task) => `Answer to ${task.prompt}` });
  await seedWorkspace(hub.deps, { owner: { id: "mem_olga", email: "olga@acme.test" } });
});
afterEach(() => hub.close());

async function finishedTask(prompt: string) {
  const { task } = await createTask(
    hub.deps,
    newTask({ workspaceId: ACME, requesterMemberId: "mem_olga", prompt }),
  );
  await hub.taskRunner.drain();
  return task.id;
}

const admin = () => adminClient(hub);

describe("retention settings", () => {
  it("are read and changed through the admin API, validated and audited", async () => {
    expect(await admin().ok("GET", `/workspaces/${ACME}/retention`)).toEqual({
      taskContentDays: null,
      complianceLogDays: null,
    });
    const after = await admin().ok("PATCH", `/workspaces/${ACME}/retention`, { taskContentDays: 30 });
    expect(after).toEqual({ taskContentDays: 30, complianceLogDays: null });
    expect(hub.audit("retention.update")).toEqual([
      expect.objectContaining({
        actor: "api_key:bootstrap",
        before: { taskContentDays: null, complianceLogDays: null },
        after: { taskContentDays: 30, complianceLogDays: null },
      }),
    ]);
    for (const body of [{}, { taskContentDays: 0 }, { taskContentDays: 1.5 }, { keepForever: true }]) {
      const res = await admin().call("PATCH", `/workspaces/${ACME}/retention`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expectEnvelope(res.body, "invalid_body");
    }
    expect((await admin().call("GET", "/workspaces/ws_nope/retention")).status).toBe(404);
  });
});

describe("the hourly sweep", () => {
  it("erases the text of tasks finished longer ago than the workspace keeps it", async () => {
    const old = await finishedTask("old request");
    hub.clock.advance(2 * DAY);
    const recent = await finishedTask("recent request");
    await sweepGovernance(hub.deps);
    expect(hub.task(old).prompt).toBe("old request");

    await admin().ok("PATCH", `/workspaces/${ACME}/retention`, { taskContentDays: 1 });
    const swept = await sweepGovernance(hub.deps);
    expect(swept.tasksErased).toBe(1);
    expect(hub.task(old)).toMatchObject({
      prompt: "",
      answer: null,
      contentErasure: "retention",
      status: "completed",
    });
    expect(hub.task(recent)).toMatchObject({ prompt: "recent request", answer: "Answer to recent request" });
    expect((await sweepGovernance(hub.deps)).tasksErased).toBe(0);
  });

  it("drops closed compliance log files older than the workspace keeps them, never the open one", async () => {
    await finishedTask("day one");
    hub.clock.advance(3 * DAY);
    await finishedTask("day four");
    hub.clock.advance(2 * 3_600_000);
    await finishedTask("day four, later");
    await admin().ok("PATCH", `/workspaces/${ACME}/retention`, { complianceLogDays: 2 });
    const swept = await sweepGovernance(hub.deps);
    expect(swept.logFilesSealed).toBeGreaterThanOrEqual(2);
    expect(swept.logFilesDeleted).toBe(1);
    const kept = hub.rows(complianceLogFiles);
    expect(kept).toHaveLength(1);
    expect(kept[0]!.content).toContain("day four");
    expect(kept[0]!.content).not.toContain("day one");
  });

  it("erases finished tasks' text when a workspace turns zero data retention on", async () => {
    const before = await finishedTask("asked before the switch");
    await admin().ok("PATCH", `/workspaces/${ACME}/toggles`, { zeroDataRetention: true });
    expect(hub.task(before).prompt).toBe("asked before the switch");
    const swept = await sweepGovernance(hub.deps);
    expect(swept.tasksErased).toBe(1);
    expect(hub.task(before)).toMatchObject({ prompt: "", contentErasure: "zero_data_retention" });
    // Tasks from then on lose their text as soon as they have nothing left to send (these reply nowhere).
    const after = await finishedTask("asked after the switch");
    expect(hub.task(after)).toMatchObject({ prompt: "", contentErasure: "zero_data_retention" });
  });
});
