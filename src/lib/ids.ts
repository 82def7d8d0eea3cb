import { v7 as uuidv7 } from "uuid";

/**
 * Random bytes for ids, drawn from the platform's CSPRNG 4 KiB at a time: asking it for 16 bytes per id
 * (what the library does by default) costs more than everything else about making the id. Each id gets its
 * own 16 bytes; none is handed out twice.
 */
const pool = new Uint8Array(4096);
let poolUsed = pool.length;

function random16(): Uint8Array {
  if (poolUsed + 16 > pool.length) {
    crypto.getRandomValues(pool);
    poolUsed = 0;
  }
  const bytes = pool.subarray(poolUsed, poolUsed + 16);
  poolUsed += 16;
  return bytes;
}

/**
 * The millisecond and counter of the last id made now (RFC 9562 §6.2, method 1): the counter starts at a
 * random 31-bit value each millisecond and counts up within it, so ids made in one millisecond keep their
 * order. Kept here because the library keeps its own only when it also draws the randomness.
 */
const clock = { msecs: Number.NEGATIVE_INFINITY, seq: 0 };

function tick(now: number, random: Uint8Array): { msecs: number; seq: number } {
  if (now > clock.msecs) {
    clock.msecs = now;
    clock.seq = ((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!;
  } else {
    clock.seq = (clock.seq + 1) | 0;
    // The counter ran out within one millisecond: borrow the next one, as the RFC allows.
    if (clock.seq === 0) clock.msecs++;
  }
  return clock;
}

/**
 * The one place ids are made. A short prefix tells what an id names when it shows up in a log or a link
 * (`tsk_…` is a task, `evt_…` an inbox event). The rest is a UUIDv7 (RFC 9562) as 32 hex digits: the creation
 * time in milliseconds, then a counter and random bits, so ids made later sort later even within one
 * millisecond. New rows then land at the end of each primary-key index instead of on a random page: a busy
 * inbox commit rewrites a few pages of that index, not one per row.
 */
export function newId(prefix: string, now?: number): string {
  const random = random16();
  // A given time (tests, backfills) only sets the timestamp; ids made now also keep their order.
  const uuid =
    now === undefined ? uuidv7({ random, ...tick(Date.now(), random) }) : uuidv7({ random, msecs: now });
  return `${prefix}_${uuid.replaceAll("-", "")}`;
}
