// Daily limits count per UTC day, so "today" and its reset mean the same for everyone, whatever their zone.

const DAY_MS = 86_400_000;

/** Days since the Unix epoch, in UTC. */
export const utcDay = (ms: number): number => Math.floor(ms / DAY_MS);

/** When the day of `ms` ends: the next 00:00 UTC, when daily limits start over. */
export const nextUtcMidnight = (ms: number): number => (utcDay(ms) + 1) * DAY_MS;
