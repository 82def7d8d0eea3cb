export type WriteOutcome = (failure: { error: string } | null) => void;

/**
 * SQLite's answers that mean the storage refuses writes (a full disk, an I/O error, a read-only or vanished
 * file), as opposed to a write this hub got wrong (a constraint) or one that waited on another writer (busy),
 * which say nothing about whether the next write can land.
 * https://www.sqlite.org/rescode.html
 */
const storageCodes = /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB|PERM|NOLFS|PROTOCOL)/;

export function storageFailure(error: unknown): string | null {
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === "string" && storageCodes.test(code)) return `${code}: ${String(message)}`;
  if (error instanceof TypeError && /connection is not open/.test(String(message))) return String(message);
  return null;
}

/**
 * Tells `onOutcome` when the outcome of this connection's writes changes: a write that failed for a storage
 * reason, or the first write that lands after one did. Calls happen on changes only, so a healthy connection
 * pays one comparison per write.
 */
export function writeOutcomes(onOutcome: WriteOutcome) {
  let failing: string | null = null;
  const landed = () => {
    if (failing === null) return;
    failing = null;
    onOutcome(null);
  };
  const failed = (error: unknown) => {
    const reason = storageFailure(error);
    if (reason === null || reason === failing) return;
    failing = reason;
    onOutcome({ error: reason });
  };
  /** Runs one write, noting how it went. */
  function track<T>(write: () => T): T {
    let result: T;
    try {
      result = write();
    } catch (error) {
      failed(error);
      throw error;
    }
    landed();
    return result;
  }
  return { track };
}
