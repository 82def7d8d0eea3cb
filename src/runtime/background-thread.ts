import { once } from "node:events";
import { Worker } from "node:worker_threads";
import type { GeneratedSecrets } from "../config";
import type { Logger } from "../lib/logger";

export type BackgroundMessage =
  | { type: "wake"; loop: "inbox" | "tasks" | "outbox" }
  | { type: "abort"; taskId: string }
  | { type: "stop" };

/**
 * Starts the background thread (node-background.ts) and gives the main thread its handles: wake a loop when
 * work was queued here, stop a task's executor, and stop the thread. If the thread dies, the process exits
 * so that a supervisor restarts the hub (leases hand the interrupted work to the new process).
 */
export async function startBackgroundThread(
  env: Record<string, string | undefined>,
  generated: GeneratedSecrets | undefined,
  logger: Logger,
) {
  const worker = new Worker(new URL("./node-background.mjs", import.meta.url), {
    workerData: { env, generated },
  });
  let stopping = false;
  worker.on("error", (error) =>
    logger.error({ error: error.message, stack: error.stack }, "background thread failed"),
  );
  worker.on("exit", (code) => {
    if (stopping) return;
    logger.error({ code }, "background thread exited; stopping the hub");
    process.exit(1);
  });
  const [first] = (await once(worker, "message")) as [{ type: string }];
  if (first.type !== "ready") throw new Error(`background thread answered ${first.type}`);

  const send = (message: BackgroundMessage) => worker.postMessage(message);
  return {
    wake: (loop: "inbox" | "tasks" | "outbox") => send({ type: "wake", loop }),
    abort: (taskId: string) => send({ type: "abort", taskId }),
    async stop() {
      stopping = true;
      send({ type: "stop" });
      await Promise.race([once(worker, "message"), once(worker, "exit")]);
      await worker.terminate();
    },
  };
}
