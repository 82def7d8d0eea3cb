import { type DayRange, dayOf, dayOfDate, isoDate } from "../../../governance/analytics/days";
import { MAX_EXPORT_DAYS } from "../../../governance/analytics/exports";

// The analytics page's date range: a plain GET form with two dates (from, to: both included), so a range is a
// link to share and needs no script. Missing dates mean the last 30 days; a bad range is said and replaced by it.

export const DEFAULT_DAYS = 30;
export const MAX_DAYS = MAX_EXPORT_DAYS;

export interface PageRange {
  days: DayRange;
  from: string;
  to: string;
  error: string | null;
}

export function lastDays(count: number, now: number): DayRange {
  const today = dayOf(now);
  return { first: today - count + 1, last: today };
}

const withDates = (days: DayRange, error: string | null = null): PageRange => ({
  days,
  from: isoDate(days.first),
  to: isoDate(days.last),
  error,
});

export function pageRange(query: { from?: string; to?: string }, now: number): PageRange {
  const fallback = lastDays(DEFAULT_DAYS, now);
  if (!query.from && !query.to) return withDates(fallback);
  const first = query.from ? dayOfDate(query.from) : fallback.first;
  const last = query.to ? dayOfDate(query.to) : dayOf(now);
  if (first === null || last === null) {
    return withDates(fallback, "Dates are written YYYY-MM-DD. Showing the last 30 days instead.");
  }
  if (first > last) {
    return withDates(fallback, "The first day comes after the last one. Showing the last 30 days instead.");
  }
  if (last - first + 1 > MAX_DAYS) {
    return withDates(fallback, `A range covers at most ${MAX_DAYS} days. Showing the last 30 days instead.`);
  }
  return withDates({ first, last });
}
