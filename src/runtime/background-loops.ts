import type { Hub } from "../hub";
import type { Logger } from "../lib/logger";
import type { IngressPressure } from "./ingress-pressure";
import { loopPrecedence } from "./loop-precedence";
import { startOutboxLoop } from "./outbox-loop";
import { startProcessorLoop } from "./processor-loop";
import { startReviewFeedbackLoop } from "./review-feedback-loop";
import { startTaskLoop } from "./task-loop";

/**
 * The hub's work after the acknowledgement: processing the inbox, running tasks, delivering the outbox and
 * reading review feedback. Each loop registers for its own wake-ups on the hub. Run by the background thread,
 * or by the main thread itself when the hub runs on one thread (`HUB_THREADS=1`).
 */
export function startBackgroundLoops(hub: Hub, logger: Logger, ingress: IngressPressure) {
  // A mention's way to its task's runner (processing, then the task's claim and hand-off) goes before the
  // outbox's calls, which can land a moment later.
  const startOfTasks = loopPrecedence();
  const loops = [
    startProcessorLoop(hub, logger, ingress, startOfTasks.lead()),
    startTaskLoop(hub, logger, startOfTasks.lead()),
    startOutboxLoop(hub, logger, startOfTasks),
    startReviewFeedbackLoop(hub, logger),
  ];
  return {
    async stop() {
      for (const loop of loops) await loop.stop();
    },
  };
}
