import type { Hub } from "../hub";
import type { Logger } from "../lib/logger";
import { startWorkLoop } from "./work-loop";

const sweepEveryMs = 60 * 60_000;

/**
 * Node's processing after ack: processes the inbox whenever ingress stores new work, and polls so that
 * retries with backoff and rows whose lease expired (after a crash) are picked up too. Hourly, the retention
 * sweep drops old payloads.
 */
export function startProcessorLoop(hub: Hub, logger: Logger) {
  const loop = startWorkLoop({
    name: "inbox",
    idlePollMs: 500,
    logger,
    tick: async () => ((await hub.processor.tick()) > 0 ? 0 : Number.POSITIVE_INFINITY),
  });
  hub.onWake(loop.wake);

  const sweep = setInterval(() => {
    hub.processor.sweep().then(
      (r) => logger.info(r, "inbox retention sweep"),
      (e) => logger.error({ error: (e as Error).message }, "inbox retention sweep failed"),
    );
  }, sweepEveryMs);
  sweep.unref();

  return {
    async stop() {
      clearInterval(sweep);
      await loop.stop();
    },
  };
}
