import { ConfigError, loadConfig, missingSecrets } from "../config";
import type { Database } from "../db/types";
import { sweepGovernance } from "../governance/retention";
import { createHub, type Hub, type HubOptions } from "../hub";
import { createInboxStore, type InboxStore } from "../inbox/store";
import { systemClock } from "../lib/clock";
import { sweepOutbox } from "../outbox/store";
import { linkBotTokenTeam } from "../surfaces/slack/bot-token-team";
import { sweepSessions } from "../web/sign-in-session";
import { ensureLocalWorkspace } from "../workspace/workspaces";
import { openD1Database } from "./worker-db";
import {
  catchUp,
  consumeDeadLetters,
  consumeWork,
  type WorkMessage,
  type WorkSender,
  workSender,
} from "./worker-queue";
import { workerAssetLoader, workerLogger, workerMetrics } from "./worker-support";

/** The Worker's bindings (wrangler.toml) and its variables and secrets (`wrangler secret put`). */
export interface WorkerEnv {
  DB: D1Database;
  WORK: Queue<WorkMessage>;
  ASSETS?: Fetcher;
  [name: string]: unknown;
}

/** The dead-letter queue's name (wrangler.toml); its messages mark inbox rows dead. */
const deadLetterQueue = /-dead$/;
const hourlyCron = "0 * * * *";

interface WorkerHub {
  hub: Hub;
  sender: WorkSender;
  ready: Promise<void>;
  /** Whether this isolate has started linking the Slack bot token's team (once, after the first answer). */
  linked: boolean;
}

/**
 * Builds the Worker: `fetch` serves the same Hono app as Node (ingress stores in D1, then acknowledges, then
 * hands the delivery to the queue), `queue` processes (inbox, tasks through the http executor, outbox), and
 * `scheduled` catches up on lost wake-ups and runs the hourly sweeps. `options` are the hub's test hooks.
 */
export function createWorker(options: Partial<Pick<HubOptions, "step" | "clock">> = {}) {
  // One hub per isolate and environment: built at the first event, kept while the isolate lives.
  const hubs = new WeakMap<object, WorkerHub>();
  const hubFor = (env: WorkerEnv): WorkerHub => {
    let built = hubs.get(env);
    if (!built) {
      built = openWorkerHub(env, options);
      hubs.set(env, built);
      // A failed start (D1 not migrated yet) is tried again by the next event, not kept for the isolate's life.
      built.ready.catch(() => hubs.delete(env));
    }
    return built;
  };

  return {
    async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
      let worker: WorkerHub;
      try {
        worker = hubFor(env);
        await worker.ready;
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        return Response.json(
          { error: { code: "misconfigured", message: error.message } },
          { status: 503, headers: { "retry-after": "60" } },
        );
      }
      const response = await worker.hub.app.fetch(request, env, ctx);
      // The acknowledgement is sent; the wake-ups it started (queue sends) finish after it.
      ctx.waitUntil(worker.sender.settled());
      if (!worker.linked) {
        // A single-team Slack hub learns its team from the bot token (Slack's auth.test), off the request path.
        worker.linked = true;
        const { deps } = worker.hub;
        ctx.waitUntil(
          linkBotTokenTeam(deps).catch((error: Error) =>
            deps.logger.warn({ error: error.message }, "linking the Slack bot token's team failed"),
          ),
        );
      }
      return response;
    },

    async queue(batch: MessageBatch<WorkMessage>, env: WorkerEnv, _ctx: ExecutionContext): Promise<void> {
      const { hub, sender, ready } = hubFor(env);
      await ready;
      if (deadLetterQueue.test(batch.queue)) await consumeDeadLetters(hub, batch);
      else await consumeWork(hub, sender, batch);
      await sender.settled();
    },

    async scheduled(controller: ScheduledController, env: WorkerEnv, _ctx: ExecutionContext): Promise<void> {
      const { hub, sender, ready } = hubFor(env);
      await ready;
      await catchUp(hub, sender);
      if (controller.cron === hourlyCron) await sweep(hub);
      await sender.settled();
    },
  };
}

function openWorkerHub(env: WorkerEnv, options: Partial<Pick<HubOptions, "step" | "clock">>): WorkerHub {
  const strings = stringVars(env);
  const missing = missingSecrets(strings);
  if (missing.length > 0) {
    // Node generates these on first start; a Worker has nowhere to keep them, so they are set as secrets.
    throw new ConfigError(
      missing.map((variable) => ({
        variable,
        message: `is not set: run \`npx wrangler secret put ${variable}\` (or add it to .dev.vars for wrangler dev)`,
      })),
    );
  }
  const config = loadConfig(strings);
  const clock = options.clock ?? systemClock;
  const logger = workerLogger(config.logLevel, { service: "codex-hub", runtime: "workers" });
  const database = openD1Database(env.DB);
  const sender = workSender(env.WORK);
  const keyed = { wakes: 0 };
  const hub = createHub({
    config,
    database,
    clock,
    logger,
    step: options.step,
    inbox: queuedInbox(database, sender, keyed),
    assets: workerAssetLoader(env.ASSETS),
    metrics: workerMetrics(),
  });
  // Ingress wakes the processor after each delivery it stored, whose keyed message is already on its way;
  // other wake-ups (an admin's retry of a dead delivery) send a general one.
  hub.onWake(() => {
    if (keyed.wakes > 0) keyed.wakes--;
    else sender.send({ kind: "inbox" });
  });
  hub.onTaskWake(() => sender.send({ kind: "tasks" }));
  hub.onOutboxWake(() => sender.send({ kind: "outbox" }));
  // Before anything is served or processed: the workspace every event and API call resolves to.
  const ready = ensureLocalWorkspace(hub.deps);
  return { hub, sender, ready, linked: false };
}

/**
 * The inbox on D1, handing each newly stored delivery's id to the queue. The send starts after the D1
 * write committed and finishes after the acknowledgement (see `fetch`); a send that fails leaves the row
 * pending for the cron's catch-up. Each delivery gets a store of its own: Node groups concurrent deliveries
 * into one commit, but on Workers each request has its own I/O context, and a commit made by one request
 * cannot settle another's promise without waiting for that request to end.
 */
function queuedInbox(database: Database, sender: WorkSender, keyed: { wakes: number }): InboxStore {
  return {
    async add(delivery) {
      const result = await createInboxStore(database).add(delivery);
      if (result === "accepted" && delivery.known) {
        sender.send({ kind: "inbox", platform: delivery.platform, deliveryKey: delivery.deliveryKey });
        keyed.wakes++;
      }
      return result;
    },
  };
}

/** The hourly retention sweeps, as Node's processor loop runs them. */
async function sweep(hub: Hub) {
  const { deps } = hub;
  const inbox = await hub.processor.sweep();
  const outboxDeleted = await sweepOutbox(deps.database, deps.clock.now());
  const sessionsDeleted = await sweepSessions(deps);
  const governance = await sweepGovernance(deps);
  deps.logger.info({ ...inbox, outboxDeleted, sessionsDeleted, ...governance }, "retention sweep");
}

/** The configuration is read from the Worker's variables and secrets: every binding that is a string. */
function stringVars(env: WorkerEnv): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (typeof value === "string") vars[name] = value;
  return vars;
}

export default createWorker();
