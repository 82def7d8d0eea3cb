import { parse as parseToml, TomlError } from "smol-toml";
import { opensInternet } from "../../access/internet";
import type { Requirements } from "../../access/requirements";
import type { TaskEnvironment } from "./types";

// Team Config: the repository's `.codex/config.toml` (defaults for sandbox, approvals, model...), `.codex/rules/`
// and `.codex/skills/` ("Codex automatically picks up Team Config settings when a user opens that repository").
// A cloud task honours it, except where the requester's managed policy (requirements.toml) or the hub's own
// limits for a cloud task say otherwise: those win, and each value they replaced is reported, so the task
// shows why the agent did not run as the repository asked. Pure: the executors read the files and apply this.

export type TeamConfigValues = Record<string, unknown>;

/** What the repository's config may not exceed for this task. */
export interface TeamConfigLimits {
  /** The widest sandbox the task runs in: a review reads only, a task edits its checkout. */
  sandboxMode: "read-only" | "workspace-write";
  /** Whether the task's environment lets the agent reach the internet at all. */
  network: boolean;
  /** Why it may not (the environment's setting, the workspace switch or the requester's role). */
  networkReason?: string;
  /** The requester's managed policy, when one applies. */
  requirements?: Requirements;
  policyName?: string;
}

export interface TeamConfigOverride {
  /** Dotted key, e.g. `sandbox_mode` or `mcp_servers.tracker`. */
  key: string;
  team: unknown;
  /** What the task runs with instead; undefined when the entry was removed. */
  effective: unknown;
  /** `policy`: the requester's managed policy or the workspace's settings; `hub`: what a cloud task can do. */
  by: "policy" | "hub";
  reason: string;
}

export interface MergedTeamConfig {
  config: TeamConfigValues;
  overridden: TeamConfigOverride[];
}

const SANDBOX_RANK: Record<string, number> = {
  "read-only": 0,
  "workspace-write": 1,
  "danger-full-access": 2,
};

const isTable = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** TOML values as plain JSON (dates become their text), which is what the Codex SDK's config accepts. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Date) return value.toISOString();
  if (isTable(value)) {
    if (!Object.getPrototypeOf(value) || Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
    }
    return String(value);
  }
  if (typeof value === "bigint") return Number(value);
  return value;
}

export type TeamConfigParse = { ok: true; config: TeamConfigValues } | { ok: false; error: string };

export function parseTeamConfig(text: string): TeamConfigParse {
  try {
    return { ok: true, config: plain(parseToml(text)) as TeamConfigValues };
  } catch (error) {
    const detail =
      error instanceof TomlError
        ? `line ${error.line}, column ${error.column}: ${error.message.split("\n")[0]}`
        : String(error);
    return { ok: false, error: `.codex/config.toml is not valid TOML (${detail}); it was ignored` };
  }
}

/** The repository's config with the managed policy's and the hub's limits applied, and what they replaced. */
export function mergeTeamConfig(team: TeamConfigValues, limits: TeamConfigLimits): MergedTeamConfig {
  const config = structuredClone(team);
  const overridden: TeamConfigOverride[] = [];
  const req = limits.requirements ?? {};
  const policy = limits.policyName ? `managed policy ${limits.policyName}` : "your managed policy";
  const noNetwork = limits.networkReason ?? "the task's environment has no internet access";
  const override = (key: string, effective: unknown, by: TeamConfigOverride["by"], reason: string) => {
    overridden.push({ key, team: config[key], effective, by, reason });
    if (effective === undefined) delete config[key];
    else config[key] = effective;
  };

  if ("sandbox_mode" in config) {
    const mode = config.sandbox_mode;
    const allowed = req.allowed_sandbox_modes;
    if (typeof mode === "string" && allowed && !(allowed as readonly string[]).includes(mode)) {
      override("sandbox_mode", limits.sandboxMode, "policy", `${policy} allows only ${allowed.join(", ")}`);
    } else if (typeof mode !== "string" || (SANDBOX_RANK[mode] ?? 9) > SANDBOX_RANK[limits.sandboxMode]!) {
      override(
        "sandbox_mode",
        limits.sandboxMode,
        "hub",
        `this cloud task runs in ${limits.sandboxMode} at most`,
      );
    }
  }

  if ("approval_policy" in config && config.approval_policy !== "never") {
    const allowed = req.allowed_approval_policies as readonly string[] | undefined;
    const value = config.approval_policy;
    if (allowed && typeof value === "string" && !allowed.includes(value)) {
      override("approval_policy", "never", "policy", `${policy} allows only ${allowed.join(", ")}`);
    } else {
      override("approval_policy", "never", "hub", "nobody is there to approve commands in a cloud task");
    }
  }

  if ("web_search" in config && config.web_search !== "disabled") {
    // `disabled` is always allowed; an empty list therefore means "web search off" (requirements.ts).
    const allowed = req.allowed_web_search_modes as readonly string[] | undefined;
    const value = config.web_search;
    if (allowed && !(typeof value === "string" && allowed.includes(value))) {
      const which = allowed.length > 0 ? `only ${allowed.join(", ")}` : "no web search";
      override("web_search", "disabled", "policy", `${policy} allows ${which}`);
    } else if (!limits.network) {
      override("web_search", "disabled", "policy", noNetwork);
    }
  }

  const writeTable = config.sandbox_workspace_write;
  if (isTable(writeTable) && writeTable.network_access === true && !limits.network) {
    overridden.push({
      key: "sandbox_workspace_write.network_access",
      team: true,
      effective: false,
      by: "policy",
      reason: noNetwork,
    });
    config.sandbox_workspace_write = { ...writeTable, network_access: false };
  }

  if (req.features) {
    const features = isTable(config.features) ? { ...config.features } : {};
    for (const [name, pinned] of Object.entries(req.features)) {
      if (name in features && features[name] !== pinned) {
        overridden.push({
          key: `features.${name}`,
          team: features[name],
          effective: pinned,
          by: "policy",
          reason: `${policy} pins this feature ${pinned ? "on" : "off"}`,
        });
      }
      features[name] = pinned;
    }
    config.features = features;
  }

  if (req.mcp_servers && isTable(config.mcp_servers)) {
    const servers = { ...config.mcp_servers };
    for (const [name, server] of Object.entries(servers)) {
      const allowed = req.mcp_servers[name]?.identity;
      const same =
        allowed !== undefined &&
        isTable(server) &&
        (allowed.command !== undefined ? server.command === allowed.command : server.url === allowed.url);
      if (same) continue;
      overridden.push({
        key: `mcp_servers.${name}`,
        team: server,
        effective: undefined,
        by: "policy",
        reason: `${policy} does not allow this MCP server`,
      });
      delete servers[name];
    }
    config.mcp_servers = servers;
  }

  return { config, overridden };
}

