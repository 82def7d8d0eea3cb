import { describe, expect, it } from "vitest";
import { createHub } from "../../src/hub";
import { manualClock } from "../../src/lib/clock";
import { silentLogger } from "../../src/lib/logger";
import { openNodeDatabase } from "../../src/runtime/node-db";
import { createNodeMetrics } from "../../src/runtime/node-metrics";
import { getSnapshot, SNAPSHOT_TTL_MS } from "../../src/workspace/snapshot";
import { createWorkspace } from "../../src/workspace/workspaces";
import { testConfig } from "../helpers/world-config";

// Each hub owns its caches (Deps.caches): two hubs in one process, even on one database, keep their own
// entries, and an entry ages by its hub's clock.

function hubOn(database: ReturnType<typeof openNodeDatabase>, clock = manualClock()) {
  return createHub({
    config: testConfig(),
    database,
    clock,
    logger: silentLogger,
    metrics: createNodeMetrics({ thread: "http" }).metrics,
  });
}

describe("Deps.caches", () => {
  it("are not shared between two hubs on one database", async () => {
    const database = openNodeDatabase(":memory:");
    try {
      const one = hubOn(database);
      const two = hubOn(database);
      expect(one.deps.caches).not.toBe(two.deps.caches);
      const ws = await createWorkspace(one.deps, { name: "Shared", ownerEmail: "owner@acme.test" }, "test");

      const fromOne = await getSnapshot(one.deps, ws.id);
      expect(await getSnapshot(one.deps, ws.id)).toBe(fromOne);
      const fromTwo = await getSnapshot(two.deps, ws.id);
      expect(fromTwo).not.toBe(fromOne);
      expect(fromTwo.snapshot).toEqual(fromOne.snapshot);
      expect(one.deps.caches.snapshots.size).toBe(1);
      expect(two.deps.caches.snapshots.size).toBe(1);
    } finally {
      database.close();
    }
  });

  it("rebuild a snapshot whose age passed the TTL on the hub's clock, even with no change", async () => {
    const database = openNodeDatabase(":memory:");
    const clock = manualClock();
    try {
      const hub = hubOn(database, clock);
      const ws = await createWorkspace(hub.deps, { name: "Idle", ownerEmail: "owner@acme.test" }, "test");
      const first = await getSnapshot(hub.deps, ws.id);
      clock.advance(SNAPSHOT_TTL_MS - 1);
      expect(await getSnapshot(hub.deps, ws.id)).toBe(first);
      clock.advance(1);
      const second = await getSnapshot(hub.deps, ws.id);
      expect(second).not.toBe(first);
      expect(second.snapshot).toEqual(first.snapshot);
    } finally {
      database.close();
    }
  });
});
