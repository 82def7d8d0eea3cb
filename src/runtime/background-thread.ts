import type { GeneratedSecrets } from "../config";
import type { Logger } from "../lib/logger";
import type { WriteHealth } from "../lib/write-health";
import type { IngressPressure } from "./ingress-pressure";
import type { MetricsRequest } from "./thread-reports";
import { startThread } from "./threads";

export type WorkLoopName = "inbox" | "tasks" | "outbox";

export type BackgroundMessage =
  | { type: "wake"; loop: WorkLoopName }
  | { type: "abort"; taskId: string }
  | MetricsRequest
  | { type: "stop" };

/**
 * Starts the background thread (node-background.ts) and gives the main thread its handles: wake a loop when
 * work was queued here, stop a task's executor, ask for its metrics, and stop the thread. How its writes go is
 * recorded in `writes`.
 */
export async function startBackgroundThread(
  env: Record<string, string | undefined>,
  generated: GeneratedSecrets | undefined,
  shared: { ingress: IngressPressure; writeLock: SharedArrayBuffer },
  logger: Logger,
  writes?: WriteHealth,
) {
  const thread = await startThread(
    "background",
    "./node-background.ts",
    { env, generated, ingress: shared.ingress.buffer, writeLock: shared.writeLock },
    logger,
    { writes },
  );
  const send = (message: BackgroundMessage) => thread.worker.postMessage(message);
  // A busy ingress wakes the inbox loop once per turn of the event loop, not once per delivery: the wake
  // leaves at the end of the turn, after every row acknowledged in it was committed, so one covers them all.
  const due = new Set<WorkLoopName>();
  return {
    wake(loop: WorkLoopName) {
      if (due.has(loop)) return;
      due.add(loop);
      setImmediate(() => {
        due.delete(loop);
        send({ type: "wake", loop });
      });
    },
    abort: (taskId: string) => send({ type: "abort", taskId }),
    name: thread.name,
    metrics: thread.metrics,
    stop: thread.stop,
  };
}
