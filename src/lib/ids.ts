import { v7 as uuidv7 } from "uuid";
import { sha256Hex } from "./crypto";

/**
 * The one place ids are made. A short prefix tells what an id names when it shows up in a log or a link
 * (`tsk_…` is a task, `evt_…` an inbox event). The rest is a UUIDv7 (RFC 9562) as 32 hex digits: the creation
 * time in milliseconds, then a counter and random bits, so ids made later sort later even within one
 * millisecond. New rows then land at the end of each primary-key index instead of on a random page: a busy
 * inbox commit rewrites a few pages of that index, not one per row.
 */
export function newId(prefix: string, now?: number): string {
  // Without a given time the library keeps its own per-millisecond counter, which is what keeps ids made in
  // the same millisecond in creation order; a given time (tests, backfills) only sets the timestamp.
  const uuid = now === undefined ? uuidv7() : uuidv7({ msecs: now });
  return `${prefix}_${uuid.replaceAll("-", "")}`;
}

/**
 * The same id every time for the same `key` under the same `parent` (an id made by newId): it keeps the
 * parent's creation time (so it sorts beside it) and adds 80 bits of the key's SHA-256. For records that a
 * retried step writes again, such as the access decision made while processing one stored delivery.
 */
export async function stableId(prefix: string, parent: string, key: string): Promise<string> {
  const time = parent.slice(parent.indexOf("_") + 1).slice(0, 12);
  return `${prefix}_${time}${(await sha256Hex(`${parent}\u0000${key}`)).slice(0, 20)}`;
}
