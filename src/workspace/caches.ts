import type { Caches } from "../deps";
import type { Clock } from "../lib/clock";
import { createTtlCache } from "../lib/ttl-cache";
import { REPO_PERMISSION_CACHE_SIZE, REPO_PERMISSION_TTL_MS } from "./repo-permission";
import { SNAPSHOT_CACHE_SIZE, SNAPSHOT_TTL_MS } from "./snapshot";

/** A hub's caches, empty, aged by its clock; hub.ts builds one set per hub. */
export function createCaches(clock: Clock): Caches {
  return {
    snapshots: createTtlCache({ clock, ttlMs: SNAPSHOT_TTL_MS, maxEntries: SNAPSHOT_CACHE_SIZE }),
    repoPermissions: createTtlCache({
      clock,
      ttlMs: REPO_PERMISSION_TTL_MS,
      maxEntries: REPO_PERMISSION_CACHE_SIZE,
    }),
  };
}
