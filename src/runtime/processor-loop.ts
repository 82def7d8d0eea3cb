import { sweepGovernance } from "../governance/retention";
import type { Hub } from "../hub";
import type { Logger } from "../lib/logger";
import { sweepOutbox } from "../outbox/store";
import { sweepSessions } from "../web/sign-in-session";
import { type IngressPressure, whenIngressQuiet } from "./ingress-pressure";
import { startWorkLoop } from "./work-loop";

const sweepEveryMs = 60 * 60_000;

/**
 * Node's processing after ack: processes the inbox whenever ingress stores new work (yielding to webhooks
 * still being acknowledged), and polls so that retries with backoff and rows whose lease expired (after a
 * crash) are picked up too. Hourly, the retention sweep drops what is no longer needed.
 */
export function startProcessorLoop(
  hub: Hub,
  logger: Logger,
  pressure: IngressPressure,
  working?: (on: boolean) => void,
) {
  const loop = startWorkLoop({
    name: "inbox",
    idlePollMs: 500,
    logger,
    ...(working ? { working } : {}),
    tick: async () => {
      // During a burst of webhooks being acknowledged, a round waits for a lull (at most 200 ms).
      await whenIngressQuiet(pressure, 200);
      // A full batch may have left rows behind: another round at once. A smaller one took everything due;
      // deliveries stored since woke the loop, and the poll picks up retries as they fall due.
      return (await hub.processor.tick()) >= hub.processor.batchSize ? 0 : Number.POSITIVE_INFINITY;
    },
  });
  hub.onWake(loop.wake);

  // Retention: old webhook payloads, sent outbound calls past their dedupe window, expired web sessions;
  // compliance log files due to close, and each workspace's retention periods and zero data retention.
  const sweep = setInterval(async () => {
    try {
      const inbox = await hub.processor.sweep();
      const outboxDeleted = await sweepOutbox(hub.deps.database, hub.deps.clock.now());
      const sessionsDeleted = await sweepSessions(hub.deps);
      const governance = await sweepGovernance(hub.deps);
      logger.info({ ...inbox, outboxDeleted, sessionsDeleted, ...governance }, "retention sweep");
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
