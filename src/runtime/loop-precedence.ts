/**
 * Which of the background work's loops go first. The loops share one thread (the background thread, or the
 * main thread with HUB_THREADS=1) and interleave at every await, so a round of one stretches every round of
 * the others that runs beside it. Some work is waited for by someone (a mention on its way to its task's
 * runner: processing, then the task's claim and hand-off) and some can land a few milliseconds later (the
 * outbox's 👀, status message and replies). A loop that leads says while it has work; a loop that follows
 * waits for a moment with none before each of its rounds, but never longer than its own limit, so that it
 * keeps moving under a load that never pauses.
 */
export interface LoopPrecedence {
  /** A leading loop's switch: on while it has work (woken, or in a round that asks for another at once). */
  lead(): (working: boolean) => void;
  /** Resolves once no leading loop has work, or after `maxWaitMs` at the latest. */
  whenClear(maxWaitMs: number): Promise<void>;
}

export function loopPrecedence(): LoopPrecedence {
  let working = 0;
  const waiting = new Set<() => void>();
  return {
    lead() {
      let on = false;
      return (now) => {
        if (now === on) return;
        on = now;
        working += now ? 1 : -1;
        if (working > 0) return;
        for (const release of waiting) release();
      };
    },
    whenClear(maxWaitMs) {
      if (working === 0) return Promise.resolve();
      return new Promise((resolve) => {
        const release = () => {
          clearTimeout(timer);
          waiting.delete(release);
          resolve();
        };
        const timer = setTimeout(release, maxWaitMs);
        waiting.add(release);
      });
    },
  };
}
