import type { Hub } from "../hub";
import type { Logger } from "../lib/logger";
import { outboxDispatcher } from "../outbox/dispatcher";
import { nextDueAt } from "../outbox/store";
import { startWorkLoop } from "./work-loop";

/**
 * Node's outbound delivery: a round of the outbox dispatcher (src/outbox/dispatcher.ts) when a call is queued,
 * and otherwise sleeps until the next retry is due (at most a second, so rows whose lease ran out after a crash
 * are picked up too). Rounds do not wait for the calls they started.
 */
export function startOutboxLoop(hub: Hub, logger: Logger) {
  const dispatcher = outboxDispatcher(hub.deps, { onRoom: () => loop.wake() });
  const loop = startWorkLoop({
    name: "outbox",
    idlePollMs: 1000,
    logger,
    tick: async () => {
      // No room for more calls: the dispatcher wakes the loop once half of its room is free again. A smaller
      // claim took every call that was due; calls queued since woke the loop, and the next retry due says how
      // long to sleep.
      if ((await dispatcher.round()).full) return Number.POSITIVE_INFINITY;
      const due = await nextDueAt(hub.deps.database);
      return due === null ? Number.POSITIVE_INFINITY : due - hub.deps.clock.now();
    },
  });
  hub.onOutboxWake(loop.wake);
  return {
    // The calls under way are settled before the database closes; those not started yet go back to the queue.
    stop: async () => {
      await loop.stop();
      await dispatcher.stop();
    },
  };
}
