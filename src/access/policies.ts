import type { ManagedPolicy, WorkspaceSnapshot } from "./types";

export { parseRequirements, type RequirementsParseResult, validateRequirements } from "./requirements";

// Managed requirements.toml policies: an ordered list of group → policy rules and a default fallback.
// "If a user matches more than one group-specific rule, the first matching rule applies" and "Codex doesn't
// fill missing fields from later matching group rules": the winning policy is returned whole, never merged.

export type PolicySource = "group_rule" | "default" | "none" | "unknown_member" | "unknown_group";

export interface PolicyLookup {
  policy: ManagedPolicy | null;
  source: PolicySource;
  /** Position of the winning rule in the ordered list (0-based), for group_rule. */
  ruleIndex?: number;
  groupId?: string;
  reason: string;
}

export type PolicyResolver = (groupIds: readonly string[]) => PolicyLookup;

/** Precomputes the first rule per group so resolving a member costs one lookup per group they belong to. */
export function policyResolver(
  snapshot: Pick<WorkspaceSnapshot, "policies" | "policyAssignments">,
): PolicyResolver {
  const policies = new Map(snapshot.policies.map((p) => [p.id, p]));
  const firstRule = new Map<string, number>();
  const { rules, defaultPolicyId } = snapshot.policyAssignments;
  rules.forEach((rule, index) => {
    // A rule pointing at a deleted policy cannot apply; the next matching rule (or the default) takes over.
    if (policies.has(rule.policyId) && !firstRule.has(rule.groupId)) firstRule.set(rule.groupId, index);
  });
  const fallback = defaultPolicyId === null ? undefined : policies.get(defaultPolicyId);
  const defaultLookup: PolicyLookup = fallback
    ? {
        policy: fallback,
        source: "default",
        reason: `no group rule matches; the default policy ${fallback.name} applies`,
      }
    : { policy: null, source: "none", reason: "no group rule matches and no default policy is set" };

  return (groupIds) => {
    let best = Number.POSITIVE_INFINITY;
    for (const groupId of groupIds) {
      const index = firstRule.get(groupId);
      if (index !== undefined && index < best) best = index;
    }
    const rule = Number.isFinite(best) ? rules[best] : undefined;
    if (!rule) return defaultLookup;
    const policy = policies.get(rule.policyId) as ManagedPolicy;
    return {
      policy,
      source: "group_rule",
      ruleIndex: best,
      groupId: rule.groupId,
      reason: `group ${rule.groupId} matches rule ${best + 1} of ${rules.length}; policy ${policy.name} applies whole`,
    };
  };
}

export type PolicyQuery = { email: string } | { groupId: string };

/** The policy lookup tool: which managed policy applies to a user (by email) or to a group, and why. */
export function lookupPolicy(snapshot: WorkspaceSnapshot, query: PolicyQuery): PolicyLookup {
  const resolve = policyResolver(snapshot);
  if ("email" in query) {
    const email = query.email.trim().toLowerCase();
    const member = snapshot.members.find((m) => m.email.toLowerCase() === email);
    if (!member) {
      return { policy: null, source: "unknown_member", reason: `no member has the email ${query.email}` };
    }
    const found = resolve(member.groupIds);
    return { ...found, reason: `${member.email}: ${found.reason}` };
  }
  if (!snapshot.groups.some((g) => g.id === query.groupId)) {
    return { policy: null, source: "unknown_group", reason: `no group has the id ${query.groupId}` };
  }
  const found = resolve([query.groupId]);
  if (found.source === "group_rule" && (found.ruleIndex ?? 0) > 0) {
    return {
      ...found,
      reason: `${found.reason}; members also in a group of an earlier rule get that rule's policy instead`,
    };
  }
  return found;
}
