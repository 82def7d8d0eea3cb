import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { nodeRunnerPost } from "../../src/runtime/executors/runner-post";
import { createHttpExecutor } from "../../src/tasks/executors/http";
import { type ExecutionContext, ExecutorError } from "../../src/tasks/executors/types";
import { runningTask } from "../helpers/git-fixtures";

/**
 * The http executor as the Node runtime wires it: tasks go to the runner through node:http, not fetch. A real
 * runner stand-in on loopback answers, so the connection itself (kept alive, cut off) is what is tested.
 */
const secret = "runner-secret-0123456789abcdef0123";
let runner: Server | undefined;

afterEach(async () => {
  runner?.closeAllConnections();
  await new Promise((resolve) => runner?.close(resolve) ?? resolve(undefined));
  runner = undefined;
});

type Received = { method?: string; url?: string; headers: IncomingMessage["headers"]; body: string };

/** A runner on a free port; `answer` replies to each request it has read in full. */
async function startRunner(answer: (res: ServerResponse, received: Received) => void) {
  const received: Received[] = [];
  let connections = 0;
  runner = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r = {
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      received.push(r);
      answer(res, r);
    });
  });
  runner.on("connection", () => connections++);
  await new Promise<void>((resolve) => runner!.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(runner.address() as AddressInfo).port}/tasks`;
  return { url, received, connections: () => connections };
}

function executor(url: string) {
  return createHttpExecutor({
    url,
    secret,
    publicUrl: "https://hub.example",
    clock: { now: () => Date.now() },
    post: nodeRunnerPost,
  });
}

function context(signal = new AbortController().signal): ExecutionContext {
  return { signal, onProgress: () => {}, async checkpoint() {} };
}

async function failure(run: Promise<unknown>): Promise<ExecutorError> {
  const error = await run.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ExecutorError);
  return error as ExecutorError;
}

describe("the http executor on Node (node:http to the runner)", () => {
  it("POSTs each task signed, and the next one over the same kept-alive connection", async () => {
    const { url, received, connections } = await startRunner((res) => res.writeHead(202).end());
    const http = executor(url);
    const first = runningTask({ id: "tsk_one", prompt: "Fix the login test — ünïcode too" });
    expect(await http.run(first, context())).toEqual({ dispatched: true });
    expect(await http.run(runningTask({ id: "tsk_two" }), context())).toEqual({ dispatched: true });

    expect(received.map((r) => [r.method, r.url])).toEqual([
      ["POST", "/tasks"],
      ["POST", "/tasks"],
    ]);
    const { headers, body } = received[0]!;
    // The length is of the bytes sent, not of the string's characters.
    expect(Number(headers["content-length"])).toBe(Buffer.byteLength(body));
    expect(headers["content-type"]).toBe("application/json");
    const mac = createHmac("sha256", secret)
      .update(`${headers["x-hub-timestamp"]}.${headers["x-hub-delivery"]}.POST./tasks.${body}`)
      .digest("hex");
    expect(headers["x-hub-signature-256"]).toBe(`sha256=${mac}`);
    expect(JSON.parse(body)).toMatchObject({
      task: { id: "tsk_one", prompt: "Fix the login test — ünïcode too" },
      callbackUrl: "https://hub.example/callbacks/tasks/tsk_one",
    });
    expect(connections()).toBe(1);
  });

  it("quotes a refusal, and retries a runner that is down, overloaded or unreachable", async () => {
    let status = 422;
    const { url } = await startRunner((res) => res.writeHead(status).end("unknown task kind"));
    const refused = await failure(executor(url).run(runningTask(), context()));
    expect(refused.message).toBe("The task runner refused the task (HTTP 422): unknown task kind");
    expect(refused.infrastructure).toBe(false);

    status = 503;
    const overloaded = await failure(executor(url).run(runningTask(), context()));
    expect(overloaded.message).toBe("The task runner answered HTTP 503: unknown task kind");
    expect(overloaded.infrastructure).toBe(true);

    runner!.closeAllConnections();
    await new Promise((resolve) => runner!.close(resolve));
    runner = undefined;
    const unreachable = await failure(executor(url).run(runningTask(), context()));
    expect(unreachable.message).toMatch(/^The task runner could not be reached: .*ECONNREFUSED/);
    expect(unreachable.infrastructure).toBe(true);
  });

  it("keeps only the start of a long answer, and gives up on one that is cut off", async () => {
    const { url } = await startRunner((res, r) => {
      if (String(r.headers["x-hub-delivery"]).startsWith("tsk_long")) {
        res.writeHead(400).end("x".repeat(200_000));
        return;
      }
      // Headers, part of the body, then the connection goes.
      res.writeHead(202, { "content-length": "100" });
      res.write("partial");
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const long = await failure(executor(url).run(runningTask({ id: "tsk_long" }), context()));
    expect(long.message).toBe(`The task runner refused the task (HTTP 400): ${"x".repeat(500)}`);
    // Read to its end (the connection then takes the next task), but not kept whole in memory.
    const answer = await nodeRunnerPost(url, {
      headers: { "x-hub-delivery": "tsk_long.2" },
      body: "{}",
      signal: new AbortController().signal,
    });
    expect(answer.status).toBe(400);
    expect((await answer.text()).length).toBe(16 * 1024);

    const cut = await failure(executor(url).run(runningTask({ id: "tsk_cut" }), context()));
    expect(cut.message).toBe("The task runner could not be reached: The task runner's answer was cut off.");
    expect(cut.infrastructure).toBe(true);
  });

  it("stops waiting when the task is stopped before the runner answered", async () => {
    const { url, received } = await startRunner(() => {
      // Never answers.
    });
    const controller = new AbortController();
    const run = executor(url).run(runningTask(), context(controller.signal));
    await expect.poll(() => received.length).toBe(1);
    controller.abort();
    const stopped = await failure(run);
    expect(stopped.message).toBe("The task was stopped before the runner took it.");
    expect(stopped.infrastructure).toBe(false);
  });
});
