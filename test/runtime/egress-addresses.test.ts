import { describe, expect, it } from "vitest";
import { nonPublicRange } from "../../src/runtime/egress-addresses";

describe("non-public addresses", () => {
  it("names loopback, private, link-local and other non-public ranges, IPv4-mapped ones included", () => {
    expect(nonPublicRange("127.0.0.1")).toBe("loopback");
    expect(nonPublicRange("::1")).toBe("loopback");
    expect(nonPublicRange("::ffff:127.0.0.1")).toBe("loopback");
    expect(nonPublicRange("10.20.30.40")).toBe("private");
    expect(nonPublicRange("172.31.255.255")).toBe("private");
    expect(nonPublicRange("192.168.1.1")).toBe("private");
    expect(nonPublicRange("fd12::1")).toBe("private");
    expect(nonPublicRange("169.254.169.254")).toBe("link-local");
    expect(nonPublicRange("fe80::1")).toBe("link-local");
    expect(nonPublicRange("0.0.0.0")).toBe("unspecified");
    expect(nonPublicRange("100.64.0.1")).toBe("shared (carrier-grade NAT)");
    expect(nonPublicRange("8.8.8.8")).toBeNull();
    expect(nonPublicRange("172.32.0.1")).toBeNull();
    expect(nonPublicRange("2606:4700::1111")).toBeNull();
  });
});
