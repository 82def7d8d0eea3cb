// Keyset paging for the console's lists, newest first: the cursor is the last row's (time, id), and the next
// page is the rows strictly before it in that order. Unlike OFFSET, a page costs the same however deep it
// is, and rows arriving meanwhile never shift a page.

export interface Cursor {
  at: number;
  id: string;
}

/** `<time>.<id>` in a URL. */
export const encodeCursor = (cursor: Cursor): string => `${cursor.at}.${cursor.id}`;

/** A cursor from a URL, or null for a missing or malformed one (the list then starts at the top). */
export function decodeCursor(text: string | undefined): Cursor | null {
  const match = text ? /^(\d{1,16})\.([A-Za-z0-9_-]{1,100})$/.exec(text) : null;
  return match ? { at: Number(match[1]), id: match[2]! } : null;
}

/** The URL of a list page with `params` (empty ones left out). */
export function listUrl(path: string, params: Record<string, string | undefined>): string {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) query.set(k, v);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

/** A time as people read it in a table: UTC, to the second. */
export const when = (ms: number | null): string =>
  ms
    ? new Date(ms)
        .toISOString()
        .replace("T", " ")
        .replace(/\.\d+Z$/, " UTC")
    : "—";