const show = (value: unknown) => (value === undefined ? "removed" : JSON.stringify(value));

/** One line for the task's progress: which Team Config values did not apply, and why. */
export function describeOverrides(overridden: readonly TeamConfigOverride[]): string | null {
  if (overridden.length === 0) return null;
  const items = overridden.map((o) => {
    const value = o.key.startsWith("mcp_servers.") ? "" : ` = ${show(o.team)}`;
    return `${o.key}${value} → ${show(o.effective)} (${o.reason})`;
  });
  return `Team Config values overridden: ${items.join("; ")}.`;
}

/**
 * The managed policy's command rules as a Codex rules file. Codex applies the most restrictive decision of all
 * matching rules, so these win over any `.codex/rules/` file of the repository that would allow more.
 */
export function policyRulesFile(requirements: Requirements | undefined): string | null {
  const rules = requirements?.rules?.prefix_rules ?? [];
  if (rules.length === 0) return null;
  const lines = rules.map((rule) => {
    const pattern = rule.pattern.map((t) => JSON.stringify(t.token ?? t.any_of)).join(", ");
    const justification = rule.justification ? `, justification = ${JSON.stringify(rule.justification)}` : "";
    return `prefix_rule(pattern = [${pattern}], decision = ${JSON.stringify(rule.decision ?? "prompt")}${justification})`;
  });
  return `# From the requester's managed policy (requirements.toml); written by the hub.\n${lines.join("\n")}\n`;
}

/** The limits of one task: its kind, its environment's internet access and the requester's managed policy. */
export function teamConfigLimits(
  kind: "task" | "review",
  environment:
    | Pick<TaskEnvironment, "internet" | "internetReason" | "allowedSandboxModes" | "managedPolicy">
    | undefined,
): TeamConfigLimits {
  const allowed = environment?.allowedSandboxModes;
  const sandboxMode =
    kind === "review" || (allowed && !allowed.includes("workspace-write")) ? "read-only" : "workspace-write";
  return {
    sandboxMode,
    network: environment ? opensInternet(environment.internet) : false,
    ...(environment?.internetReason ? { networkReason: environment.internetReason } : {}),
    ...(environment?.managedPolicy
      ? { requirements: environment.managedPolicy.requirements, policyName: environment.managedPolicy.name }
      : {}),
  };
}

const isPlainTable = (value: unknown): value is Record<string, unknown> => isTable(value);

/** `base` with `over` laid on top, table by table: the hub's own settings (`over`) win over Team Config. */
export function layerConfig(
  base: TeamConfigValues | undefined,
  over: TeamConfigValues | undefined,
): TeamConfigValues {
  const out: TeamConfigValues = { ...base };
  for (const [key, value] of Object.entries(over ?? {})) {
    const under = out[key];
    out[key] = isPlainTable(under) && isPlainTable(value) ? layerConfig(under, value) : value;
  }
  return out;
}
