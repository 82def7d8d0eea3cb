import type { Logger } from "../lib/logger";

export interface WorkLoopOptions {
  name: string;
  /**
   * One round of work. Returns how long to sleep before the next round: 0 when there may be more work right
   * away; otherwise the loop polls at most every `idlePollMs` (retries after backoff, leases that ran out).
   */
  tick(): Promise<number>;
  idlePollMs: number;
  logger: Logger;
  /** A leading loop's switch (loop-precedence.ts): told whether this loop has work. */
  working?: (on: boolean) => void;
  /** Awaited before each round: the loops this one lets go first (loop-precedence.ts). */
  beforeRound?: () => Promise<void>;
}

/**
 * Node's background loops (inbox processor, task runner, outbox): one round at a time, woken at once when new
 * work is signalled, polling otherwise. A wake during a round makes the next round start immediately instead of
 * starting a second, overlapping one.
 */
export function startWorkLoop(options: WorkLoopOptions) {
  let running = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let immediate: ReturnType<typeof setImmediate> | undefined;
  let current: Promise<void> = Promise.resolve();
  let wakeRequested = false;
  let busy = false;

  const cancel = () => {
    clearTimeout(timer);
    clearImmediate(immediate);
  };
  const start = () => {
    current = run();
  };
  // A round due now starts in this turn of the event loop, once its I/O is polled: setTimeout(0) would wait
  // for the next millisecond's timers, and a mention passes through two loops (processing, then the task's
  // claim) on its way to the runner.
  const schedule = (ms: number) => {
    if (!running) return;
    cancel();
    if (ms <= 0) immediate = setImmediate(start);
    else timer = setTimeout(start, ms);
  };

  const working = options.working ?? (() => {});

  const run = async () => {
    busy = true;
    wakeRequested = false;
    working(true);
    try {
      await options.beforeRound?.();
      const wait = await options.tick();
      const again = wakeRequested || wait <= 0;
      if (!again) working(false);
      schedule(again ? 0 : Math.min(options.idlePollMs, wait));
    } catch (error) {
      working(false);
      options.logger.error(
        { loop: options.name, error: (error as Error).message },
        "background round failed",
      );
      schedule(options.idlePollMs);
    } finally {
      busy = false;
    }
  };

  schedule(0);
  return {
    wake() {
      if (!running) return;
      wakeRequested = true;
      working(true);
      if (!busy) schedule(0);
    },
    async stop() {
      running = false;
      cancel();
      await current;
      working(false);
    },
  };
}
