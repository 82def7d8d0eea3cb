import { readFileSync } from "node:fs";
import {
  createServer as createHttpServer,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { InternetAccess } from "../../src/access/types";
import { silentLogger } from "../../src/lib/logger";
import { type EgressProxy, startEgressProxy } from "../../src/runtime/egress-proxy";
import { createCommandExecutor } from "../../src/runtime/executors/command";
import { withEgressProxy } from "../../src/runtime/executors/egress";
import type { TaskEnvironment } from "../../src/tasks/executors/types";
import { createTask, listTaskEvents } from "../../src/tasks/service";
import { createWorld, type World } from "../helpers/world";
import { newTask } from "../tasks/fixtures";

// The egress proxy with a real agent: the command executor runs a small Node script that makes requests
// through the proxy its task was given, to servers on 127.0.0.1 that the proxy knows under test names.

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const agentScript = fixture("egress-agent.mjs");
const caFile = fixture("tls/allowed-test.crt");

let httpServer: Server;
let httpsServer: Server;
let httpPort: number;
let httpsPort: number;

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );

beforeAll(async () => {
  const echo = (scheme: string) => (req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    req.on("end", () => res.end(`${scheme} ${req.method} ${req.headers.host}${req.url}`));
  };
  httpServer = createHttpServer(echo("http"));
  httpsServer = createHttpsServer(
    { cert: readFileSync(caFile), key: readFileSync(fixture("tls/allowed-test.key")) },
    echo("https"),
  );
  [httpPort, httpsPort] = await Promise.all([listen(httpServer), listen(httpsServer)]);
});
afterAll(() => {
  httpServer.close();
  httpsServer.close();
});

// Names the test servers answer under; anything else does not resolve (no test reaches the network).
const names: Record<string, string[]> = {
  "api.allowed.test": ["127.0.0.1"],
  "files.allowed.test": ["127.0.0.1"],
  "rebind.wild.test": ["127.0.0.1"],
  "registry.npmjs.org": ["127.0.0.1"],
};
const resolve = async (host: string) => {
  const found = names[host] ?? (/^[\d.]+$/.test(host) ? [host] : undefined);
  if (!found) throw new Error(`getaddrinfo ENOTFOUND ${host}`);
  return found;
};

let proxy: EgressProxy | undefined;
let hub: World | undefined;
afterEach(async () => {
  await hub?.taskRunner.shutdown();
  hub?.close();
  await proxy?.close();
  hub = undefined;
  proxy = undefined;
});

type Step =
  | { via: "http"; method: string; url: string }
  | { via: "connect"; method: string; host: string; port: number; path: string };

/** A hub whose command executor runs the agent script with `plan`, behind a fresh proxy. */
async function agentWorld(plan: Step[]) {
  proxy = await startEgressProxy({ port: 0, logger: silentLogger, resolve });
  const running = proxy;
  const executor = createCommandExecutor({
    command: `${JSON.stringify(process.execPath)} ${JSON.stringify(agentScript)}`,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", EGRESS_PLAN: JSON.stringify(plan), EGRESS_CA: caFile },
    taskEnv: (task) => running.envFor(task.id),
  });
  const world = createWorld({ executor: withEgressProxy(executor, running, () => world.deps) });
  hub = world;
  return world;
}

const environment = (internet: InternetAccess, extra: Partial<TaskEnvironment> = {}): TaskEnvironment => ({
  id: "env_web",
  name: "web-app",
  repository: "acme/web",
  internet,
  canWrite: false,
  ...extra,
});

async function runTask(world: World, execution?: TaskEnvironment) {
  const { task } = await createTask(
    world.deps,
    newTask({ environmentId: execution?.id ?? null, context: execution ? { execution } : {} }),
  );
  await world.taskRunner.drain();
  const row = world.task(task.id);
  expect(row.status, row.error ?? "").toBe("completed");
  const results = JSON.parse(row.answer!) as { status: number; body: string }[];
  const progress = (await listTaskEvents(world.deps, task.id)).filter((e) => e.type === "network");
  return { id: task.id, results, progress: progress.map((e) => e.text) };
}

