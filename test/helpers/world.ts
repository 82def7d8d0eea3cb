import { eq } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { HttpHandler } from "msw";
import type { SetupServer } from "msw/node";
import { afterEach, beforeEach } from "vitest";
import type { Config } from "../../src/config";
import { auditLog } from "../../src/db/schema/audit";
import { inbox } from "../../src/db/schema/inbox";
import { outbox } from "../../src/db/schema/outbox";
import { tasks } from "../../src/db/schema/tasks";
import { createHub, type HubOptions } from "../../src/hub";
import { manualClock } from "../../src/lib/clock";
import { type Logger, silentLogger } from "../../src/lib/logger";
import type { Metrics } from "../../src/lib/metrics";
import { writeHealth } from "../../src/lib/write-health";
import { deliverDue } from "../../src/outbox/worker";
import { nodeAssetLoader } from "../../src/runtime/node-assets";
import { openNodeDatabase } from "../../src/runtime/node-db";
import { createNodeMetrics } from "../../src/runtime/node-metrics";
import type { ExecutionContext, Executor, ExecutorResult } from "../../src/tasks/executors/types";
import type { Task } from "../../src/tasks/types";
import { ensureLocalWorkspace } from "../../src/workspace/workspaces";
import { useMockServer } from "./mock-server";
import { testConfig, testSecrets } from "./world-config";
import { worldSenders } from "./world-send";

// A whole hub on an in-memory database with a manual clock, the platforms it talks to (msw fakes), signed
// deliveries in, and readers of what it stored. Every test that needs a hub builds it here.

/** What the agent does with a task: its answer, or everything an executor may return. */
export type Agent = (
  task: Task,
  context: ExecutionContext,
) => string | ExecutorResult | Promise<string | ExecutorResult>;

/** A platform's API as msw answers it, and the hub settings that point the hub's real client at it. */
export interface PlatformFake {
  env: Record<string, string>;
  handlers: HttpHandler[];
}

export type ManualClock = ReturnType<typeof manualClock>;

export interface WorldOptions {
  /** Settings on top of testConfig's (secrets, PUBLIC_URL http://hub.test); ignored when `config` is given. */
  env?: Record<string, string>;
  config?: Config;
  /** Real platform clients; platforms left out (and without a fake) are sandbox recorders. */
  clients?: HubOptions["clients"];
  executor?: Executor;
  /** Runs every task in place of an executor; each task it saw is kept in `world.runs`. */
  agent?: Agent;
  taskRunner?: HubOptions["taskRunner"];
  step?: HubOptions["step"];
  logger?: Logger;
  metrics?: Metrics;
  /** Starts at the real current time by default, so signatures made with Date.now() are fresh. */
  clock?: ManualClock;
  /** Platforms the hub talks to through its real clients, answered on `server`. */
  fakes?: PlatformFake[];
  server?: SetupServer;
  /** A database file (WAL, as the hub keeps it) instead of memory, for tests that read what is on disk. */
  dbPath?: string;
}

