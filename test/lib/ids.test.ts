import { describe, expect, it } from "vitest";
import { newId } from "../../src/lib/ids";

describe("ids", () => {
  it("name what they are, and carry 32 hex digits", () => {
    expect(newId("tsk")).toMatch(/^tsk_[0-9a-f]{32}$/);
  });

  it("sort by creation time, so new rows append to their index", () => {
    const earlier = newId("evt", Date.UTC(2026, 0, 1));
    const later = newId("evt", Date.UTC(2026, 0, 1) + 1);
    expect(earlier < later).toBe(true);
    const many = Array.from({ length: 50 }, (_, i) => newId("evt", 1_700_000_000_000 + i));
    expect([...many].sort()).toEqual(many);
  });

  it("never repeat within the same millisecond", () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newId("evt", 1_700_000_000_000)));
    expect(ids.size).toBe(10_000);
  });
});

describe("ids made now", () => {
  it("are UUIDv7 and keep creation order even within one millisecond", () => {
    const many = Array.from({ length: 2_000 }, () => newId("evt"));
    expect([...many].sort()).toEqual(many);
    // The version nibble (13th hex digit) of a UUIDv7.
    expect(many[0]!.slice(4)[12]).toBe("7");
  });
});