describe("egress proxy: an agent's traffic follows its environment's allowlist", () => {
  it("forwards allowed hosts and methods, refuses the rest with the rule, and records each refusal once", async () => {
    const url = (host: string, path = "/") => `http://${host}:${httpPort}${path}`;
    const world = await agentWorld([
      { via: "http", method: "GET", url: url("api.allowed.test", "/v1/ping?x=1") },
      { via: "http", method: "POST", url: url("api.allowed.test", "/v1/upload") },
      { via: "http", method: "GET", url: url("example.org") },
      { via: "http", method: "GET", url: url("example.org") },
      { via: "http", method: "GET", url: url("rebind.wild.test") },
      { via: "connect", method: "GET", host: "files.allowed.test", port: httpsPort, path: "/pkg.tgz" },
      // A tunnel is checked by host only: the method inside it is encrypted.
      { via: "connect", method: "POST", host: "files.allowed.test", port: httpsPort, path: "/upload" },
      { via: "connect", method: "GET", host: "example.org", port: 443, path: "/" },
    ]);
    const internet: InternetAccess = {
      mode: "allowlist",
      domains: ["api.allowed.test", "files.allowed.test", "*.wild.test"],
      methods: ["GET", "HEAD"],
    };
    const { id, results, progress } = await runTask(world, environment(internet));

    expect(results).toEqual([
      { status: 200, body: `http GET api.allowed.test:${httpPort}/v1/ping?x=1` },
      {
        status: 403,
        body: "POST is not an allowed HTTP method for api.allowed.test (environment web-app allows GET, HEAD).",
      },
      { status: 403, body: "example.org is not in the environment's allowlist (environment web-app)." },
      { status: 403, body: "example.org is not in the environment's allowlist (environment web-app)." },
      {
        status: 403,
        body:
          "rebind.wild.test resolves to 127.0.0.1, a loopback address, which the allowlist (environment " +
          "web-app) does not name: add rebind.wild.test itself (not a wildcard) or 127.0.0.1 to reach it.",
      },
      { status: 200, body: `https GET files.allowed.test:${httpsPort}/pkg.tgz` },
      { status: 200, body: `https POST files.allowed.test:${httpsPort}/upload` },
      { status: 403, body: "example.org is not in the environment's allowlist (environment web-app)." },
    ]);

    // The repeated refusal of example.org over plain HTTP is shown once.
    expect(progress).toEqual([
      `Refused POST api.allowed.test:${httpPort}: POST is not an allowed HTTP method for api.allowed.test (environment web-app allows GET, HEAD).`,
      `Refused GET example.org:${httpPort}: example.org is not in the environment's allowlist (environment web-app).`,
      expect.stringMatching(
        /^Refused GET rebind\.wild\.test:\d+: rebind\.wild\.test resolves to 127\.0\.0\.1/,
      ),
      "Refused CONNECT example.org:443: example.org is not in the environment's allowlist (environment web-app).",
    ]);
    const audit = world.audit("network.refused");
    expect(audit).toHaveLength(4);
    expect(audit.map((a) => [a.actor, a.target, a.after.kind, a.after.method])).toEqual([
      [`task:${id}`, "api.allowed.test", "method_not_allowed", "POST"],
      [`task:${id}`, "example.org", "not_allowlisted", "GET"],
      [`task:${id}`, "rebind.wild.test", "non_public_address", "GET"],
      [`task:${id}`, "example.org", "not_allowlisted", "CONNECT"],
    ]);
    expect(audit[0]).toMatchObject({
      workspaceId: "ws_test",
      after: { taskId: id, environmentId: "env_web", requesterMemberId: "mem_alice", port: httpPort },
    });
  });

  it("reaches a loopback address only where the allowlist names it: 127.0.0.1 by address", async () => {
    const world = await agentWorld([
      { via: "http", method: "GET", url: `http://127.0.0.1:${httpPort}/` },
      { via: "connect", method: "GET", host: "127.0.0.1", port: httpsPort, path: "/" },
    ]);
    const named = await runTask(
      world,
      environment({ mode: "allowlist", domains: ["127.0.0.1"], methods: ["GET"] }),
    );
    expect(named.results.map((r) => r.status)).toEqual([200, 200]);
    const unnamed = await runTask(
      world,
      environment({ mode: "allowlist", domains: ["api.allowed.test"], methods: ["GET"] }),
    );
    expect(unnamed.results).toEqual([
      { status: 403, body: "127.0.0.1 is not in the environment's allowlist (environment web-app)." },
      { status: 403, body: "127.0.0.1 is not in the environment's allowlist (environment web-app)." },
    ]);
  });

  it("refuses everything, saying why, where the task has no internet access or no environment", async () => {
    const world = await agentWorld([
      { via: "connect", method: "GET", host: "api.allowed.test", port: 443, path: "/" },
    ]);
    const off = await runTask(
      world,
      environment({ mode: "off" }, { internetReason: "the workspace does not allow agent internet access" }),
    );
    expect(off.results[0]).toEqual({
      status: 403,
      body: "The agent has no internet access in environment web-app: the workspace does not allow agent internet access.",
    });
    expect(off.progress).toHaveLength(1);
    const none = await runTask(world);
    expect(none.results[0]?.body).toBe("This task has no environment, so the agent has no internet access.");
  });

  it("opens the hosts of a preset under the same rules (a preset host never reaches a private address)", async () => {
    const world = await agentWorld([
      { via: "connect", method: "GET", host: "registry.npmjs.org", port: 443, path: "/" },
      { via: "connect", method: "GET", host: "evil.example", port: 443, path: "/" },
    ]);
    const { results } = await runTask(
      world,
      environment({ mode: "allowlist", domains: [], methods: ["GET"], presets: ["common-dependencies"] }),
    );
    // registry.npmjs.org is in the preset; here it resolves to 127.0.0.1, which only an explicit entry opens.
    expect(results[0]?.body).toMatch(/^registry\.npmjs\.org resolves to 127\.0\.0\.1, a loopback address/);
    expect(results[1]?.body).toBe(
      "evil.example is not in the environment's allowlist (environment web-app).",
    );
  });
});