export function createWorld(options: WorldOptions = {}) {
  const clock = options.clock ?? manualClock(Date.now());
  // As on Node's HTTP thread: the connection tells readiness when its writes start or stop failing.
  const writes = writeHealth(() => clock.now());
  const database = openNodeDatabase(options.dbPath ?? ":memory:", {
    onWriteOutcome: (failure) => writes.record("http", failure),
  });
  const fakes = options.fakes ?? [];
  if (fakes.length > 0) {
    if (!options.server) throw new Error("platform fakes need the msw server to answer on");
    options.server.use(...fakes.flatMap((fake) => fake.handlers));
  }
  const env = Object.assign({}, ...fakes.map((fake) => fake.env), options.env);
  const runs: Task[] = [];
  let agent = options.agent;
  const agentExecutor: Executor = {
    name: "command",
    async run(task, context) {
      runs.push(task);
      const result = await agent!(task, context);
      return typeof result === "string" ? { answer: result } : result;
    },
  };
  const hub = createHub({
    config: options.config ?? testConfig(env),
    database,
    clock,
    logger: options.logger ?? silentLogger,
    clients: options.clients,
    step: options.step,
    assets: nodeAssetLoader(),
    executor: options.executor ?? (agent ? agentExecutor : undefined),
    taskRunner: options.taskRunner,
    metrics: options.metrics ?? createNodeMetrics({ thread: "http" }).metrics,
    writes,
  });
  // The Node driver answers synchronously, so readers can be used inside expectations as they are.
  const sync = drizzle(database.sqlite);
  const rows = <T extends SQLiteTable>(table: T): T["$inferSelect"][] =>
    sync
      .select()
      .from(table as SQLiteTable)
      .all() as T["$inferSelect"][];
  let seeded: Promise<void> | undefined;
  return {
    ...hub,
    database,
    clock,
    secrets: testSecrets,
    adminHeaders: { authorization: `Bearer ${testSecrets.adminToken}` },
    /** Tasks the agent ran, in order. */
    runs,
    setAgent(next: Agent) {
      if (!agent) throw new Error("this world runs tasks with an executor, not an agent");
      agent = next;
    },
    /** Sends a request through the whole app, as the HTTP server would. */
    request: (path: string, init?: RequestInit) => hub.app.request(path, init),
    /** Calls the admin API (`/api/v1<path>`) with the bootstrap admin token, JSON in and out. */
    admin: (path: string, init: RequestInit = {}) =>
      hub.app.request(`/api/v1${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${testSecrets.adminToken}`,
          "content-type": "application/json",
          ...init.headers,
        },
      }),
    /** Deliveries signed as each platform signs them. */
    send: worldSenders(hub.app, clock),
    /** Processes the stored deliveries (not the tasks they start); returns how many. */
    process: () => hub.processor.drain(),
    /** Runs the inbox, the tasks and the outbox until none has anything left to do. */
    async settle() {
      for (let i = 0; i < 20; i++) {
        const processed = await hub.processor.drain();
        await hub.taskRunner.drain();
        const sent = await deliverDue(hub.deps);
        if (processed === 0 && sent.claimed === 0) return;
      }
      throw new Error("the hub did not settle");
    },
    rows,
    tasks: () => rows(tasks),
    task: (id: string) => sync.select().from(tasks).where(eq(tasks.id, id)).get()!,
    outbox: () => rows(outbox),
    inbox: () => rows(inbox),
    /** What processing said of each stored delivery, in arrival order. */
    outcomes: () => rows(inbox).map((row) => row.outcome),
    /** Audit records, of one action when given; `before`, `after`, `decision` and `request` as stored JSON. */
    audit: (action?: string): any[] =>
      action === undefined
        ? rows(auditLog)
        : sync.select().from(auditLog).where(eq(auditLog.action, action)).all(),
    /**
     * Seeds the local workspace as `npm start` does at boot (in sandbox mode, the demo's workspace too).
     * Started on first use, so tests that never await it run on an empty database.
     */
    get ready(): Promise<void> {
      seeded ??= ensureLocalWorkspace(hub.deps);
      return seeded;
    },
    close: () => database.close(),
  };
}

export type World = ReturnType<typeof createWorld>;

/**
 * The hooks of a test file whose tests each run in a fresh world: msw answering for the platforms, and per
 * test what `make` builds on it, handed to `use` before the file's own beforeEach runs (vitest runs
 * before-hooks in the order they were registered) and closed after the test. Returns the msw server, for
 * tests that answer some call differently.
 */
export function useWorld<T extends { world: World }>(
  make: (server: SetupServer) => T | Promise<T>,
  use: (made: T) => void,
): SetupServer {
  const server = useMockServer();
  let made: T | undefined;
  beforeEach(async () => {
    made = await make(server);
    use(made);
  });
  afterEach(() => made?.world.close());
  return server;
}
