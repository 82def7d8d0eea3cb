import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { manualClock } from "../../src/lib/clock";
import { openNodeDatabase } from "../../src/runtime/node-db";
import { createCaches } from "../../src/workspace/caches";
import { updateMember } from "../../src/workspace/members";
import { getSnapshot, invalidateSnapshot } from "../../src/workspace/snapshot";
import { createWorkspace } from "../../src/workspace/workspaces";

// Two processes (or Worker isolates) on one database each keep their own snapshot cache (their own Deps'
// caches); a change made by one must reach the other's next decision, not only its own.

describe("snapshot cache across processes", () => {
  it("reloads when another process changed the workspace", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "hub-snap-")), "hub.sqlite");
    const clock = manualClock();
    const one = { database: openNodeDatabase(file), clock, caches: createCaches(clock) };
    const two = { database: openNodeDatabase(file), clock, caches: createCaches(clock) };
    try {
      const ws = await createWorkspace(one, { name: "Shared", ownerEmail: "owner@acme.test" }, "test");
      const before = await getSnapshot(two, ws.id);
      const owner = before.snapshot.members[0]!;
      expect(owner.status).toBe("active");
      expect(await getSnapshot(two, ws.id)).toBe(before);

      await updateMember(one, ws.id, owner.id, { status: "deactivated" }, "test");
      const after = await getSnapshot(two, ws.id);
      expect(after.members.get(owner.id)?.member.status).toBe("deactivated");

      // A change made outside the admin services is announced with invalidateSnapshot.
      one.database.sqlite.prepare("UPDATE workspaces SET codex_cloud = 1 WHERE id = ?").run(ws.id);
      expect((await getSnapshot(two, ws.id)).snapshot.toggles.codexCloud).toBe(false);
      await invalidateSnapshot(one, ws.id);
      expect((await getSnapshot(two, ws.id)).snapshot.toggles.codexCloud).toBe(true);
    } finally {
      one.database.close();
      two.database.close();
    }
  });
});