describe("egress proxy credentials", () => {
  /** Sends one request straight to the proxy; answers status and body. */
  function ask(port: number, method: string, path: string, auth?: string) {
    return new Promise<{ status: number; body: string; challenge?: string }>((done, fail) => {
      const req = request({
        host: "127.0.0.1",
        port,
        method,
        path,
        agent: false,
        headers: auth ? { "proxy-authorization": auth } : {},
      });
      const answer = (res: IncomingMessage, stream: NodeJS.ReadableStream, head = "") => {
        let body = head;
        stream.on("data", (c) => (body += c));
        stream.on("end", () =>
          done({
            status: res.statusCode ?? 0,
            body: body.trim(),
            challenge: res.headers["proxy-authenticate"],
          }),
        );
      };
      req.on("connect", (res, socket, head) => {
        // An open tunnel stays open: its status is the answer.
        if (res.statusCode === 200) {
          socket.destroy();
          done({ status: 200, body: "" });
        } else answer(res, socket, head.toString("utf8"));
      });
      req.on("response", (res) => answer(res, res));
      req.on("error", fail);
      req.end();
    });
  }
  const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
  const allowlist: InternetAccess = { mode: "allowlist", domains: ["api.allowed.test"], methods: ["GET"] };

  it("answers 407 to missing, wrong and expired credentials, for plain requests and tunnels", async () => {
    proxy = await startEgressProxy({ port: 0, logger: silentLogger, resolve });
    const refusals: unknown[] = [];
    const grant = {
      taskId: "tsk_creds",
      internet: allowlist,
      scope: { environment: { id: "env_web", name: "web-app" } },
      onRefusal: (r: unknown) => refusals.push(r),
    };
    const session = proxy.open(grant);
    const url = new URL(session.env.HTTP_PROXY!);
    expect(url.hostname).toBe("127.0.0.1");
    expect(Number(url.port)).toBe(proxy.port);
    expect(url.username).toBe("tsk_creds");
    expect(session.env).toMatchObject({
      HTTPS_PROXY: session.env.HTTP_PROXY,
      http_proxy: session.env.HTTP_PROXY,
      https_proxy: session.env.HTTP_PROXY,
      NO_PROXY: "",
    });
    const good = basic(url.username, url.password);
    const target = `http://api.allowed.test:${httpPort}/`;
    const tunnel = `api.allowed.test:${httpsPort}`;

    expect(await ask(proxy.port, "GET", target, good)).toMatchObject({ status: 200 });
    expect(await ask(proxy.port, "CONNECT", tunnel, good)).toMatchObject({ status: 200 });
    for (const auth of [undefined, basic("tsk_creds", "guessed"), basic("tsk_other", url.password)]) {
      const plain = await ask(proxy.port, "GET", target, auth);
      expect(plain.status).toBe(407);
      expect(plain.challenge).toMatch(/^Basic realm=/);
      expect((await ask(proxy.port, "CONNECT", tunnel, auth)).status).toBe(407);
    }

    session.close();
    const expired = await ask(proxy.port, "GET", target, good);
    expect(expired).toMatchObject({ status: 407 });
    expect(expired.body).toContain("unknown or expired");
    expect((await ask(proxy.port, "CONNECT", tunnel, good)).status).toBe(407);
    expect(proxy.envFor("tsk_creds")).toBeUndefined();
    expect(refusals).toEqual([]);
  });

  it("is a forward proxy only: a request for the proxy itself is a 400", async () => {
    proxy = await startEgressProxy({ port: 0, logger: silentLogger, resolve });
    const session = proxy.open({
      taskId: "tsk_origin",
      internet: allowlist,
      scope: { environment: null },
      onRefusal: () => {},
    });
    const url = new URL(session.env.HTTP_PROXY!);
    const answer = await ask(proxy.port, "GET", "/", basic(url.username, url.password));
    expect(answer.status).toBe(400);
    session.close();
  });
});
