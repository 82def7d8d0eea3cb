import type { Hub } from "../hub";
import type { Logger } from "../lib/logger";
import { nextDueAt } from "../outbox/store";
import { deliverDue } from "../outbox/worker";

const idlePollMs = 1000;

/**
 * Node's outbound delivery: runs the outbox worker when a call is queued, and otherwise sleeps until the next
 * retry is due (at most `idlePollMs`, so rows whose lease ran out after a crash are picked up too).
 */
export function startOutboxLoop(hub: Hub, logger: Logger) {
  let running = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Promise<void> = Promise.resolve();
  let wakeRequested = false;
  let busy = false;

  const schedule = (ms: number) => {
    if (!running) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      current = run();
    }, ms);
  };

  const run = async () => {
    busy = true;
    wakeRequested = false;
    try {
      const result = await deliverDue(hub.deps);
      if (result.claimed > 0 || wakeRequested) {
        schedule(0);
      } else {
        const due = await nextDueAt(hub.deps.database);
        const wait = due === null ? idlePollMs : due - hub.deps.clock.now();
        schedule(Math.max(0, Math.min(idlePollMs, wait)));
      }
    } catch (error) {
      logger.error({ error: (error as Error).message }, "outbox delivery failed");
      schedule(idlePollMs);
    } finally {
      busy = false;
    }
  };

  hub.onOutboxWake(() => {
    wakeRequested = true;
    if (!busy) schedule(0);
  });
  schedule(0);

  return {
    async stop() {
      running = false;
      clearTimeout(timer);
      await current;
    },
  };
}
