import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTask } from "../../src/tasks/service";
import { executorHeaders } from "../helpers/signers";
import { createWorld, type World } from "../helpers/world";
import { testSecrets } from "../helpers/world-config";
import { newTask } from "./fixtures";

// What anyone can send to the callback route before a signature is checked: it must cost the hub little.

const RUNNER = "https://runner.test/tasks";
const server = setupServer(http.post(RUNNER, () => new HttpResponse(null, { status: 202 })));
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterAll(() => server.close());

let hub: World;
afterEach(async () => {
  await hub?.taskRunner.shutdown();
  hub?.close();
});

const env = { HUB_EXECUTOR: "http", HUB_EXECUTOR_URL: RUNNER };
const chunk = 256 * 1024;

/** A chunked body (no Content-Length) of `total` bytes, produced only as the reader pulls it. */
function countedBody(total: number) {
  const counter = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (counter.pulled >= total) return controller.close();
        counter.pulled += chunk;
        controller.enqueue(new Uint8Array(chunk).fill(0x20));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, counter };
}

function postStream(h: World, id: string, stream: ReadableStream<Uint8Array>) {
  const headers = executorHeaders(testSecrets.executorSecret, "", { path: `/callbacks/tasks/${id}` });
  return h.request(`/callbacks/tasks/${id}`, {
    method: "POST",
    body: stream,
    headers,
    duplex: "half",
  } as RequestInit);
}

async function dispatchedTask(h: World) {
  const { task } = await createTask(h.deps, newTask());
  await h.taskRunner.drain();
  return task;
}

describe("POST /callbacks/tasks/:id, before the signature is checked", () => {
  it("refuses a chunked body over 2 MB with 413 as soon as it passes the limit", async () => {
    hub = createWorld({ env });
    const task = await dispatchedTask(hub);
    const { stream, counter } = countedBody(64 * 1024 * 1024);
    const response = await postStream(hub, task.id, stream);
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe("payload_too_large");
    expect(counter.pulled).toBeLessThanOrEqual(2 * 1024 * 1024 + 2 * chunk);
    expect((await hub.task(task.id)).status).toBe("running");
  });

  it("refuses an unknown task before reading the body", async () => {
    hub = createWorld({ env });
    const { stream, counter } = countedBody(8 * 1024 * 1024);
    const response = await postStream(hub, "tsk_unknown", stream);
    expect(response.status).toBe(404);
    expect(counter.pulled).toBe(0);
  });

  it("refuses a task that is not waiting for a runner before reading the body", async () => {
    hub = createWorld({ env });
    const { task: queued } = await createTask(hub.deps, newTask());
    const { stream, counter } = countedBody(8 * 1024 * 1024);
    expect((await postStream(hub, queued.id, stream)).status).toBe(409);
    expect(counter.pulled).toBe(0);
  });

  it("does not exist unless tasks are handed to a remote runner", async () => {
    hub = createWorld({ env: { HUB_EXECUTOR: "command" } });
    const { task } = await createTask(hub.deps, newTask());
    const body = JSON.stringify({ type: "result", answer: "done" });
    const response = await hub.request(`/callbacks/tasks/${task.id}`, {
      method: "POST",
      body,
      headers: executorHeaders(testSecrets.executorSecret, body, { path: `/callbacks/tasks/${task.id}` }),
    });
    expect(response.status).toBe(404);
    expect((await response.json()).error).toMatchObject({ code: "not_found" });
    expect((await hub.task(task.id)).answer).toBeNull();
  });
});
