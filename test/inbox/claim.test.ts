import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { inbox } from "../../src/db/schema/inbox";
import { claimInbox } from "../../src/inbox/store";
import { createWorld, type World } from "../helpers/world";

let hub: World;
afterEach(() => hub?.close());

const lease = 60_000;

async function store(h: World, key: string, receivedAt: number) {
  await h.deps.inbox.add({
    platform: "github",
    deliveryKey: key,
    replayDigest: false,
    eventType: "pull_request.opened",
    payload: "{}",
    known: true,
    receivedAt,
  });
}

describe("claiming inbox rows", () => {
  it("takes rows whose worker died first, then due rows in the order they fell due, never rows not yet due", async () => {
    hub = createWorld();
    const now = hub.clock.now();
    await store(hub, "due-later", now - 1_000);
    await store(hub, "due-first", now - 5_000);
    await store(hub, "not-due", now + 60_000);
    await store(hub, "orphaned", now - 10_000);
    await store(hub, "still-held", now - 10_000);
    const { db } = hub.database;
    // "orphaned" was claimed by a worker whose lease ran out; "still-held" is being worked on.
    await db
      .update(inbox)
      .set({ status: "processing", leaseUntil: now - 1 })
      .where(eq(inbox.deliveryKey, "orphaned"));
    await db
      .update(inbox)
      .set({ status: "processing", leaseUntil: now + lease })
      .where(eq(inbox.deliveryKey, "still-held"));

    const claimed = await claimInbox(hub.database, now, lease, 10);
    expect(claimed.map((r) => r.deliveryKey)).toEqual(["orphaned", "due-first", "due-later"]);
    expect(claimed.every((r) => r.status === "processing" && r.leaseUntil === now + lease)).toBe(true);
    expect(await claimInbox(hub.database, now, lease, 10)).toEqual([]);
  });

  it("stops at the limit, and a second worker gets the next rows, not the same ones", async () => {
    hub = createWorld();
    const now = hub.clock.now();
    for (let i = 0; i < 5; i++) await store(hub, `d-${i}`, now - 5_000 + i);
    const first = await claimInbox(hub.database, now, lease, 3);
    const second = await claimInbox(hub.database, now, lease, 3);
    expect(first.map((r) => r.deliveryKey)).toEqual(["d-0", "d-1", "d-2"]);
    expect(second.map((r) => r.deliveryKey)).toEqual(["d-3", "d-4"]);
  });

  it("reads only the rows it takes, however large the backlog (no scan or sort of every due row)", async () => {
    hub = createWorld();
    const executed: string[] = [];
    const { sqlite } = hub.database;
    const prepare = sqlite.prepare.bind(sqlite);
    sqlite.prepare = ((source: string) => {
      executed.push(source);
      return prepare(source);
    }) as typeof sqlite.prepare;
    await claimInbox(hub.database, hub.clock.now(), lease, 32);
    sqlite.prepare = prepare;

    const claims = executed.filter((s) => s.startsWith("update"));
    expect(claims).toHaveLength(2);
    for (const source of claims) {
      const params = (source.match(/\?/g) ?? []).map(() => 1);
      const plan = (sqlite.prepare(`EXPLAIN QUERY PLAN ${source}`).all(...params) as { detail: string }[])
        .map((step) => step.detail)
        .join("\n");
      expect(plan).not.toMatch(/SCAN inbox|TEMP B-TREE/);
      expect(plan).toMatch(/USING (COVERING )?INDEX sqlite_autoindex_inbox_1 \(id=\?\)/);
    }
  });
});
