import { setFlagsFromString } from "node:v8";

/**
 * How far past its live size a thread's V8 heap may grow before a full collection, in percent. V8's default
 * on a machine with several GB lets the old generation grow to four times what is live. The hub's threads keep
 * little alive (30–40 MB each) but promote steadily under load, because a delivery's objects live until its
 * batch commits: the background thread went from 34 MB live to 150 MB between collections, and the pages
 * freed then stayed with the process, so a hub that had taken a burst held 460–530 MB. At 50% each thread
 * collects once its heap is half again its live size: 340–365 MB in the same runs, with no measurable cost in
 * throughput or latency (docs/scaling.md).
 */
const heapGrowingPercent = 50;

const flag = "heap-growing-percent";

/**
 * Sets the heap growth for every thread of the process (V8's flags are process-wide, and V8 reads this one at
 * each collection, so the main thread follows it too). Call it before starting the worker threads. An operator
 * who chose their own (`node --heap-growing-percent=… dist/runtime/node.js`; Node refuses it in NODE_OPTIONS)
 * keeps it. Returns the flag set, or null.
 */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): string | null {
  const chosen = execArgv.some((arg) => arg.replace(/_/g, "-").startsWith(`--${flag}`));
  if (chosen) return null;
  const setting = `--${flag}=${heapGrowingPercent}`;
  setFlagsFromString(setting);
  return setting;
}
