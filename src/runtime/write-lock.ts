/**
 * One write lock for the hub's threads, in memory they share. SQLite lets one connection write at a time and
 * answers the others SQLITE_BUSY at once (busy_timeout 0, see node-db.ts); a thread that meets that can only
 * try again later, and under load each failed try (an error built, a statement begun again) and each wait
 * longer than the commit it waited for add up. The hub's threads take turns here first instead: a write
 * begins once the lock is free, and a thread waiting for it is woken as soon as it is let go.
 * SQLite's own lock still guards the file against other processes (a backup, the sqlite3 shell): node-db.ts
 * keeps trying again after SQLITE_BUSY for those.
 */
export interface ThreadWriteLock {
  /** The shared memory: give it to every thread whose connection writes to the same file. */
  buffer: SharedArrayBuffer;
  /** Whether this connection holds the lock at this moment (a write inside a write needs no second turn). */
  readonly held: boolean;
  /** Runs `write` holding the lock; until the lock is free (or `deadline`), the thread sleeps. */
  holdBlocking<T>(write: () => T, deadline: number): T;
  /** Runs `write` holding the lock; until the lock is free (or `deadline`), the thread's event loop goes on. */
  hold<T>(write: () => T, deadline: number): Promise<T>;
}

/** The longest a waiter sleeps before it looks again, should a release's wake-up not reach it. */
const lookAgainMs = 10;

/** The shared memory for a new lock (one cell: 0 free, 1 held), to hand to each thread's connection. */
export function writeLockBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
}

export function threadWriteLock(buffer = writeLockBuffer()): ThreadWriteLock {
  const cell = new Int32Array(buffer);
  let held = false;
  const take = () => {
    if (Atomics.compareExchange(cell, 0, 0, 1) !== 0) return false;
    held = true;
    return true;
  };
  const release = () => {
    held = false;
    Atomics.store(cell, 0, 0);
    Atomics.notify(cell, 0);
  };
  const holding = <T>(write: () => T): T => {
    try {
      return write();
    } finally {
      release();
    }
  };
  const timeLeft = (deadline: number) => {
    const left = deadline - performance.now();
    if (left <= 0) throw lockedTooLong();
    return Math.min(left, lookAgainMs);
  };
  return {
    buffer,
    get held() {
      return held;
    },
    holdBlocking(write, deadline) {
      while (!take()) Atomics.wait(cell, 0, 1, timeLeft(deadline));
      return holding(write);
    },
    async hold(write, deadline) {
      while (!take()) {
        const waiting = Atomics.waitAsync(cell, 0, 1, timeLeft(deadline));
        if (waiting.async) await waiting.value;
      }
      return holding(write);
    },
  };
}

/** As SQLite says it, so that callers treat it as the busy database it is. */
function lockedTooLong() {
  const message = "database is locked (another thread of the hub held its write lock too long)";
  return Object.assign(new Error(message), { code: "SQLITE_BUSY" });
}
