import { describe, expect, it } from "vitest";
import { lookupPolicy, parseRequirements } from "../../src/access/policies";
import type { WorkspaceSnapshot } from "../../src/access/types";
import { baseSnapshot } from "./fixture";

describe("requirements.toml parsing", () => {
  it("accepts the documented examples", () => {
    const result = parseRequirements(`
allowed_web_search_modes = ["disabled", "cached"]
allowed_sandbox_modes = ["workspace-write"]
allowed_approval_policies = ["on-request"]

[rules]
prefix_rules = [
  { pattern = [{ token = "git" }, { any_of = ["push", "commit"] }], decision = "prompt", justification = "Require review before mutating remote history." },
]

[features]
web_search_request = false

[mcp_servers.docs.identity]
url = "https://mcp.example.test"
`);
    expect(result).toEqual({
      ok: true,
      warnings: [],
      requirements: {
        allowed_web_search_modes: ["disabled", "cached"],
        allowed_sandbox_modes: ["workspace-write"],
        allowed_approval_policies: ["on-request"],
        rules: {
          prefix_rules: [
            {
              pattern: [{ token: "git" }, { any_of: ["push", "commit"] }],
              decision: "prompt",
              justification: "Require review before mutating remote history.",
            },
          ],
        },
        features: { web_search_request: false },
        mcp_servers: { docs: { identity: { url: "https://mcp.example.test" } } },
      },
    });
  });

  it("reports unknown keys, nested ones too, and keeps the rest", () => {
    const result = parseRequirements(`
allowed_sandbox_mode = ["read-only"]
allowed_approval_policies = ["never"]
[rules]
prefix_rules = [{ pattern = [{ token = "rm", fuzzy = true }], decision = "forbidden", why = "x" }]
`);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings).toEqual(
      expect.arrayContaining([
        expect.stringContaining("`allowed_sandbox_mode`"),
        expect.stringContaining("`rules.prefix_rules[0].why`"),
        expect.stringContaining("`rules.prefix_rules[0].pattern[0].fuzzy`"),
      ]),
    );
    expect(result.warnings).toHaveLength(3);
    expect(result.requirements).toEqual({
      allowed_approval_policies: ["never"],
      rules: { prefix_rules: [{ pattern: [{ token: "rm" }], decision: "forbidden" }] },
    });
  });

  it("rejects invalid values with a message naming the key and the accepted values", () => {
    const result = parseRequirements(`allowed_sandbox_modes = ["workspace-write", "yolo"]`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toEqual([
      'allowed_sandbox_modes[1]: "yolo" is not a valid sandbox mode; use one of read-only, workspace-write, danger-full-access, external-sandbox',
    ]);
  });

  it("refuses rules that would allow, since requirements only tighten", () => {
    const result = parseRequirements(`
[rules]
prefix_rules = [{ pattern = [{ token = "curl" }], decision = "allow" }]
`);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors[0]).toMatch(/^rules\.prefix_rules\[0\]\.decision: "allow" is not allowed/);
  });

  it("rejects wrong types and malformed pattern elements", () => {
    const result = parseRequirements(`
allowed_web_search_modes = "cached"
[features]
apply_patch = "yes"
[rules]
prefix_rules = [{ pattern = [{ token = "git", any_of = ["a"] }] }]
`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(3);
    expect(result.errors.join("\n")).toMatch(/allowed_web_search_modes/);
    expect(result.errors.join("\n")).toMatch(/features\.apply_patch: feature pins must be true or false/);
    expect(result.errors.join("\n")).toMatch(/exactly one of `token` or `any_of`/);
  });

  it("reports TOML syntax errors", () => {
    const result = parseRequirements(`allowed_sandbox_modes = ["read-only"`);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors[0]).toMatch(/^requirements\.toml is not valid TOML at line 1, column \d+: \S/);
  });
});

function withRules(rules: { groupId: string; policyId: string }[], defaultPolicyId: string | null) {
  const s: WorkspaceSnapshot = baseSnapshot();
  s.policies.push({ id: "pol-users", name: "Users", requirements: { allowed_web_search_modes: ["cached"] } });
  s.policyAssignments = { rules, defaultPolicyId };
  return s;
}

describe("policy lookup", () => {
  const ordered = [
    { groupId: "g-admins", policyId: "pol-admin" },
    { groupId: "g-users", policyId: "pol-users" },
  ];

  it("by email: the first matching group rule wins and the policy is taken whole", () => {
    const found = lookupPolicy(withRules(ordered, "pol-base"), { email: "GINA@acme.test" });
    expect(found.source).toBe("group_rule");
    expect(found.policy?.id).toBe("pol-admin");
    // Nothing from the later matching rule (pol-users) or the default (pol-base) is merged in.
    expect(found.policy?.requirements).toEqual({ allowed_approval_policies: ["never"] });
    expect(found.reason).toContain("g-admins");
  });

  it("by email: rule order decides, not group order", () => {
    const found = lookupPolicy(withRules([...ordered].reverse(), "pol-base"), { email: "gina@acme.test" });
    expect(found.policy?.id).toBe("pol-users");
  });

  it("by email: no matching group falls back to the default", () => {
    const found = lookupPolicy(withRules(ordered, "pol-base"), { email: "carol@acme.test" });
    expect(found).toMatchObject({ source: "default", policy: { id: "pol-base" } });
    expect(lookupPolicy(withRules(ordered, null), { email: "carol@acme.test" })).toMatchObject({
      source: "none",
      policy: null,
    });
  });

  it("by email: unknown members are reported, not given the default", () => {
    expect(lookupPolicy(withRules(ordered, "pol-base"), { email: "who@acme.test" })).toMatchObject({
      source: "unknown_member",
      policy: null,
    });
  });

  it("by group: the group's first rule, with a note when earlier rules can take precedence", () => {
    const found = lookupPolicy(withRules(ordered, "pol-base"), { groupId: "g-users" });
    expect(found).toMatchObject({ source: "group_rule", ruleIndex: 1, policy: { id: "pol-users" } });
    expect(found.reason).toMatch(/earlier rule/);
    expect(lookupPolicy(withRules(ordered, "pol-base"), { groupId: "g-empty" })).toMatchObject({
      source: "default",
      policy: { id: "pol-base" },
    });
    expect(lookupPolicy(withRules(ordered, "pol-base"), { groupId: "g-nope" }).source).toBe("unknown_group");
  });

  it("a rule pointing at a deleted policy is passed over", () => {
    const rules = [{ groupId: "g-admins", policyId: "pol-deleted" }, ...ordered.slice(1)];
    const found = lookupPolicy(withRules(rules, "pol-base"), { email: "gina@acme.test" });
    expect(found.policy?.id).toBe("pol-users");
  });
});
