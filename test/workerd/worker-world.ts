import {
  createExecutionContext,
  createMessageBatch,
  env,
  getQueueResult,
  waitOnExecutionContext,
} from "cloudflare:test";
import { eq } from "drizzle-orm";
import { getResponse, type RequestHandler } from "msw";
import { vi } from "vitest";
import { loadConfig } from "../../src/config";
import { inbox } from "../../src/db/schema/inbox";
import { outbox } from "../../src/db/schema/outbox";
import { tasks } from "../../src/db/schema/tasks";
import { createHub, type HubOptions } from "../../src/hub";
import { systemClock } from "../../src/lib/clock";
import { silentLogger } from "../../src/lib/logger";
import { createWorker, type WorkerEnv } from "../../src/runtime/worker";
import { openD1Database } from "../../src/runtime/worker-db";
import type { WorkMessage } from "../../src/runtime/worker-queue";
import { workerMetrics } from "../../src/runtime/worker-support";

// The hub as Cloudflare runs it, inside workerd: the Worker's own fetch, queue and scheduled handlers on a
// local D1 (migrated as `wrangler d1 migrations apply` does). The work queue is a recorder, so a test decides
// when (and how often) a message is consumed; the platforms' APIs are msw handlers answering the Worker's
// outbound fetches at the HTTP level.

export interface Sent {
  body: WorkMessage;
  delaySeconds: number;
}

export function createWorkerWorld(
  options: { vars?: Record<string, string> } & Partial<Pick<HubOptions, "step" | "clock">> = {},
) {
  const sent: Sent[] = [];
  const queue = {
    async send(body: WorkMessage, o: { delaySeconds?: number } = {}) {
      sent.push({ body: structuredClone(body), delaySeconds: o.delaySeconds ?? 0 });
    },
    async sendBatch(messages: Iterable<{ body: WorkMessage; delaySeconds?: number }>) {
      for (const m of messages)
        sent.push({ body: structuredClone(m.body), delaySeconds: m.delaySeconds ?? 0 });
    },
  } as unknown as Queue<WorkMessage>;
  const workerEnv = { ...env, ...options.vars, WORK: queue } as unknown as WorkerEnv;
  const worker = createWorker({ step: options.step, clock: options.clock });
  let seq = 0;

  async function request(path: string, init?: RequestInit): Promise<Response> {
    const ctx = createExecutionContext();
    const response = await worker.fetch(new Request(`http://hub.test${path}`, init), workerEnv, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  }

  /** Consumes `messages` as one batch of `queue`, each on its `attempt`; returns what the consumer decided. */
  async function consume(messages: WorkMessage[], o: { queue?: string; attempt?: number } = {}) {
    const batch = createMessageBatch<WorkMessage>(
      o.queue ?? "codex-hub-work",
      messages.map((body) => ({
        id: `msg-${++seq}`,
        timestamp: new Date(),
        attempts: o.attempt ?? 1,
        body,
      })),
    );
    // The local runtime's result does not carry a retry's delay: it is recorded on the way.
    const delays = new Map<string, number | undefined>();
    const recording = {
      queue: batch.queue,
      ackAll: () => batch.ackAll(),
      retryAll: (o?: QueueRetryOptions) => batch.retryAll(o),
      messages: batch.messages.map((m) => ({
        id: m.id,
        timestamp: m.timestamp,
        attempts: m.attempts,
        body: m.body,
        ack: () => m.ack(),
        retry: (o?: QueueRetryOptions) => {
          delays.set(m.id, o?.delaySeconds);
          m.retry(o);
        },
      })),
    } as unknown as MessageBatch<WorkMessage>;
    const ctx = createExecutionContext();
    await worker.queue(recording, workerEnv, ctx);
    const result = await getQueueResult(batch, ctx);
    return {
      ...result,
      retryMessages: result.retryMessages.map((r: { msgId: string }) => ({
        ...r,
        delaySeconds: delays.get(r.msgId),
      })),
    };
  }

  /** Consumes everything sent until the queue is quiet (as Queues would, without the delays). */
  async function settle(rounds = 10) {
    for (let i = 0; i < rounds && sent.length > 0; i++) {
      const messages = sent.splice(0).map((s) => s.body);
      await consume(messages);
    }
  }

  const database = openD1Database(env.DB);
  const strings = Object.fromEntries(
    Object.entries(workerEnv).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
  /** A second hub on the same D1, as another isolate would be: for seeding what an admin set up. */
  let seeder: ReturnType<typeof createHub> | undefined;
  const seederDeps = () => {
    seeder ??= createHub({
      config: loadConfig(strings),
      database,
      clock: options.clock ?? systemClock,
      logger: silentLogger,
      metrics: workerMetrics(),
    });
    return seeder.deps;
  };

  return {
    env: workerEnv,
    sent,
    request,
    consume,
    settle,
    get deps() {
      return seederDeps();
    },
    scheduled: async (cron: string) => {
      const ctx = createExecutionContext();
      await worker.scheduled({ cron, scheduledTime: Date.now(), noRetry() {} }, workerEnv, ctx);
      await waitOnExecutionContext(ctx);
    },
    inboxRow: async (platform: "slack" | "github" | "linear", key: string) =>
      (
        await database.db
          .select()
          .from(inbox)
          .where(eq(inbox.platform, platform))
          .then((rows) => rows.filter((r) => r.deliveryKey === key))
      )[0],
    tasks: () => database.db.select().from(tasks),
    outbox: () => database.db.select().from(outbox),
  };
}

export type WorkerWorld = ReturnType<typeof createWorkerWorld>;

/**
 * Answers the Worker's outbound fetches with msw handlers (the platforms' fakes); a request no handler
 * answers fails the call, as an unreachable host would, and is recorded in `unhandled`.
 */
export function useHttpFakes(handlers: RequestHandler[]) {
  const unhandled: string[] = [];
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input as RequestInfo, init);
    const response = await getResponse(handlers, request);
    if (response) return response;
    unhandled.push(`${request.method} ${request.url}`);
    throw new TypeError(`fetch failed: no fake answers ${request.method} ${request.url}`);
  });
  return { unhandled, restore: () => spy.mockRestore() };
}

/**
 * Empties every table of the hub (D1 keeps what one test wrote for the next in the same file), keeping the
 * migrations record. Foreign keys are checked at the end of the batch, so the order of the deletes is free.
 */
export async function resetD1(): Promise<void> {
  const { results } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name != 'd1_migrations'",
  ).all<{ name: string }>();
  await env.DB.batch([
    env.DB.prepare("PRAGMA defer_foreign_keys = ON"),
    ...results.map((t) => env.DB.prepare(`DELETE FROM "${t.name}"`)),
  ]);
}
