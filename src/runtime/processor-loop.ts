import type { Hub } from "../hub";
import type { Logger } from "../lib/logger";

const idlePollMs = 500;
const sweepEveryMs = 60 * 60_000;

/**
 * Node's processing after ack: ticks the processor whenever ingress stores new work, and polls so that
 * retries with backoff and rows whose lease expired (after a crash) are picked up too.
 */
export function startProcessorLoop(hub: Hub, logger: Logger) {
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
      const n = await hub.processor.tick();
      schedule(n > 0 || wakeRequested ? 0 : idlePollMs);
    } catch (error) {
      logger.error({ error: (error as Error).message }, "processor tick failed");
      schedule(idlePollMs);
    } finally {
      busy = false;
    }
  };

  hub.onWake(() => {
    wakeRequested = true;
    // A tick in flight reschedules itself immediately when it sees the request; don't start a second one.
    if (!busy) schedule(0);
  });
  schedule(0);

  const sweep = setInterval(() => {
    hub.processor.sweep().then(
      (r) => logger.info(r, "inbox retention sweep"),
      (e) => logger.error({ error: (e as Error).message }, "inbox retention sweep failed"),
    );
  }, sweepEveryMs);
  sweep.unref();

  return {
    async stop() {
      running = false;
      clearTimeout(timer);
      clearInterval(sweep);
      await current;
    },
  };
}
