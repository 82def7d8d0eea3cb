// How much progress one task may store. A busy agent can emit thousands of lines a second; every stored step
// is a row, a line on the task page and possibly an activity in a Linear session, so the hub keeps a few per
// second and a bounded number per task. Steps over the rate are not lost outright: the runner holds the newest
// one back and writes it once the rate allows (progress-throttle.ts), so the page always ends on the step the
// agent last reported.

/** Stored steps per task in any one second (a sliding window, counted in the database, so across processes). */
export const PROGRESS_PER_SECOND = 5;
export const PROGRESS_WINDOW_MS = 1_000;
/** Stored steps per task in all; past this only the agent's last step is still written, at the end. */
export const PROGRESS_MAX_PER_TASK = 500;

/** Why steps were not stored: the task ended, the per-second rate, or the per-task cap. */
export type ProgressRefusal = "finished" | "throttled" | "capped";

export interface ProgressResult {
  /** How many of the steps handed in were stored. */
  kept: number;
  /** Why the others were not (null when all were kept). */
  refused: ProgressRefusal | null;
}

/**
 * How many more steps a task may store now, given how many it has and how many of those are from the last
 * window, and what stops it storing more. `last` is the final step of an execution: it ignores the rate and
 * may go one past the cap, so the record ends where the agent got to.
 */
export function progressRoom(
  stored: { total: number; recent: number },
  last: boolean,
): { room: number; limit: Exclude<ProgressRefusal, "finished"> } {
  const underCap = Math.max(0, PROGRESS_MAX_PER_TASK + (last ? 1 : 0) - stored.total);
  if (last) return { room: Math.min(1, underCap), limit: "capped" };
  const underRate = Math.max(0, PROGRESS_PER_SECOND - stored.recent);
  return underRate < underCap ? { room: underRate, limit: "throttled" } : { room: underCap, limit: "capped" };
}
