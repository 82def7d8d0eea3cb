import { describe, expect, it } from "vitest";
import { manualClock } from "../../src/lib/clock";
import { createTtlCache } from "../../src/lib/ttl-cache";

describe("createTtlCache", () => {
  it("serves an entry until its age reaches the TTL on the hub's clock, then forgets it", () => {
    const clock = manualClock();
    const cache = createTtlCache<string>({ clock, ttlMs: 60_000, maxEntries: 10 });
    cache.set("a", "first");
    clock.advance(59_999);
    expect(cache.get("a")).toBe("first");
    clock.advance(1);
    expect(cache.get("a")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("restarts the age when an entry is set again, and deletes on request", () => {
    const clock = manualClock();
    const cache = createTtlCache<number>({ clock, ttlMs: 1_000, maxEntries: 10 });
    cache.set("a", 1);
    clock.advance(900);
    cache.set("a", 2);
    clock.advance(900);
    expect(cache.get("a")).toBe(2);
    cache.delete("a");
    expect(cache.get("a")).toBeUndefined();
  });

  it("holds at most maxEntries, dropping the least recently used first", () => {
    const clock = manualClock();
    const cache = createTtlCache<number>({ clock, ttlMs: 60_000, maxEntries: 3 });
    cache.set("a", 1);
    cache.set("b", 2);
    cache.set("c", 3);
    expect(cache.get("a")).toBe(1); // read: now the most recently used
    cache.set("d", 4);
    expect(cache.size).toBe(3);
    expect(cache.get("b")).toBeUndefined();
    expect([cache.get("a"), cache.get("c"), cache.get("d")]).toEqual([1, 3, 4]);
    for (let i = 0; i < 1_000; i++) cache.set(`k${i}`, i);
    expect(cache.size).toBe(3);
  });

  it("refuses a bound that would hold nothing", () => {
    expect(() => createTtlCache({ clock: manualClock(), ttlMs: 1, maxEntries: 0 })).toThrow(RangeError);
  });
});
