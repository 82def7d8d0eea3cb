import type { Hub } from "../hub";
import type { Logger } from "../lib/logger";
import { sweepOutbox } from "../outbox/store";
import { sweepSessions } from "../web/sign-in-session";
import { startWorkLoop } from "./work-loop";

const sweepEveryMs = 60 * 60_000;

/**
 * Node's processing after ack: processes the inbox whenever ingress stores new work, and polls so that
 * retries with backoff and rows whose lease expired (after a crash) are picked up too. Hourly, the retention
 * sweep drops what is no longer needed.
 */
export function startProcessorLoop(hub: Hub, logger: Logger) {
  const loop = startWorkLoop({
    name: "inbox",
    idlePollMs: 500,
    logger,
    tick: async () => ((await hub.processor.tick()) > 0 ? 0 : Number.POSITIVE_INFINITY),
  });
  hub.onWake(loop.wake);

  // Retention: old webhook payloads, sent outbound calls past their dedupe window, expired web sessions.
  const sweep = setInterval(async () => {
    try {
      const inbox = await hub.processor.sweep();
      const outboxDeleted = await sweepOutbox(hub.deps.database, hub.deps.clock.now());
      const sessionsDeleted = await sweepSessions(hub.deps);
      logger.info({ ...inbox, outboxDeleted, sessionsDeleted }, "retention sweep");
    } catch (error) {
      logger.error({ error: (error as Error).message }, "retention sweep failed");
    }
  }, sweepEveryMs);
  sweep.unref();

  return {
    async stop() {
      clearInterval(sweep);
      await loop.stop();
    },
  };
}
