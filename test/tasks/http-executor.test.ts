import { createHmac } from "node:crypto";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTask, listTaskEvents } from "../../src/tasks/service";
import { executorHeaders } from "../helpers/signers";
import { createWorld, type World } from "../helpers/world";
import { testSecrets } from "../helpers/world-config";
import { fakeExecutor, newTask, untilAborted } from "./fixtures";

const RUNNER = "https://runner.test/tasks";
const received: { headers: Headers; body: string }[] = [];
let answer: () => Response = () => new HttpResponse(null, { status: 202 });

const server = setupServer(
  http.post(RUNNER, async ({ request }) => {
    received.push({ headers: request.headers, body: await request.text() });
    return answer();
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());

let hub: World;
afterEach(async () => {
  received.length = 0;
  answer = () => new HttpResponse(null, { status: 202 });
  await hub?.taskRunner.shutdown();
  hub?.close();
});

const env = { HUB_EXECUTOR: "http", HUB_EXECUTOR_URL: RUNNER };

/** Signs like a remote runner would, independently of the hub's code (node:crypto). */
function signed(
  body: string,
  options: { secret?: string; timestamp?: number; delivery?: string; taskId: string },
): Record<string, string> {
  return executorHeaders(options.secret ?? testSecrets.executorSecret, body, {
    path: `/callbacks/tasks/${options.taskId}`,
    ...(options.timestamp ? { timestamp: options.timestamp } : {}),
    ...(options.delivery ? { delivery: options.delivery } : {}),
  });
}

function callback(h: World, id: string, payload: unknown, headers?: Record<string, string>) {
  const body = JSON.stringify(payload);
  return h.request(`/callbacks/tasks/${id}`, {
    method: "POST",
    body,
    headers: headers ?? signed(body, { taskId: id }),
  });
}

async function dispatchedTask(h: World, kind: "task" | "review" = "task") {
  const { task } = await createTask(h.deps, newTask({ kind, context: { thread: "Bob: deploy is stuck" } }));
  await h.taskRunner.drain();
  return task;
}

describe("http executor", () => {
  it("POSTs the task signed with HUB_EXECUTOR_SECRET and waits for the runner's callback", async () => {
    hub = createWorld({ env });
    const task = await dispatchedTask(hub);
    expect(received).toHaveLength(1);
    const { headers, body } = received[0]!;
    const timestamp = headers.get("x-hub-timestamp")!;
    const delivery = headers.get("x-hub-delivery")!;
    const expected = createHmac("sha256", testSecrets.executorSecret)
      .update(`${timestamp}.${delivery}.POST./tasks.${body}`)
      .digest("hex");
    expect(headers.get("x-hub-signature-256")).toBe(`sha256=${expected}`);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    const sent = JSON.parse(body);
    expect(sent).toMatchObject({
      task: { id: task.id, kind: "task", prompt: task.prompt, attempt: 1 },
      callbackUrl: `http://hub.test/callbacks/tasks/${task.id}`,
    });
    expect(sent.input).toContain("# Context: thread\n\nBob: deploy is stuck");
    expect(await hub.task(task.id)).toMatchObject({
      status: "running",
      leaseOwner: "callback",
      executor: "http",
    });
    expect((await listTaskEvents(hub.deps, task.id)).map((e) => e.text)).toEqual([
      "Handed to the task runner.",
    ]);
  });

  it("retries when the runner is unreachable or answers 5xx, and fails when it refuses the task", async () => {
    hub = createWorld({ env });
    answer = () => new HttpResponse("overloaded", { status: 503 });
    const busy = await dispatchedTask(hub);
    expect(await hub.task(busy.id)).toMatchObject({ status: "queued", attempts: 1 });
    expect((await hub.task(busy.id)).error).toContain("HTTP 503: overloaded");

    answer = () => HttpResponse.error();
    hub.clock.advance(5_000);
    await hub.taskRunner.drain();
    expect(await hub.task(busy.id)).toMatchObject({ status: "queued", attempts: 2 });
    expect((await hub.task(busy.id)).error).toContain("could not be reached");

    answer = () => new HttpResponse("unknown task kind", { status: 422 });
    hub.clock.advance(20_000);
    await hub.taskRunner.drain();
    expect(await hub.task(busy.id)).toMatchObject({
      status: "failed",
      attempts: 3,
      error: "The task runner refused the task (HTTP 422): unknown task kind",
    });
    expect(received).toHaveLength(3);
  });
});

describe("POST /callbacks/tasks/:id", () => {
  it("records progress, then the result, once", async () => {
    hub = createWorld({ env });
    const task = await dispatchedTask(hub);
    const progress = await callback(hub, task.id, {
      type: "progress",
      events: [{ type: "command", text: "$ npm test" }],
    });
    expect(progress.status).toBe(200);
    const result = await callback(hub, task.id, {
      type: "result",
      answer: "Fixed the deploy script.",
      prUrl: "https://github.com/acme/widgets/pull/9",
      usage: { inputTokens: 5, outputTokens: 7 },
    });
    expect(result.status).toBe(200);
    expect(await result.json()).toEqual({ id: task.id, status: "completed", changed: true });
    const row = await hub.task(task.id);
    expect(row).toMatchObject({
      status: "completed",
      answer: "Fixed the deploy script.",
      prUrl: "https://github.com/acme/widgets/pull/9",
      leaseOwner: null,
    });
    expect((await listTaskEvents(hub.deps, task.id)).map((e) => e.text)).toEqual([
      "Handed to the task runner.",
      "$ npm test",
    ]);

    // Once finished, a repeated result (signed again) and late progress are refused and change nothing.
    const again = await callback(hub, task.id, { type: "result", answer: "Something else" });
    expect(again.status).toBe(409);
    expect((await again.json()).error).toMatchObject({ code: "conflict", details: { status: "completed" } });
    const late = await callback(hub, task.id, {
      type: "progress",
      events: [{ type: "thought", text: "late" }],
    });
    expect(late.status).toBe(409);
    expect(await hub.task(task.id)).toMatchObject({
      answer: "Fixed the deploy script.",
      finishedAt: row.finishedAt,
    });
    expect(await listTaskEvents(hub.deps, task.id)).toHaveLength(2);
  });

  it("takes steps as {step} or {type, text}, within the task's rate, keeping the newest of a batch", async () => {
    hub = createWorld({ env });
    const task = await dispatchedTask(hub);
    hub.clock.advance(1_001);
    const events = [
      { step: "Cloning the repository" },
      { step: "Installing dependencies" },
      { type: "command", text: "$ npm ci" },
      { step: "Running the tests" },
      { type: "command", text: "$ npm test" },
      { step: "Fixing the flaky test" },
    ];
    const res = await callback(hub, task.id, { type: "progress", events });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      id: task.id,
      status: "running",
      changed: true,
      kept: 5,
      refused: "throttled",
    });
    const stored = await listTaskEvents(hub.deps, task.id);
    expect(stored.map(({ type, text }) => ({ type, text }))).toEqual([
      { type: "status", text: "Handed to the task runner." },
      { type: "step", text: "Installing dependencies" },
      { type: "command", text: "$ npm ci" },
      { type: "step", text: "Running the tests" },
      { type: "command", text: "$ npm test" },
      { type: "step", text: "Fixing the flaky test" },
    ]);
    // Within the same second nothing more is stored; the runner learns it from the answer.
    const more = await callback(hub, task.id, { type: "progress", events: [{ step: "Pushing" }] });
    expect(await more.json()).toMatchObject({ changed: false, kept: 0, refused: "throttled" });
    // A step that is neither shape is a 400.
    const bad = await callback(hub, task.id, { type: "progress", events: [{ step: "" }] });
    expect(bad.status).toBe(400);
  });

  it("rejects forged, stale and replayed callbacks with 401 and changes nothing", async () => {
    hub = createWorld({ env });
    const task = await dispatchedTask(hub);
    const body = JSON.stringify({ type: "result", answer: "forged" });
    const post = (headers: Record<string, string>, text = body) =>
      hub.request(`/callbacks/tasks/${task.id}`, { method: "POST", body: text, headers });

    const forged = await post(signed(body, { secret: "not-the-secret", taskId: task.id }));
    expect(forged.status).toBe(401);
    expect((await forged.json()).error.code).toBe("invalid_signature");

    const tampered = await post(
      signed(body, { taskId: task.id }),
      JSON.stringify({ type: "result", answer: "tampered" }),
    );
    expect(tampered.status).toBe(401);

    const stale = await post(
      signed(body, { timestamp: Math.floor(Date.now() / 1000) - 600, taskId: task.id }),
    );
    expect(stale.status).toBe(401);
    expect((await stale.json()).error.code).toBe("stale_timestamp");

    const unsigned = await post({ "content-type": "application/json" });
    expect(unsigned.status).toBe(401);

    // Signed for another running task, then sent to this one: the path is part of what is signed.
    const other = await dispatchedTask(hub);
    const elsewhere = await post(signed(body, { taskId: other.id }));
    expect(elsewhere.status).toBe(401);
    expect((await elsewhere.json()).error.code).toBe("invalid_signature");

    const progress = JSON.stringify({ type: "progress", events: [{ type: "thought", text: "once" }] });
    const headers = signed(progress, { taskId: task.id });
    expect((await post(headers, progress)).status).toBe(200);
    const replayed = await post(headers, progress);
    expect(replayed.status).toBe(401);
    expect((await replayed.json()).error.message).toMatch(/already received/);

    expect(await hub.task(task.id)).toMatchObject({ status: "running", answer: null });
    expect((await listTaskEvents(hub.deps, task.id)).map((e) => e.text)).toEqual([
      "Handed to the task runner.",
      "once",
    ]);
  });

  it("takes the same signed callback again after failing to store it: a 5xx is not a replay", async () => {
    hub = createWorld({ env });
    const task = await dispatchedTask(hub);
    const body = JSON.stringify({ type: "result", answer: "Done." });
    const headers = signed(body, { taskId: task.id });
    const post = () => hub.request(`/callbacks/tasks/${task.id}`, { method: "POST", body, headers });

    // The storage refuses the task's final write once, as a full disk would.
    hub.database.sqlite.exec(
      `CREATE TEMP TRIGGER refuse_finish BEFORE UPDATE OF status ON tasks WHEN NEW.status = 'completed'
       BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`,
    );
    const failed = await post();
    expect(failed.status).toBe(500);
    expect((await failed.json()).error.code).toBe("internal");
    expect(hub.task(task.id).status).toBe("running");

    // The runner sends the very same request again, and it lands.
    hub.database.sqlite.exec("DROP TRIGGER refuse_finish");
    const retried = await post();
    expect(retried.status).toBe(200);
    expect(await retried.json()).toMatchObject({ id: task.id, status: "completed", changed: true });
    expect(hub.task(task.id)).toMatchObject({ status: "completed", answer: "Done." });
    // Once it has, the task waits for nothing more.
    expect((await post()).status).toBe(409);
  });

  it("answers 4xx to malformed callbacks and to tasks it does not wait for", async () => {
    hub = createWorld({ env });
    const task = await dispatchedTask(hub);
    expect((await callback(hub, task.id, { type: "result" })).status).toBe(400);
    expect((await callback(hub, task.id, { type: "progress", events: [] })).status).toBe(400);
    expect((await callback(hub, "tsk_unknown", { type: "result", answer: "x" })).status).toBe(404);
    const text = await hub.request(`/callbacks/tasks/${task.id}`, {
      method: "POST",
      body: "hi",
      headers: { "content-type": "text/plain" },
    });
    expect(text.status).toBe(415);

    const { task: queued } = await createTask(hub.deps, newTask());
    expect((await callback(hub, queued.id, { type: "result", answer: "too early" })).status).toBe(409);
    expect((await hub.task(queued.id)).status).toBe("queued");
  });

  it("records a runner's failure and validates a review's findings", async () => {
    hub = createWorld({ env });
    const failing = await dispatchedTask(hub);
    await callback(hub, failing.id, { type: "failure", error: "the repository could not be cloned" });
    expect(await hub.task(failing.id)).toMatchObject({
      status: "failed",
      error: "The runner reported a failure: the repository could not be cloned",
    });

    const review = await dispatchedTask(hub, "review");
    await callback(hub, review.id, { type: "result", answer: "LGTM" });
    expect((await hub.task(review.id)).status).toBe("failed");

    const good = await dispatchedTask(hub, "review");
    const findings = {
      summary: "ok",
      findings: [{ title: "t", body: "b", priority: 1, path: "a.ts", line: 3 }],
    };
    await callback(hub, good.id, { type: "result", answer: JSON.stringify(findings) });
    expect((await hub.task(good.id)).status).toBe("completed");
  });

  it("does not accept callbacks for a task another executor runs", async () => {
    const fake = fakeExecutor((_task, context) => untilAborted(context));
    hub = createWorld({ executor: fake.executor, env });
    const { task } = await createTask(hub.deps, newTask());
    await hub.taskRunner.tick();
    expect((await hub.task(task.id)).status).toBe("running");
    expect((await callback(hub, task.id, { type: "result", answer: "sneaky" })).status).toBe(409);
    expect((await hub.task(task.id)).answer).toBeNull();
  });
});
