import { AppError } from "../../errors";
import { DAY_MS, type DayRange, dayCount, daysStartingIn, parseTime } from "./days";

// Request parameters of the analytics API, and its paging. The rows of a range form a fixed grid, ordered by
// day then by surface or priority (rows.ts), so a page is a slice of it and the cursor is the key of the last
// row returned: the next page starts right after that key. Writes change the figures of a row, never which rows
// exist, so a walk through the pages returns each row once, none missed, however much is written meanwhile;
// and a page costs the same however deep it is (no OFFSET: the key says where to start).

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;
/** Without start_time, the range is the last 30 days. */
export const DEFAULT_SPAN_MS = 30 * DAY_MS;

const badParameter = (parameter: string, message: string) =>
  new AppError("bad_request", message, { parameter });

function timeParameter(name: string, text: string | undefined): number | undefined {
  if (text === undefined || text === "") return undefined;
  const ms = parseTime(text);
  if (ms === null) {
    throw badParameter(
      name,
      `\`${name}\` must be an RFC 3339 time (e.g. 2025-03-01T00:00:00Z or 2025-03-01) or Unix seconds (e.g. 1740787200), between 1970 and 9999.`,
    );
  }
  return ms;
}

/** The range [start_time, end_time) as days: those that start inside it. */
export function rangeFrom(query: { start_time?: string; end_time?: string }, now: number) {
  const end = timeParameter("end_time", query.end_time) ?? now;
  const start = timeParameter("start_time", query.start_time) ?? end - DEFAULT_SPAN_MS;
  if (start >= end) throw badParameter("start_time", "`start_time` must be earlier than `end_time`.");
  return { startMs: start, endMs: end, days: daysStartingIn(start, end) };
}

export function limitFrom(text: string | undefined): number {
  if (text === undefined || text === "") return DEFAULT_LIMIT;
  const n = /^\d{1,7}$/.test(text) ? Number(text) : Number.NaN;
  if (!(n >= 1 && n <= MAX_LIMIT)) {
    throw badParameter("limit", `\`limit\` must be a whole number from 1 to ${MAX_LIMIT}.`);
  }
  return n;
}

/** The key of a row: its day, and its place within the day (surface or priority index). */
export interface RowKey {
  day: number;
  slot: number;
}

const toBase64Url = (text: string) => btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
const fromBase64Url = (text: string) => atob(text.replaceAll("-", "+").replaceAll("_", "/"));

/** The cursor after `key`, opaque to clients: `<endpoint>.<day>.<slot>`, base64url. */
export const encodeCursor = (endpoint: string, key: RowKey): string =>
  toBase64Url(`${endpoint}.${key.day}.${key.slot}`);

export function decodeCursor(endpoint: string, text: string | undefined, perDay: number): RowKey | null {
  if (text === undefined || text === "") return null;
  let decoded = "";
  try {
    decoded = /^[A-Za-z0-9_-]{1,200}$/.test(text) ? fromBase64Url(text) : "";
  } catch {
    decoded = "";
  }
  const match = /^([a-z_]+)\.(\d{1,7})\.(\d{1,2})$/.exec(decoded);
  if (!match || match[1] !== endpoint || Number(match[3]) >= perDay) {
    throw badParameter("page", `\`page\` must be a \`next_page\` value returned by this endpoint.`);
  }
  return { day: Number(match[2]), slot: Number(match[3]) };
}

export interface PageSlice {
  keys: RowKey[];
  hasMore: boolean;
  /** The days the slice covers, to read. */
  days: DayRange;
}

/** The rows of `days` (perDay per day) after `after`, at most `limit`. */
export function sliceGrid(days: DayRange, perDay: number, limit: number, after: RowKey | null): PageSlice {
  const total = dayCount(days) * perDay;
  const position = after ? (after.day - days.first) * perDay + after.slot + 1 : 0;
  const start = Math.min(Math.max(0, position), total);
  const end = Math.min(start + limit, total);
  const keys: RowKey[] = [];
  for (let i = start; i < end; i++) keys.push({ day: days.first + Math.floor(i / perDay), slot: i % perDay });
  return {
    keys,
    hasMore: end < total,
    days: { first: keys[0]?.day ?? days.first, last: keys.at(-1)?.day ?? days.first - 1 },
  };
}
