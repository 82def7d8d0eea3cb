/**
 * The one place ids are made. A short prefix tells what an id names when it shows up in a log or a link
 * (`tsk_…` is a task, `evt_…` an inbox event). The rest is 32 hex digits: the creation time in milliseconds
 * (12 digits, as in UUIDv7) then 80 random bits. Ids made later sort later, so new rows land at the end of
 * each primary-key index instead of on a random page: a busy inbox commit then rewrites a few pages of
 * that index, not one per row.
 */
export function newId(prefix: string, now = Date.now()): string {
  // 80 random bits from a v4 UUID (its last 12 and first 8 hex digits; the version and variant digits sit
  // between): randomUUID draws from a pool of entropy, cheaper than a call to getRandomValues per id.
  const uuid = crypto.randomUUID();
  return `${prefix}_${now.toString(16).padStart(12, "0")}${uuid.slice(24)}${uuid.slice(0, 8)}`;
}
