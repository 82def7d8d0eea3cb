import { INTERNET_PRESETS, type InternetPresetName } from "./internet-presets";
import type { InternetAccess } from "./types";

// What an environment's internet allowlist lets the agent reach, as the egress proxy (runtime/egress-proxy.ts)
// applies it. The rule, in one place:
// - `example.com` matches the host example.com only; `*.example.com` matches every subdomain of example.com
//   at any depth (a.example.com, a.b.example.com) but not example.com itself. `localhost` and IP addresses
//   (`127.0.0.1`, `::1`) match that name or address only. Hosts compare without case or a trailing dot.
// - A preset (access/internet-presets.ts) adds its hosts under the same rule.
// - Methods are checked where the proxy sees the request: plain HTTP. HTTPS goes through a CONNECT tunnel
//   whose requests are encrypted, so a tunnel is checked by host alone.
// - A host that resolves to a loopback, link-local, private or otherwise non-public address is refused unless
//   the environment's own list names that host exactly (not through a wildcard or a preset) or names the
//   address: a wildcard or a public name must not become a way into the hub's own network.

export interface AllowEntry {
  /** The host (or, for a wildcard, the domain whose subdomains match), normalized. */
  pattern: string;
  wildcard: boolean;
  /** The environment's own list, or the preset the entry came from. */
  source: "environment" | InternetPresetName;
}

export interface Allowlist {
  entries: AllowEntry[];
  /** Upper case. */
  methods: ReadonlySet<string>;
}

/** Lower case, no brackets around an IPv6 address, no trailing dot; IP addresses in their canonical form. */
export function normalizeHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1);
  while (h.endsWith(".")) h = h.slice(0, -1);
  try {
    // The URL parser canonicalizes addresses (`0:0::1` → `::1`, `127.1` → `127.0.0.1`), as clients send them.
    const parsed = new URL(`http://${h.includes(":") ? `[${h}]` : h}/`).hostname;
    return parsed.startsWith("[") ? parsed.slice(1, -1) : parsed;
  } catch {
    return h;
  }
}

/** The allowlist an internet setting opens, presets expanded; null when internet access is off. */
export function allowlistOf(access: InternetAccess): Allowlist | null {
  if (access.mode !== "allowlist") return null;
  const entries: AllowEntry[] = [];
  const add = (entry: string, source: AllowEntry["source"]) => {
    const wildcard = entry.startsWith("*.");
    entries.push({ pattern: normalizeHost(wildcard ? entry.slice(2) : entry), wildcard, source });
  };
  for (const domain of access.domains) add(domain, "environment");
  for (const name of access.presets ?? []) {
    for (const domain of INTERNET_PRESETS[name]?.domains ?? []) add(domain, name);
  }
  return { entries, methods: new Set(access.methods.map((m) => m.toUpperCase())) };
}

/** True when the setting lets the agent reach at least one host. */
export function opensInternet(access: InternetAccess): boolean {
  return (allowlistOf(access)?.entries.length ?? 0) > 0;
}

/** The entry that lets `host` through, if any; the environment's own exact entry is preferred. */
export function matchHost(list: Allowlist, host: string): AllowEntry | null {
  const h = normalizeHost(host);
  const exact = list.entries.filter((e) => !e.wildcard && e.pattern === h);
  return (
    exact.find((e) => e.source === "environment") ??
    exact[0] ??
    list.entries.find((e) => e.wildcard && h.endsWith(`.${e.pattern}`)) ??
    null
  );
}

/** A non-public address is reachable only when the environment's own list names the host or the address. */
export function mayReachNonPublic(list: Allowlist, host: string, address: string): boolean {
  const h = normalizeHost(host);
  const a = normalizeHost(address);
  return list.entries.some(
    (e) => e.source === "environment" && !e.wildcard && (e.pattern === h || e.pattern === a),
  );
}

/** For traces and pages: "2 domain(s) and the common-dependencies preset (36 hosts); methods GET, HEAD". */
export function describeInternet(access: InternetAccess): string {
  if (access.mode === "off") return "off";
  const presets = (access.presets ?? []).map(
    (name) => `the ${name} preset (${INTERNET_PRESETS[name]?.domains.length ?? 0} hosts)`,
  );
  const parts = [`${access.domains.length} domain(s)`, ...presets];
  return `allowlist of ${parts.join(" and ")}; methods ${access.methods.join(", ")}`;
}

export type EgressRefusalKind =
  | "internet_off"
  | "not_allowlisted"
  | "method_not_allowed"
  | "non_public_address";

/** Why the proxy refused a request; `message` is what the agent reads in the 403 and the task's progress shows. */
export interface EgressRefusal {
  kind: EgressRefusalKind;
  method: string;
  host: string;
  port: number;
  message: string;
}

/** Where the rule comes from, as refusals name it: "environment web-app". */
export interface EgressScope {
  environment: { id: string; name?: string } | null;
  /** Why the task has no internet access, when it has none (e.g. the workspace switch is off). */
  offReason?: string;
}

const envLabel = (scope: EgressScope) =>
  scope.environment ? `environment ${scope.environment.name ?? scope.environment.id}` : "no environment";

export const refusalMessages = {
  internetOff(scope: EgressScope): string {
    if (!scope.environment) return "This task has no environment, so the agent has no internet access.";
    const why = scope.offReason ? `: ${scope.offReason}` : "";
    return `The agent has no internet access in ${envLabel(scope)}${why}.`;
  },
  notAllowlisted(host: string, scope: EgressScope): string {
    return `${host} is not in the environment's allowlist (${envLabel(scope)}).`;
  },
  methodNotAllowed(method: string, host: string, list: Allowlist, scope: EgressScope): string {
    const allowed = [...list.methods].join(", ") || "no method";
    return `${method} is not an allowed HTTP method for ${host} (${envLabel(scope)} allows ${allowed}).`;
  },
  nonPublicAddress(host: string, address: string, range: string, scope: EgressScope): string {
    return (
      `${host} resolves to ${address}, a ${range} address, which the allowlist (${envLabel(scope)}) does not ` +
      `name: add ${host} itself (not a wildcard) or ${address} to reach it.`
    );
  },
};
