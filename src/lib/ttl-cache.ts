import type { Clock } from "./clock";

/**
 * An in-memory map whose entries expire `ttlMs` after they were set (by the hub's clock, so tests move time)
 * and which holds at most `maxEntries`: a busy hub cannot grow it without limit. Built once per hub (see
 * `Deps.caches`), so two hubs in one process never share entries.
 */
export interface TtlCache<V> {
  /** The live value under `key`, or undefined when there is none or it expired. */
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  delete(key: string): void;
  /** Entries held, expired ones not yet swept included. */
  readonly size: number;
}

export interface TtlCacheOptions {
  clock: Clock;
  ttlMs: number;
  maxEntries: number;
}

interface Entry<V> {
  value: V;
  expiresAt: number;
}

export function createTtlCache<V>(options: TtlCacheOptions): TtlCache<V> {
  const { clock, ttlMs, maxEntries } = options;
  if (!(maxEntries >= 1)) throw new RangeError("A cache holds at least one entry.");
  // A Map iterates in insertion order; re-inserting on every read keeps the least recently used entry first,
  // which is the one dropped when the cache is full (expired entries are dropped when next read).
  const entries = new Map<string, Entry<V>>();

  return {
    get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      if (entry.expiresAt <= clock.now()) return undefined;
      entries.set(key, entry);
      return entry.value;
    },
    set(key, value) {
      entries.delete(key);
      while (entries.size >= maxEntries) {
        const oldest = entries.keys().next().value as string;
        entries.delete(oldest);
      }
      entries.set(key, { value, expiresAt: clock.now() + ttlMs });
    },
    delete(key) {
      entries.delete(key);
    },
    get size() {
      return entries.size;
    },
  };
}
