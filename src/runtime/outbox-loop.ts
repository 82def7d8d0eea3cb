import type { Hub } from "../hub";
import type { Logger } from "../lib/logger";
import { nextDueAt } from "../outbox/store";
import { defaultOutboxClaimLimit, deliverDue } from "../outbox/worker";
import { startWorkLoop } from "./work-loop";

/**
 * Node's outbound delivery: runs the outbox worker when a call is queued, and otherwise sleeps until the next
 * retry is due (at most a second, so rows whose lease ran out after a crash are picked up too).
 */
export function startOutboxLoop(hub: Hub, logger: Logger) {
  const loop = startWorkLoop({
    name: "outbox",
    idlePollMs: 1000,
    logger,
    tick: async () => {
      // A full claim may have left due calls behind: claim again at once. A smaller one took every call that
      // was due; calls queued since woke the loop, and the next retry due says how long to sleep.
      if ((await deliverDue(hub.deps)).claimed >= defaultOutboxClaimLimit) return 0;
      const due = await nextDueAt(hub.deps.database);
      return due === null ? Number.POSITIVE_INFINITY : due - hub.deps.clock.now();
    },
  });
  hub.onOutboxWake(loop.wake);
  return { stop: loop.stop };
}
