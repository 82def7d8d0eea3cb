import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { auditLog } from "../../src/db/schema/audit";
import { inbox } from "../../src/db/schema/inbox";
import { linearSessions, linearTeamEnvironments } from "../../src/db/schema/linear";
import { storedPayload } from "../../src/inbox/payload-codec";
import type { LinearEvent } from "../../src/ingress/events";
import { linearPort } from "../../src/ingress/linear/port";
import { deliverDue } from "../../src/outbox/worker";
import { STOPPED_IDLE, STOPPED_PENDING } from "../../src/surfaces/linear/wording";
import type { ExecutionContext } from "../../src/tasks/executors/types";
import { useMockServer } from "../helpers/mock-server";
import type { Json } from "../ingress/deliveries";
import { type LinearWorld, linearWorld, seedAcme, WS } from "./acme";
import { ADA, GRACE, SESSION, TEAM } from "./linear-fake";

const server = useMockServer();
let hub: LinearWorld;
afterEach(() => hub?.close());

/** The prompted fixture as Linear sends it when someone presses stop in the session. */
const stop =
  (edit: (payload: Json) => void = () => {}) =>
  (payload: Json) => {
    payload.agentActivity.signal = "stop";
    edit(payload);
  };

async function teamDefault(environmentId = "env_web") {
  await hub.database.db
    .insert(linearTeamEnvironments)
    .values({ workspaceId: WS, teamId: TEAM, environmentId, updatedAt: hub.clock.now() });
}

/** An executor that works until it is told to stop, remembering why it was stopped. */
function untilStopped() {
  let started!: () => void;
  const running = new Promise<void>((resolve) => {
    started = resolve;
  });
  const seen: { reason?: unknown } = {};
  const behaviour = (_task: unknown, context: ExecutionContext) => {
    started();
    return new Promise<never>((_, reject) => {
      context.signal.addEventListener(
        "abort",
        () => {
          seen.reason = context.signal.reason;
          reject(new Error("stopped"));
        },
        { once: true },
      );
    });
  };
  return { running, seen, behaviour };
}

/**
 * A session whose task is running (until it is stopped). Returns the agent, the runner's drain to await after
 * the stop, and how many calls Linear had received once the session's start-up messages went out.
 */
async function runningSession() {
  const agent = untilStopped();
  hub = linearWorld(server, agent.behaviour);
  await seedAcme(hub);
  await teamDefault();
  await hub.deliver("agent-session-created");
  await hub.processor.drain();
  const draining = hub.taskRunner.drain();
  await agent.running;
  // What the session was told while starting (the "working in" thought) goes out before the stop.
  await deliverDue(hub.deps);
  return { agent, draining, before: hub.fake.calls.length };
}

/** Activities of the session sent after the first `n` calls Linear received. */
const activitiesAfter = (n: number) =>
  hub.fake.calls
    .slice(n)
    .filter((c) => c.op === "createAgentActivity")
    .map((c) => c.variables.input.content as { type: string; body?: string });

async function session() {
  const [row] = await hub.database.db
    .select()
    .from(linearSessions)
    .where(eq(linearSessions.sessionId, SESSION));
  return row;
}

/** Runs the surface again for a stored inbox row, as after a crash before the row was marked done. */
async function rerun(eventType: string, nth = 0) {
  const rows = (await hub.database.db.select().from(inbox)).filter((r) => r.eventType === eventType);
  const row = rows[nth]!;
  const { event, body } = linearPort.normalize({
    eventType: row.eventType,
    deliveryKey: row.deliveryKey,
    payload: storedPayload(row)!,
  });
  await hub.deps.surfaces.linear.receive(hub.deps, { row, payload: body, event: event as LinearEvent });
}

