import type { ProgressUpdate } from "./executors/types";
import { PROGRESS_PER_SECOND, PROGRESS_WINDOW_MS, type ProgressResult } from "./progress-limits";

// The runner's side of the progress limits (progress-limits.ts), per execution: steps are written in order, at
// most PROGRESS_PER_SECOND in any window. A step over the rate is held back, replaced by any newer one, and
// written as soon as the window has room (a timer, so a burst followed by silence still shows its last step);
// whatever is still held when the execution ends is written then. Counting here first spares the database a
// query for each of the thousands of lines a busy agent may write; the database's own count stays the rule.

export interface ProgressThrottle {
  push(step: ProgressUpdate): void;
  /** Writes the step still held back, if any, and waits for every write: call before the task settles. */
  settle(): Promise<void>;
}

export function createProgressThrottle(options: {
  now: () => number;
  write: (step: ProgressUpdate, last: boolean) => Promise<ProgressResult>;
  onError: (error: unknown) => void;
}): ProgressThrottle {
  const written: number[] = [];
  let held: ProgressUpdate | null = null;
  /** The task reached its cap: nothing more is written until the last step. */
  let capped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let chain: Promise<void> = Promise.resolve();
  /** Steps pushed so far: a refused step is held again only if no newer one came after it. */
  let pushed = 0;

  const roomNow = () => {
    const since = options.now() - PROGRESS_WINDOW_MS;
    while (written.length > 0 && written[0]! <= since) written.shift();
    return written.length < PROGRESS_PER_SECOND;
  };

  const write = (step: ProgressUpdate, last = false) => {
    if (!last) written.push(options.now());
    const order = pushed;
    chain = chain
      .then(() => options.write(step, last))
      .then(
        (result) => {
          if (result.kept > 0 || result.refused === "finished" || last) return;
          // The database counted differently (another process wrote too): hold the step unless a newer one is.
          if (result.refused === "capped") capped = true;
          if (order === pushed && !held) held = step;
          arm();
        },
        (error) => options.onError(error),
      );
  };

  function arm() {
    if (timer || capped || !held) return;
    const wait = written.length > 0 ? written[0]! + PROGRESS_WINDOW_MS - options.now() : 0;
    timer = setTimeout(release, Math.max(50, wait));
    // A held step must not keep a process alive that is otherwise done.
    (timer as { unref?: () => void }).unref?.();
  }

  function release() {
    timer = undefined;
    if (!held || capped) return;
    if (!roomNow()) return arm();
    const step = held;
    held = null;
    write(step);
  }

  return {
    push(step) {
      pushed++;
      if (capped || !roomNow()) {
        held = step;
        arm();
        return;
      }
      // A step held back is older than this one, which replaces it.
      held = null;
      write(step);
    },
    async settle() {
      clearTimeout(timer);
      timer = undefined;
      if (held) {
        const step = held;
        held = null;
        write(step, true);
      }
      await chain;
    },
  };
}
