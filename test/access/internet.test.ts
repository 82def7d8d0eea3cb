import { describe, expect, it } from "vitest";
import {
  allowlistOf,
  describeInternet,
  matchHost,
  mayReachNonPublic,
  normalizeHost,
  opensInternet,
} from "../../src/access/internet";
import { INTERNET_PRESETS } from "../../src/access/internet-presets";
import type { InternetAccess } from "../../src/access/types";

// The allowlist's matching rule, as the egress proxy applies it.

const list = (domains: string[], presets?: "common-dependencies"[]) =>
  allowlistOf({ mode: "allowlist", domains, methods: ["get", "HEAD"], ...(presets ? { presets } : {}) })!;

describe("allowlist matching", () => {
  it("matches a plain entry to that host only, and a wildcard to every subdomain but not the domain", () => {
    const rules = list(["registry.npmjs.org", "*.pypi.org"]);
    expect(matchHost(rules, "registry.npmjs.org")).toMatchObject({ pattern: "registry.npmjs.org" });
    expect(matchHost(rules, "REGISTRY.npmjs.org.")).not.toBeNull();
    expect(matchHost(rules, "npmjs.org")).toBeNull();
    expect(matchHost(rules, "evil.registry.npmjs.org")).toBeNull();
    expect(matchHost(rules, "files.pypi.org")).toMatchObject({ pattern: "pypi.org", wildcard: true });
    expect(matchHost(rules, "a.b.pypi.org")).not.toBeNull();
    expect(matchHost(rules, "pypi.org")).toBeNull();
    expect(matchHost(rules, "notpypi.org")).toBeNull();
    expect(matchHost(rules, "pypi.org.evil.test")).toBeNull();
  });

  it("matches IP addresses in their canonical form, as clients may spell them otherwise", () => {
    const rules = list(["127.0.0.1", "::1"]);
    expect(normalizeHost("[0:0:0:0:0:0:0:1]")).toBe("::1");
    expect(matchHost(rules, "[::1]")).not.toBeNull();
    expect(matchHost(rules, "127.1")).not.toBeNull();
    expect(matchHost(rules, "127.0.0.2")).toBeNull();
  });

  it("expands presets under the same rule and keeps methods in upper case", () => {
    const rules = list([], ["common-dependencies"]);
    expect(rules.entries).toHaveLength(INTERNET_PRESETS["common-dependencies"].domains.length);
    expect(matchHost(rules, "files.pythonhosted.org")).toMatchObject({ source: "common-dependencies" });
    expect(matchHost(rules, "us.archive.ubuntu.com")).toMatchObject({ wildcard: true });
    expect(matchHost(rules, "example.org")).toBeNull();
    expect([...rules.methods]).toEqual(["GET", "HEAD"]);
  });

  it("lets a non-public address through only an exact entry of the environment's own list", () => {
    const rules = list(["mirror.corp.test", "*.corp.test", "10.0.0.5"], ["common-dependencies"]);
    expect(mayReachNonPublic(rules, "mirror.corp.test", "10.1.2.3")).toBe(true);
    expect(mayReachNonPublic(rules, "other.corp.test", "10.1.2.3")).toBe(false);
    expect(mayReachNonPublic(rules, "other.corp.test", "10.0.0.5")).toBe(true);
    expect(mayReachNonPublic(rules, "registry.npmjs.org", "127.0.0.1")).toBe(false);
  });

  it("says whether a setting opens anything, and describes it", () => {
    const off: InternetAccess = { mode: "off" };
    const preset: InternetAccess = {
      mode: "allowlist",
      domains: [],
      methods: ["GET"],
      presets: ["common-dependencies"],
    };
    expect(opensInternet(off)).toBe(false);
    expect(opensInternet({ mode: "allowlist", domains: [], methods: ["GET"] })).toBe(false);
    expect(opensInternet(preset)).toBe(true);
    expect(describeInternet(preset)).toMatch(
      /^allowlist of 0 domain\(s\) and the common-dependencies preset \(\d+ hosts\); methods GET$/,
    );
  });
});
