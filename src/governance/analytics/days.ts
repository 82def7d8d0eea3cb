// Days and times of the analytics: every figure belongs to a UTC day, stored as days since 1970-01-01, and a
// request's range [start_time, end_time) holds the days that start inside it. So consecutive ranges never
// share a day, and a day is never cut in two.

export const DAY_MS = 86_400_000;

/** The UTC day a time (ms) falls on. */
export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS);

/** `YYYY-MM-DD` of a day. */
export const isoDate = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The day of a `YYYY-MM-DD` date, or null when it is not a real date. */
export function dayOfDate(text: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(y, m - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== m - 1 || back.getUTCDate() !== d) return null;
  return dayOf(ms);
}

/** Latest accepted time: the end of year 9999, where RFC 3339's four-digit years end. */
export const MAX_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59);

const RFC3339 =
  /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/**
 * A time given as RFC 3339 (`2025-03-01T00:00:00Z`, `2025-03-01T09:30:00+02:00`, or a full date
 * `2025-03-01`, meaning its 00:00:00Z) or as Unix seconds (`1740787200`), in ms; null for anything else.
 */
export function parseTime(text: string): number | null {
  let ms: number | null = null;
  if (/^\d{1,12}$/.test(text)) ms = Number(text) * 1000;
  else {
    const date = dayOfDate(text);
    if (date !== null) ms = date * DAY_MS;
    const match = RFC3339.exec(text);
    if (match) {
      const [, day, h, m, s, fraction, z, sign, oh, om] = match;
      const base = dayOfDate(day!);
      const [hour, minute, second] = [Number(h), Number(m), Number(s)];
      const offset = z ? 0 : (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om));
      // Leap seconds (60) are allowed by RFC 3339 and read as the next second.
      const valid =
        hour <= 23 && minute <= 59 && second <= 60 && Number(oh ?? 0) <= 23 && Number(om ?? 0) <= 59;
      if (base !== null && valid) {
        const millis = fraction ? Number(fraction.slice(0, 3).padEnd(3, "0")) : 0;
        ms = base * DAY_MS + ((hour * 60 + minute - offset) * 60 + second) * 1000 + millis;
      }
    }
  }
  return ms !== null && ms >= 0 && ms <= MAX_TIME_MS ? ms : null;
}

/** Days `first..last` (inclusive); empty when last < first. */
export interface DayRange {
  first: number;
  last: number;
}

/** The days that start in [startMs, endMs). */
export const daysStartingIn = (startMs: number, endMs: number): DayRange => ({
  first: Math.ceil(startMs / DAY_MS),
  last: Math.ceil(endMs / DAY_MS) - 1,
});

export const dayCount = (range: DayRange): number => Math.max(0, range.last - range.first + 1);

/** A day's bounds as Unix seconds, as every row of the API carries them. */
export const daySeconds = (day: number) => ({ start_time: day * 86_400, end_time: (day + 1) * 86_400 });
