import type { Hub } from "../hub";
import type { Logger } from "../lib/logger";
import { startWorkLoop } from "./work-loop";

/**
 * Node's task loop: ticks the task runner when a task is queued or a running one settles, and polls so that
 * retries after their backoff, expired leases (a runner that died) and remote-runner deadlines are handled.
 */
export function startTaskLoop(hub: Hub, logger: Logger, working?: (on: boolean) => void) {
  const loop = startWorkLoop({
    name: "tasks",
    idlePollMs: 1000,
    logger,
    ...(working ? { working } : {}),
    tick: async () => ((await hub.taskRunner.tick()) > 0 ? 0 : Number.POSITIVE_INFINITY),
  });
  hub.onTaskWake(loop.wake);
  return {
    /** Stops claiming; running tasks are stopped and left for recovery at the next start. */
    async stop() {
      await loop.stop();
      await hub.taskRunner.shutdown();
    },
  };
}
