import { describe, expect, it } from "vitest";
import {
  describeOverrides,
  layerConfig,
  mergeTeamConfig,
  parseTeamConfig,
  policyRulesFile,
  type TeamConfigLimits,
  teamConfigLimits,
} from "../../src/tasks/executors/team-config";

// The repository's `.codex/config.toml` applies to a cloud task except where the requester's managed policy or
// the hub's limits for a cloud task say otherwise; what they replaced is reported.

const team = (text: string) => {
  const parsed = parseTeamConfig(text);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.config;
};

const open: TeamConfigLimits = { sandboxMode: "workspace-write", network: true };

describe("merging Team Config with the managed policy", () => {
  it("keeps what nothing constrains", () => {
    const config = team('model = "gpt-5"\nmodel_reasoning_effort = "high"\nsandbox_mode = "read-only"\n');
    expect(mergeTeamConfig(config, open)).toEqual({ config, overridden: [] });
  });

  it("lets the policy's sandbox modes win over the repository's", () => {
    const merged = mergeTeamConfig(team('sandbox_mode = "danger-full-access"'), {
      ...open,
      requirements: { allowed_sandbox_modes: ["read-only", "workspace-write"] },
      policyName: "Strict",
    });
    expect(merged.config.sandbox_mode).toBe("workspace-write");
    expect(merged.overridden).toEqual([
      {
        key: "sandbox_mode",
        team: "danger-full-access",
        effective: "workspace-write",
        by: "policy",
        reason: "managed policy Strict allows only read-only, workspace-write",
      },
    ]);
  });

  it("never widens a cloud task's sandbox, even without a policy", () => {
    const merged = mergeTeamConfig(team('sandbox_mode = "workspace-write"'), {
      ...open,
      sandboxMode: "read-only",
    });
    expect(merged.config.sandbox_mode).toBe("read-only");
    expect(merged.overridden[0]).toMatchObject({
      by: "hub",
      reason: "this cloud task runs in read-only at most",
    });
  });

  it("turns network and web search off where the policy forbids the internet", () => {
    const config = team(
      'web_search = "live"\n[sandbox_workspace_write]\nnetwork_access = true\nwritable_roots = ["/tmp"]\n',
    );
    const merged = mergeTeamConfig(config, {
      ...open,
      network: false,
      networkReason: "your role does not allow agent internet access",
    });
    expect(merged.config).toEqual({
      web_search: "disabled",
      sandbox_workspace_write: { network_access: false, writable_roots: ["/tmp"] },
    });
    expect(merged.overridden.map((o) => [o.key, o.by, o.reason])).toEqual([
      ["web_search", "policy", "your role does not allow agent internet access"],
      ["sandbox_workspace_write.network_access", "policy", "your role does not allow agent internet access"],
    ]);
  });

  it("applies allowed web search modes, approval policies, feature pins and the MCP allowlist", () => {
    const config = team(
      [
        'web_search = "live"',
        'approval_policy = "on-request"',
        "[features]",
        "unified_exec = true",
        "[mcp_servers.docs]",
        'url = "https://docs.example/mcp"',
        "[mcp_servers.shell]",
        'command = "evil-mcp"',
      ].join("\n"),
    );
    const merged = mergeTeamConfig(config, {
      ...open,
      requirements: {
        allowed_web_search_modes: ["cached"],
        allowed_approval_policies: ["never"],
        features: { unified_exec: false, shell_snapshot: true },
        mcp_servers: { docs: { identity: { url: "https://docs.example/mcp" } } },
      },
    });
    expect(merged.config).toEqual({
      web_search: "disabled",
      approval_policy: "never",
      features: { unified_exec: false, shell_snapshot: true },
      mcp_servers: { docs: { url: "https://docs.example/mcp" } },
    });
    expect(merged.overridden.map((o) => [o.key, o.by])).toEqual([
      ["approval_policy", "policy"],
      ["web_search", "policy"],
      ["features.unified_exec", "policy"],
      ["mcp_servers.shell", "policy"],
    ]);
    expect(describeOverrides(merged.overridden)).toContain(
      'approval_policy = "on-request" → "never" (your managed policy allows only never)',
    );
    expect(describeOverrides(merged.overridden)).toContain(
      "mcp_servers.shell → removed (your managed policy does not allow this MCP server)",
    );
  });

  it("replaces an approval policy nobody could answer in a cloud task, saying it was the hub", () => {
    const merged = mergeTeamConfig(team('approval_policy = "untrusted"'), open);
    expect(merged.overridden).toEqual([
      expect.objectContaining({ key: "approval_policy", effective: "never", by: "hub" }),
    ]);
  });

  it("reports invalid TOML instead of guessing", () => {
    const parsed = parseTeamConfig("model = ");
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/^\.codex\/config\.toml is not valid TOML \(line 1/);
  });

  it("derives the limits from the task and its environment", () => {
    expect(teamConfigLimits("review", { internet: { mode: "off" } })).toEqual({
      sandboxMode: "read-only",
      network: false,
    });
    expect(
      teamConfigLimits("task", {
        internet: { mode: "allowlist", domains: ["pypi.org"], methods: ["GET"] },
        managedPolicy: { name: "Strict", requirements: { allowed_sandbox_modes: ["read-only"] } },
        allowedSandboxModes: ["read-only"],
      }),
    ).toEqual({
      sandboxMode: "read-only",
      network: true,
      requirements: { allowed_sandbox_modes: ["read-only"] },
      policyName: "Strict",
    });
  });

  it("writes the policy's command rules as a Codex rules file", () => {
    expect(
      policyRulesFile({
        rules: {
          prefix_rules: [
            {
              pattern: [{ token: "git" }, { any_of: ["push", "commit"] }],
              decision: "forbidden",
              justification: "No history changes.",
            },
          ],
        },
      }),
    ).toContain(
      'prefix_rule(pattern = ["git", ["push","commit"]], decision = "forbidden", justification = "No history changes.")',
    );
    expect(policyRulesFile(undefined)).toBeNull();
  });

  it("lays the hub's own settings over the repository's, table by table", () => {
    expect(
      layerConfig(
        { model: "o3", shell_environment_policy: { inherit: "core", set: { A: "1", HTTPS_PROXY: "x" } } },
        { shell_environment_policy: { set: { HTTPS_PROXY: "http://proxy" } } },
      ),
    ).toEqual({
      model: "o3",
      shell_environment_policy: { inherit: "core", set: { A: "1", HTTPS_PROXY: "http://proxy" } },
    });
  });
});