describe("Linear stop signal", () => {
  it("carries `stop` on the normalized event and ignores other or malformed signals", async () => {
    hub = linearWorld(server);
    await hub.deliver("agent-session-prompted", stop());
    await hub.deliver("agent-session-prompted", (p) => {
      p.agentActivity.signal = "continue";
    });
    const odd = await hub.deliver("agent-session-prompted", (p) => {
      p.agentActivity.signal = { kind: "stop" };
    });
    expect(await odd.json()).toMatchObject({ status: "accepted" });
    const events = (await hub.database.db.select().from(inbox)).map(
      (row) =>
        linearPort.normalize({
          eventType: row.eventType,
          deliveryKey: row.deliveryKey,
          payload: storedPayload(row)!,
        }).event as Extract<LinearEvent, { kind: "agent_session" }>,
    );
    expect(events.map((e) => e.signal)).toEqual(["stop", undefined, undefined]);
    expect(events[0]).toMatchObject({ action: "prompted", creatorId: GRACE });
  });

  it("cancels the running task, aborts its executor, and ends the session with one response", async () => {
    const { agent, draining, before } = await runningSession();

    await hub.deliver("agent-session-prompted", stop());
    await hub.processor.drain();
    await draining;
    await hub.settle();

    const rows = await hub.tasks();
    expect(rows).toHaveLength(1);
    // Grace (not yet linked) pressed stop on Ada's task: honoured on the workspace's behalf, the audit names her.
    expect(rows[0]).toMatchObject({ status: "cancelled", cancelledBy: "admin", error: null });
    expect((agent.seen.reason as { reason?: string }).reason).toBe("cancel");
    expect(hub.runs).toHaveLength(1);
    const [audit] = await hub.database.db.select().from(auditLog).where(eq(auditLog.action, "task.cancel"));
    expect(audit).toMatchObject({ actor: `linear:${GRACE}`, target: rows[0]!.id });

    // Nothing but the one final activity after the stop: no acknowledgement, no second answer.
    const after = activitiesAfter(before);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ type: "response" });
    expect(after[0]!.body).toContain("cancelled");
    expect(after[0]!.body).toContain(`http://hub.test/tasks/${rows[0]!.id}`);
    expect(await session()).toMatchObject({ state: "closed", taskId: rows[0]!.id });
  });

  it("cancels as the requester's own cancel when the requester presses stop", async () => {
    const { draining } = await runningSession();

    await hub.deliver(
      "agent-session-prompted",
      stop((p) => {
        p.agentActivity.userId = ADA;
      }),
    );
    await hub.processor.drain();
    await draining;
    expect(await hub.tasks()).toEqual([
      expect.objectContaining({ status: "cancelled", cancelledBy: "mem_ada" }),
    ]);
  });

  it("cancels a task still queued, so it never runs", async () => {
    hub = linearWorld(server);
    await seedAcme(hub);
    await teamDefault();
    await hub.deliver("agent-session-created");
    await hub.processor.drain();
    await hub.deliver("agent-session-prompted", stop());
    await hub.settle();
    expect(await hub.tasks()).toEqual([expect.objectContaining({ status: "cancelled" })]);
    expect(hub.runs).toHaveLength(0);
    const types = hub.activities().map((a) => a.content.type);
    expect(types.filter((t) => t === "response" || t === "error")).toEqual(["response"]);
  });

  it("answers once that nothing is running when the session has no work, and starts none", async () => {
    hub = linearWorld(server);
    await seedAcme(hub);
    await teamDefault();
    await hub.deliver("agent-session-prompted", stop());
    await hub.settle();
    expect(await hub.tasks()).toHaveLength(0);
    expect(hub.activities().map((a) => a.content)).toEqual([{ type: "response", body: STOPPED_IDLE }]);
    // No lookups either: Linear heard nothing but the final activity.
    expect(hub.fake.calls.map((c) => c.op)).toEqual(["createAgentActivity"]);
  });

  it("answers that nothing is running after the task already finished", async () => {
    hub = linearWorld(server);
    await seedAcme(hub);
    await teamDefault();
    await hub.deliver("agent-session-created");
    await hub.settle();
    const before = hub.fake.calls.length;
    await hub.deliver("agent-session-prompted", stop());
    await hub.settle();
    expect(await hub.tasks()).toEqual([expect.objectContaining({ status: "completed" })]);
    expect(activitiesAfter(before)).toEqual([{ type: "response", body: STOPPED_IDLE }]);
  });

  it("drops the request waiting for an environment, so a later answer starts afresh", async () => {
    hub = linearWorld(server);
    await seedAcme(hub);
    await hub.deliver("agent-session-created");
    await hub.settle();
    expect(hub.activities().at(-1)!.content.type).toBe("elicitation");
    await hub.deliver("agent-session-prompted", stop());
    await hub.settle();
    expect(hub.activities().at(-1)!.content).toEqual({ type: "response", body: STOPPED_PENDING });
    expect(await session()).toMatchObject({ state: "closed", pending: null, taskId: null });
    expect(await hub.tasks()).toHaveLength(0);
  });

  it("sends one activity for a stop delivered twice or processed again", async () => {
    const { draining, before } = await runningSession();

    const delivery = crypto.randomUUID();
    expect(await (await hub.deliver("agent-session-prompted", stop(), delivery)).json()).toMatchObject({
      status: "accepted",
    });
    expect(await (await hub.deliver("agent-session-prompted", stop(), delivery)).json()).toMatchObject({
      status: "duplicate",
    });
    await hub.processor.drain();
    await draining;
    await rerun("AgentSessionEvent.prompted");
    await hub.settle();

    expect(activitiesAfter(before)).toHaveLength(1);
    expect(await hub.tasks()).toEqual([expect.objectContaining({ status: "cancelled" })]);
  });

  it("sends one activity when the idle answer's step runs again", async () => {
    hub = linearWorld(server);
    await seedAcme(hub);
    await hub.deliver("agent-session-prompted", stop());
    await hub.processor.drain();
    await rerun("AgentSessionEvent.prompted");
    await hub.settle();
    expect(hub.activities()).toHaveLength(1);
  });

  it("treats a prompt with another signal as an ordinary follow-up", async () => {
    hub = linearWorld(server);
    await seedAcme(hub);
    await teamDefault();
    await hub.deliver("agent-session-created");
    await hub.settle();
    await hub.deliver("agent-session-prompted", (p) => {
      p.agentActivity.signal = "continue";
      p.agentActivity.content.body = "Also add a regression test.";
    });
    await hub.settle();
    const rows = await hub.tasks();
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.prompt === "Also add a regression test.")).toMatchObject({
      status: "completed",
      requesterMemberId: "mem_grace",
    });
    expect(hub.activities().filter((a) => a.content.type === "response")).toHaveLength(2);
  });
});
