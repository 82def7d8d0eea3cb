import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { inbox } from "../../src/db/schema/inbox";
import { linearSessions, linearTeamEnvironments } from "../../src/db/schema/linear";
import { storedPayload } from "../../src/inbox/payload-codec";
import type { LinearEvent } from "../../src/ingress/events";
import { linearPort } from "../../src/ingress/linear/port";
import { linearObjectId } from "../../src/surfaces/linear/own-objects";
import { appendProgress } from "../../src/tasks/service";
import { useMockServer } from "../helpers/mock-server";
import { type LinearWorld, linearWorld, seedAcme, WS } from "./acme";
import { SESSION, TEAM } from "./linear-fake";

const server = useMockServer();
let hub: LinearWorld;
afterEach(() => hub?.close());

/** Ada's session starts in `web` unless a test says otherwise: the team's default. */
async function teamDefault(environmentId = "env_web") {
  await hub.database.db
    .insert(linearTeamEnvironments)
    .values({ workspaceId: WS, teamId: TEAM, environmentId, updatedAt: hub.clock.now() });
}

describe("Linear agent session created", () => {
  it("acknowledges with a thought before any slow work, then ends with one response linking the task and PR", async () => {
    hub = linearWorld(server, async (task, context) => {
      // The clone and the agent: slow work, logged in the same order as Linear's calls.
      hub.fake.calls.push({ op: "executor.run", variables: { taskId: task.id }, auth: null });
      context.onProgress({ type: "command", text: "$ npm test" });
      return { answer: "The test now waits for the redirect.", prUrl: "https://github.com/acme/web/pull/7" };
    });
    await seedAcme(hub);
    await teamDefault();
    expect((await hub.deliver("agent-session-created")).status).toBe(200);
    await hub.settle();

    const order = hub.fake.calls.map((c) =>
      c.op === "createAgentActivity" ? `activity:${c.variables.input.content.type}` : c.op,
    );
    // The first thing Linear hears is the thought; the user lookup, the issue read and the run come after it.
    expect(order[0]).toBe("activity:thought");
    for (const slow of ["user", "codexIssue", "executor.run"]) {
      expect(order.indexOf(slow)).toBeGreaterThan(0);
    }
    expect(order.filter((o) => o === "activity:response")).toHaveLength(1);
    expect(order.at(-1)).toBe("activity:response");
    expect(order).not.toContain("activity:error");

    const [task] = await hub.tasks();
    expect(task).toMatchObject({
      status: "completed",
      environmentId: "env_web",
      requesterMemberId: "mem_ada",
    });
    expect(task!.prompt).toBe("@codex please fix this and open a PR");
    expect(JSON.parse(task!.context).linearIssue).toContain('<issue identifier="ENG-123">');
    expect(JSON.parse(task!.origin)).toMatchObject({ surface: "linear", agentSessionId: SESSION });

    const response = hub.activities().find((a) => a.content.type === "response")!;
    expect(response.agentSessionId).toBe(SESSION);
    // Full answers are off by default for Linear: a link to the task page, and the PR.
    expect(response.content.body).toContain(`http://hub.test/tasks/${task!.id}`);
    expect(response.content.body).toContain("https://github.com/acme/web/pull/7");
    expect(response.content.body).not.toContain("waits for the redirect");

    // The session points at the task page.
    const update = hub.fake.calls.find((c) => c.op === "updateAgentSession")!;
    expect(update.variables).toEqual({
      id: SESSION,
      input: { externalUrls: [{ label: "Codex task", url: `http://hub.test/tasks/${task!.id}` }] },
    });
    // Progress showed as an action, before the end.
    const actions = hub.activities().filter((a) => a.content.type === "action");
    expect(actions).toEqual([
      expect.objectContaining({ content: { type: "action", action: "Ran", parameter: "npm test" } }),
    ]);
    expect(order.indexOf("activity:action")).toBeLessThan(order.indexOf("activity:response"));
  });

  it("throttles progress: one activity per interval and session, the rest stays on the task page", async () => {
    hub = linearWorld(server, async () => new Promise(() => {}));
    await seedAcme(hub);
    await teamDefault();
    await hub.deliver("agent-session-created");
    await hub.processor.drain();
    const [task] = await hub.tasks();
    const sent = async () => {
      const rows = await hub.outbox();
      return rows.filter((r) => r.dedupeKey.startsWith(`linear:progress:${task!.id}`)).length;
    };
    await appendProgress(hub.deps, task!.id, { type: "thought", text: "Reading the test" });
    await appendProgress(hub.deps, task!.id, { type: "command", text: "$ npm test" });
    await appendProgress(hub.deps, task!.id, { type: "thought", text: "Found the race" });
    expect(await sent()).toBe(1);
    hub.clock.advance(5_000);
    await appendProgress(hub.deps, task!.id, {
      type: "file_change",
      text: "changed test/login.spec.ts (update)",
    });
    expect(await sent()).toBe(2);
  });

  it("asks which environment with an elicitation listing only those the person may use, and runs where the answer says", async () => {
    hub = linearWorld(server);
    await seedAcme(hub);
    await hub.deliver("agent-session-created");
    await hub.settle();
    expect(await hub.tasks()).toHaveLength(0);
    const asked = hub.activities().find((a) => a.content.type === "elicitation")!;
    expect(asked.content.body).toContain("**api**");
    expect(asked.content.body).toContain("**web**");
    expect(asked.content.body).not.toContain("secret");

    await hub.deliver("agent-session-prompted", (p) => {
      p.agentActivity.content.body = "api please";
      p.agentActivity.userId = p.agentSession.creatorId;
    });
    await hub.settle();
    const [task] = await hub.tasks();
    expect(task).toMatchObject({
      environmentId: "env_api",
      status: "completed",
      prompt: "@codex please fix this and open a PR",
    });
    expect(hub.activities().filter((a) => a.content.type === "response")).toHaveLength(1);
  });

  it("runs in the repository a label of the issue names, before the team's default", async () => {
    hub = linearWorld(server);
    await seedAcme(hub);
    await teamDefault("env_web");
    hub.fake.issue.labels = { nodes: [{ name: "bug" }, { name: "repo:acme/api" }] };
    await hub.deliver("agent-session-created");
    await hub.settle();
    const [task] = await hub.tasks();
    expect(task).toMatchObject({ environmentId: "env_api", status: "completed" });
  });

  it("says there are no available environments when the workspace has none", async () => {
    hub = linearWorld(server);
    await seedAcme(hub, { environments: false });
    await hub.deliver("agent-session-created");
    await hub.settle();
    expect(await hub.tasks()).toHaveLength(0);
    const types = hub.activities().map((a) => a.content.type);
    expect(types).toEqual(["thought", "error"]);
    expect(hub.activities()[1]!.content.body).toMatch(/no available environments/i);
  });
});

