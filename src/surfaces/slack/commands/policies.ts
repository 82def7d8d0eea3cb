import { lookupPolicy } from "../../../access/policies";
import { listGroups } from "../../../workspace/groups";
import {
  getPolicyAssignments,
  listPolicies,
  type PolicyAssignmentsView,
  type PolicyView,
  setPolicyAssignments,
} from "../../../workspace/policies";
import {
  byName,
  type CommandContext,
  type CommandReply,
  changed,
  code,
  esc,
  type Handler,
  reply,
  unchanged,
} from "./context";
import { findGroup, findPerson, isReply } from "./lookups";

// Managed policies (requirements.toml) through Slack: the same services as /api/v1/.../policies and
// policy-assignments, so the ordered group rules and the fallback are replaced as a whole and audited there.
// Writing a policy's TOML stays in the console and the API: a Slack message is no place to edit a document.

async function loaded(ctx: CommandContext) {
  const [policies, assignments, groups] = await Promise.all([
    listPolicies(ctx.deps, ctx.workspaceId),
    getPolicyAssignments(ctx.deps, ctx.workspaceId),
    listGroups(ctx.deps, ctx.workspaceId),
  ]);
  const policyName = (id: string | null) => (id ? (policies.find((p) => p.id === id)?.name ?? id) : "none");
  const groupName = (id: string) => groups.find((g) => g.id === id)?.name ?? id;
  const rulesText = (a: PolicyAssignmentsView) =>
    a.rules.map((r) => `${groupName(r.groupId)} → ${policyName(r.policyId)}`).join("; ") || "no group rules";
  return { policies, assignments, policyName, rulesText };
}

export const policyList: Handler<"policy.list"> = async (ctx) => {
  const { policies, assignments, policyName, rulesText } = await loaded(ctx);
  if (policies.length === 0)
    return reply("No managed policies yet; the console's Policies page creates them.", "listed 0 policies");
  const lines = [
    "*Managed policies*",
    ...policies.map((p) => `• *${esc(p.name)}*`),
    `*Group rules* (the first rule matching one of a member's groups wins): ${esc(rulesText(assignments))}`,
    `*Fallback* (everyone else): ${esc(policyName(assignments.defaultPolicyId))}`,
  ];
  return reply(lines.join("\n"), `listed ${policies.length} policies`);
};

function findPolicy(policies: PolicyView[], name: string): PolicyView | CommandReply {
  return (
    byName(policies, name) ??
    reply(
      `No policy named ${code(name)}. Policies: ${esc(policies.map((p) => p.name).join(", ") || "none")}.`,
      "unknown policy",
    )
  );
}

async function assign(
  ctx: CommandContext,
  next: PolicyAssignmentsView,
  what: string,
  show: (a: PolicyAssignmentsView) => string,
  before: PolicyAssignmentsView,
) {
  if (show(before) === show(next)) return reply(unchanged(what, show(before)), "no change");
  await setPolicyAssignments(ctx.deps, ctx.workspaceId, next, ctx.actor);
  return reply(changed(what, show(before), show(next)), `${what}: ${show(before)} → ${show(next)}`);
}

export const policyAssign: Handler<"policy.assign"> = async (ctx, command) => {
  const { policies, assignments, rulesText } = await loaded(ctx);
  const policy = findPolicy(policies, command.policy);
  if ("message" in policy) return policy;
  const group = await findGroup(ctx, command.group);
  if (isReply(group)) return group;
  // The group keeps its place in the order when it has a rule already; a new rule comes last.
  const has = assignments.rules.some((r) => r.groupId === group.id);
  const rules = has
    ? assignments.rules.map((r) => (r.groupId === group.id ? { groupId: group.id, policyId: policy.id } : r))
    : [...assignments.rules, { groupId: group.id, policyId: policy.id }];
  return assign(ctx, { ...assignments, rules }, "Managed policy group rules", rulesText, assignments);
};

export const policyFallback: Handler<"policy.fallback"> = async (ctx, command) => {
  const { policies, assignments, policyName } = await loaded(ctx);
  const clear = ["none", "off", "clear"].includes(command.policy.trim().toLowerCase());
  const policy = clear ? null : findPolicy(policies, command.policy);
  if (policy && "message" in policy) return policy;
  const next = { ...assignments, defaultPolicyId: policy?.id ?? null };
  return assign(ctx, next, "The fallback managed policy", (a) => policyName(a.defaultPolicyId), assignments);
};

export const policyLookup: Handler<"policy.lookup"> = async (ctx, command) => {
  const snapshot = ctx.snapshot.snapshot;
  const subject = command.subject;
  let query: { email: string } | { groupId: string };
  let label: string;
  if (subject.type === "group") {
    const group = await findGroup(ctx, subject);
    if (isReply(group)) return group;
    query = { groupId: group.id };
    label = `group ${group.name}`;
  } else {
    let email = subject.type === "email" ? subject.email : "";
    if (subject.type === "user") {
      const memberId = await findPerson(ctx, subject);
      if (isReply(memberId)) return memberId;
      email = snapshot.members.find((m) => m.id === memberId)?.email ?? memberId;
    }
    query = { email };
    label = email;
  }
  const found = lookupPolicy(snapshot, query);
  const name = found.policy ? `*${esc(found.policy.name)}*` : "no managed policy";
  return reply(
    `Managed policy for ${esc(label)}: ${name}\n_${esc(found.reason)}_`,
    `policy lookup: ${found.source}`,
  );
};
