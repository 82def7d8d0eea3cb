import { and, eq, inArray } from "drizzle-orm";
import { inbox } from "../db/schema/inbox";
import type { Hub } from "../hub";
import type { Platform } from "../ingress/events";
import { nextDueAt } from "../outbox/store";
import { deliverDue } from "../outbox/worker";

/**
 * What the Worker's queue carries: wake-ups, never the work itself (that is in D1). An inbox message names
 * the stored delivery it was sent for, so the consumer can tell whether that delivery got through and
 * retry the message (with backoff) or let it dead-letter when it keeps failing.
 */
export type WorkMessage =
  | { kind: "inbox"; platform?: Platform; deliveryKey?: string }
  | { kind: "outbox" }
  | { kind: "tasks" };

/** Longest delay asked of Queues (it allows 24 hours); work due later is picked up by the cron. */
const maxDelaySeconds = 12 * 60 * 60;
/** Rounds of the processor per consumer invocation, so one invocation never runs unbounded. */
const maxRounds = 20;

/**
 * The sender the hub's wake-ups use. Sends are started at once and collected, so the runtime can answer a
 * request first and let the sends finish after it (`ctx.waitUntil(sender.settled())`).
 */
export function workSender(queue: Queue<WorkMessage>) {
  const pending = new Set<Promise<unknown>>();
  return {
    send(message: WorkMessage, delaySeconds = 0) {
      const sent = queue
        .send(message, delaySeconds > 0 ? { delaySeconds: Math.min(delaySeconds, maxDelaySeconds) } : {})
        .finally(() => pending.delete(sent));
      pending.add(sent);
    },
    /** Resolves when every send started so far has settled; a failed send is left to the cron. */
    async settled(): Promise<void> {
      while (pending.size > 0) await Promise.allSettled([...pending]);
    },
  };
}

export type WorkSender = ReturnType<typeof workSender>;

/**
 * The work queue's consumer. Inbox wake-ups run the processor (which claims rows with a lease, so a
 * message delivered twice, or two consumers at once, process a delivery once); each message for a delivery
 * is then acknowledged when its row is finished, or retried when the row failed and waits for its backoff.
 */
export async function consumeWork(hub: Hub, sender: WorkSender, batch: MessageBatch<WorkMessage>) {
  const kinds = new Set(batch.messages.map((m) => m.body.kind));
  if (kinds.has("inbox")) {
    for (let round = 0; round < maxRounds && (await hub.processor.tick()) > 0; round++);
  }
  if (kinds.has("tasks") || kinds.has("inbox")) await hub.taskRunner.drain();
  if (kinds.has("outbox") || kinds.has("tasks") || kinds.has("inbox")) await deliverOutbox(hub, sender);

  const now = hub.deps.clock.now();
  for (const message of batch.messages) {
    const body = message.body;
    if (body.kind !== "inbox" || !body.platform || !body.deliveryKey) {
      message.ack();
      continue;
    }
    const [row] = await hub.deps.database.db
      .select({ status: inbox.status, availableAt: inbox.availableAt, leaseUntil: inbox.leaseUntil })
      .from(inbox)
      .where(and(eq(inbox.platform, body.platform), eq(inbox.deliveryKey, body.deliveryKey)))
      .limit(1);
    if (row?.status === "pending") {
      message.retry({ delaySeconds: secondsUntil(row.availableAt, now) });
    } else if (row?.status === "processing") {
      // Another consumer holds the row; look again when its lease runs out.
      message.retry({ delaySeconds: secondsUntil(row.leaseUntil ?? now, now) });
    } else {
      message.ack();
    }
  }
}

/** Delivers due outbound calls, and asks to be woken when the next retry falls due. */
async function deliverOutbox(hub: Hub, sender: WorkSender) {
  for (let round = 0; round < maxRounds && (await deliverDue(hub.deps)).claimed > 0; round++);
  const due = await nextDueAt(hub.deps.database);
  if (due !== null) sender.send({ kind: "outbox" }, secondsUntil(due, hub.deps.clock.now()));
}

/**
 * The dead-letter queue's consumer: a delivery whose message ran out of retries goes dead, where admins
 * see it (GET /api/v1/inbox?status=dead) and can retry it. Only a row still waiting for a retry is changed.
 */
export async function consumeDeadLetters(hub: Hub, batch: MessageBatch<WorkMessage>) {
  const now = hub.deps.clock.now();
  for (const message of batch.messages) {
    const body = message.body;
    if (body.kind === "inbox" && body.platform && body.deliveryKey) {
      await hub.deps.database.db
        .update(inbox)
        .set({ status: "dead", processedAt: now, leaseUntil: null })
        .where(
          and(
            eq(inbox.platform, body.platform),
            eq(inbox.deliveryKey, body.deliveryKey),
            inArray(inbox.status, ["pending"]),
          ),
        );
      hub.deps.logger.warn(
        { platform: body.platform, deliveryId: body.deliveryKey },
        "delivery dead-lettered after its retries",
      );
    }
    message.ack();
  }
}

/** Catch-up from the cron: everything due, in case a wake-up was lost. */
export async function catchUp(hub: Hub, sender: WorkSender) {
  for (let round = 0; round < maxRounds && (await hub.processor.tick()) > 0; round++);
  await hub.taskRunner.drain();
  await deliverOutbox(hub, sender);
}

function secondsUntil(at: number, now: number): number {
  return Math.max(1, Math.ceil((at - now) / 1000));
}
