export interface WriteFailure {
  /** Who wrote: a thread or connection of the hub ("http", "inbox", "background"). */
  writer: string;
  error: string;
  /** When the writer's writes started failing (epoch ms). */
  since: number;
}

/**
 * Whether each of the hub's writers saw its last write land. A full disk or a read-only file fails every
 * write while reads go on, so a database that answers is not enough for readiness: a writer whose last write
 * failed makes the hub not ready until one of its writes succeeds again.
 */
export interface WriteHealth {
  /** The outcome of a writer's latest write: null when it landed. */
  record(writer: string, failure: { error: string } | null): void;
  failing(): WriteFailure[];
  /** Every writer is taken as healthy again (a write of the readiness check itself landed). */
  clear(): void;
}

export function writeHealth(now: () => number): WriteHealth {
  const failures = new Map<string, WriteFailure>();
  return {
    record(writer, failure) {
      if (!failure) {
        failures.delete(writer);
        return;
      }
      const since = failures.get(writer)?.since ?? now();
      failures.set(writer, { writer, error: failure.error, since });
    },
    failing: () => [...failures.values()],
    clear: () => failures.clear(),
  };
}
