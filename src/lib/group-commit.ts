/**
 * Collects items submitted in the same turn of the event loop and writes them with one call, so N
 * concurrent requests cost one commit (one fsync) instead of N. Each submitter gets its own result.
 */
export function groupCommit<T, R>(
  flush: (items: T[]) => Promise<R[]>,
  options: { maxBatch?: number } = {},
): (item: T) => Promise<R> {
  const maxBatch = options.maxBatch ?? 256;
  let pending: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  let scheduled = false;

  const run = async () => {
    scheduled = false;
    const batch = pending;
    pending = [];
    try {
      const results = await flush(batch.map((p) => p.item));
      batch.forEach((p, i) => {
        p.resolve(results[i] as R);
      });
    } catch (error) {
      for (const p of batch) p.reject(error);
    }
  };

  return (item) =>
    new Promise<R>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      if (pending.length >= maxBatch) {
        void run();
      } else if (!scheduled) {
        scheduled = true;
        // After the current turn, not a microtask: every request already read off the sockets joins this batch.
        later(run);
      }
    });
}

/**
 * Node's setImmediate runs right after the pending I/O callbacks; setTimeout(0) would also wait for the next
 * timer tick (at least 1 ms), time every request in the batch spends idle. Workers have only setTimeout.
 */
const later: (fn: () => void) => void =
  typeof globalThis.setImmediate === "function"
    ? (fn) => globalThis.setImmediate(fn)
    : (fn) => setTimeout(fn, 0);
