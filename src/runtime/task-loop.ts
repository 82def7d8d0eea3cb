import type { Hub } from "../hub";
import type { Logger } from "../lib/logger";

const idlePollMs = 1_000;

/**
 * Node's task loop: ticks the task runner when a task is queued or a running one settles, and polls so that
 * retries after their backoff, expired leases (a runner that died) and remote-runner deadlines are handled.
 */
export function startTaskLoop(hub: Hub, logger: Logger) {
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
      const n = await hub.taskRunner.tick();
      schedule(n > 0 || wakeRequested ? 0 : idlePollMs);
    } catch (error) {
      logger.error({ error: (error as Error).message }, "task runner tick failed");
      schedule(idlePollMs);
    } finally {
      busy = false;
    }
  };

  hub.onTaskWake(() => {
    wakeRequested = true;
    if (!busy) schedule(0);
  });
  schedule(0);

  return {
    /** Stops claiming; running tasks are stopped and left for recovery at the next start. */
    async stop() {
      running = false;
      clearTimeout(timer);
      await current;
      await hub.taskRunner.shutdown();
    },
  };
}
