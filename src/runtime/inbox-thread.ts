import { isMarkedAsUntransferable } from "node:worker_threads";
import type { GeneratedSecrets } from "../config";
import type { InboxStore, NewDelivery } from "../inbox/store";
import { groupCommit } from "../lib/group-commit";
import type { Logger } from "../lib/logger";
import type { WriteHealth } from "../lib/write-health";
import type { MetricsRequest } from "./thread-reports";
import { startThread } from "./threads";

export type InboxMessage =
  | { type: "add"; batch: number; deliveries: NewDelivery[] }
  | MetricsRequest
  | { type: "stop" };
export type InboxReply =
  | { type: "added"; batch: number; results: ("accepted" | "duplicate")[] }
  | { type: "failed"; batch: number; message: string };
/** A batch committed (its sync follows): the rows can be processed. */
export type InboxCommitted = { type: "committed" };

/**
 * The bodies' buffers, moved to the inbox thread rather than copied (a 23 KB GitHub body costs a copy per
 * delivery otherwise). Only a buffer that holds exactly one body and nothing else moves: after the transfer
 * it is unusable here, so a slice of a shared buffer (Node's pool for small Buffers) is copied as before.
 */
function transferable(deliveries: NewDelivery[]): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  for (const { payload } of deliveries) {
    if (typeof payload === "string") continue;
    const buffer = payload.buffer;
    if (
      buffer instanceof ArrayBuffer &&
      payload.byteOffset === 0 &&
      payload.byteLength === buffer.byteLength &&
      !isMarkedAsUntransferable(buffer) &&
      !buffers.includes(buffer)
    )
      buffers.push(buffer);
  }
  return buffers;
}

/**
 * Starts the inbox thread (node-inbox.ts) and returns the InboxStore the HTTP thread uses. Deliveries verified
 * in the same turn of the event loop travel in one message; the answer comes back once they are committed.
 */
export async function startInboxThread(
  env: Record<string, string | undefined>,
  generated: GeneratedSecrets | undefined,
  writeLock: SharedArrayBuffer,
  logger: Logger,
  options: {
    writes?: WriteHealth;
    /** Told each time a batch has committed (its sync follows): its deliveries can be processed. */
    onCommitted?: () => void;
  } = {},
) {
  const { writes, onCommitted } = options;
  const thread = await startThread("inbox", "./node-inbox.ts", { env, generated, writeLock }, logger, {
    writes,
  });
  const waiting = new Map<number, (reply: InboxReply) => void>();
  let nextBatch = 0;
  thread.worker.on("message", (message: { type: string }) => {
    if (message.type === "committed") return onCommitted?.();
    // Other messages are the thread's reports (threads.ts) and its "stopped".
    if (message.type !== "added" && message.type !== "failed") return;
    const reply = message as InboxReply;
    waiting.get(reply.batch)?.(reply);
    waiting.delete(reply.batch);
  });

  const add = groupCommit<NewDelivery, "accepted" | "duplicate">(
    (deliveries) =>
      new Promise((resolve, reject) => {
        const batch = nextBatch++;
        waiting.set(batch, (reply) =>
          // Not the sender's fault (the disk failed, say): a 500, and the platform delivers again.
          reply.type === "added"
            ? resolve(reply.results)
            : reject(new Error(`The inbox write failed: ${reply.message}`)),
        );
        thread.worker.postMessage(
          { type: "add", batch, deliveries } satisfies InboxMessage,
          transferable(deliveries),
        );
      }),
  );
  // The inbox thread logs each delivery it stored (node-inbox.ts); the processor is woken at each commit.
  const inbox: InboxStore = { add, logsDeliveries: true, wakesProcessor: onCommitted !== undefined };
  return { inbox, name: thread.name, metrics: thread.metrics, stop: thread.stop };
}