describe("Linear agent session prompted", () => {
  it("continues the conversation: a follow-up task in the same environment, told the previous request and answer", async () => {
    hub = linearWorld(server);
    await seedAcme(hub);
    await teamDefault("env_api");
    await hub.deliver("agent-session-created");
    await hub.settle();
    await hub.deliver("agent-session-prompted", (p) => {
      p.agentActivity.content.body = "Also add a regression test.";
    });
    await hub.settle();

    const rows = await hub.tasks();
    expect(rows).toHaveLength(2);
    const followUp = rows.find((r) => r.prompt === "Also add a regression test.")!;
    const original = rows.find((r) => r !== followUp)!;
    expect(original.prompt).toBe("@codex please fix this and open a PR");
    expect(followUp).toMatchObject({
      environmentId: "env_api",
      requesterMemberId: "mem_grace",
      status: "completed",
    });
    expect(JSON.parse(followUp.context)).toMatchObject({
      previousRequest: original.prompt,
      previousAnswer: original.answer,
    });
    expect(JSON.parse(followUp.origin)).toMatchObject({ agentSessionId: SESSION });
    // Each request ends with its own single response.
    expect(hub.activities().filter((a) => a.content.type === "response")).toHaveLength(2);
    const [session] = await hub.database.db
      .select()
      .from(linearSessions)
      .where(eq(linearSessions.sessionId, SESSION));
    expect(session).toMatchObject({ taskId: followUp.id, state: "working" });
  });

  it("ignores an activity Codex created itself", async () => {
    hub = linearWorld(server);
    await seedAcme(hub);
    await teamDefault();
    await hub.deliver("agent-session-created");
    await hub.settle();
    const before = hub.fake.calls.length;
    const ownAck = await linearObjectId(`activity:ack:${SESSION}`);
    expect(hub.activities()[0]!.id).toBe(ownAck);
    await hub.deliver("agent-session-prompted", (p) => {
      p.agentActivity.id = ownAck;
    });
    await hub.settle();
    expect(await hub.tasks()).toHaveLength(1);
    expect(hub.fake.calls.length).toBe(before);
    const rows = await hub.database.db.select().from(inbox);
    expect(rows.find((r) => r.eventType === "AgentSessionEvent.prompted")?.outcome).toMatch(/ignored/);
  });
});

describe("Linear deliveries", () => {
  it("makes one task of the same delivery sent twice, and of a handler run again for the same inbox row", async () => {
    hub = linearWorld(server);
    await seedAcme(hub);
    await teamDefault();
    const delivery = crypto.randomUUID();
    expect(await (await hub.deliver("agent-session-created", () => {}, delivery)).json()).toMatchObject({
      status: "accepted",
    });
    expect(await (await hub.deliver("agent-session-created", () => {}, delivery)).json()).toMatchObject({
      status: "duplicate",
    });
    await hub.processor.drain();

    // A crash after the handler's effects but before the row was marked done: the same row runs again.
    const [row] = await hub.database.db.select().from(inbox);
    const { event, body } = linearPort.normalize({
      eventType: row!.eventType,
      deliveryKey: row!.deliveryKey,
      payload: storedPayload(row!)!,
    });
    await hub.deps.surfaces.linear.receive(hub.deps, {
      row: row!,
      payload: body,
      event: event as LinearEvent,
    });
    await hub.settle();

    expect(await hub.tasks()).toHaveLength(1);
    const types = hub.activities().map((a) => a.content.type);
    expect(types.filter((t) => t === "response")).toHaveLength(1);
    // One acknowledgement and one "working in" thought, however often the row ran.
    expect(types.filter((t) => t === "thought")).toHaveLength(2);
  });
});
