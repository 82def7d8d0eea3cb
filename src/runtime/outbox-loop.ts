import type { Hub } from "../hub";
import type { Logger } from "../lib/logger";
import { outboxDispatcher } from "../outbox/dispatcher";
import { nextDueAt } from "../outbox/store";
import type { LoopPrecedence } from "./loop-precedence";
import { startWorkLoop } from "./work-loop";

/**
 * How long a round or a call waits at most for the loops it lets go first (the start of tasks): a 👀 or a
 * status message that lands this much later goes unnoticed, and under a load that never pauses each lane
 * still sends a call at least this often.
 */
const yieldAtMostMs = 50;

/**
 * Node's outbound delivery: a round of the outbox dispatcher (src/outbox/dispatcher.ts) when a call is queued,
 * and otherwise sleeps until the next retry is due (at most a second, so rows whose lease ran out after a crash
 * are picked up too). Rounds do not wait for the calls they started. Given `after`, each round and each call
 * first lets the loops that lead it finish what they have (loop-precedence.ts): a call's send, its mark and
 * its surface's follow-up would otherwise interleave with every step of theirs.
 */
export function startOutboxLoop(hub: Hub, logger: Logger, after?: LoopPrecedence) {
  const yieldFirst = after ? () => after.whenClear(yieldAtMostMs) : undefined;
  const dispatcher = outboxDispatcher(hub.deps, {
    onRoom: () => loop.wake(),
    ...(yieldFirst ? { beforeCall: yieldFirst } : {}),
  });
  const loop = startWorkLoop({
    name: "outbox",
    idlePollMs: 1000,
    logger,
    ...(yieldFirst ? { beforeRound: yieldFirst } : {}),
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
