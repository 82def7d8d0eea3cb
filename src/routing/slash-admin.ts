import type { GroupRef, PluginPolicyChoice, ReviewFilterChange } from "./slash-admin-types";
import { fail, joined, noMore, normalizeWord, policySubject, repository, required } from "./slash-args";
import type { SlackToken } from "./slash-markup";
import type { SlashCommand } from "./slash-types";

// `/codex policy …`, `/codex review filters …`, `/codex group …` and `/codex plugin …`: the grammar of the
// administration groups besides environments (slash-env.ts).

const USAGE = {
  lookup: "`/codex policy lookup <@user|email|group>`",
  assign: "`/codex policy assign <policy> <group>`",
  fallback: "`/codex policy fallback <policy|none>`",
  filters:
    "`/codex review filters <owner/repo> drafts skip|review | branches <globs…|all> | labels <labels…|none> | titles <words…|none> | authors <logins…|none> | priority P0|P1|P2|P3`",
  groupShow: "`/codex group show <group>`",
  groupRoles: "`/codex group roles <group> <role>, <role>… | none`",
  pluginPolicy: "`/codex plugin policy <plugin> <role> available|installed|blocked|default`",
} as const;

/** A group named by a Slack user group mention (`@team`) or by its name (quote names with spaces). */
function groupRef(token: SlackToken | undefined, usage: string, topic: string): GroupRef {
  if (!token) return fail(`Name a group. Usage: ${usage}`, topic);
  if (token.ref?.type === "usergroup")
    return { name: (token.ref.label ?? token.ref.id).replace(/^@/, ""), slackUsergroupId: token.ref.id };
  if (token.ref) return fail(`\`${token.text}\` is not a group. Usage: ${usage}`, topic);
  return { name: token.text };
}

export function parsePolicy(args: SlackToken[]): SlashCommand {
  const [sub, ...rest] = args;
  const word = normalizeWord(sub?.text ?? "list");
  if (word === "list") {
    noMore(rest, "`/codex policy list`");
    return { kind: "policy.list" };
  }
  if (word === "lookup") return { kind: "policy.lookup", subject: policySubject(rest, USAGE.lookup) };
  if (word === "assign") {
    // The group is the last word (or a user group mention); the policy is everything before it.
    if (rest.length < 2) fail(`Name a policy and a group. Usage: ${USAGE.assign}`, "policy");
    const group = groupRef(rest[rest.length - 1], USAGE.assign, "policy");
    return { kind: "policy.assign", policy: joined(rest.slice(0, -1)), group };
  }
  if (word === "fallback" || word === "default")
    return { kind: "policy.fallback", policy: required(rest, "a policy (or none)", USAGE.fallback) };
  return fail(`Unknown \`policy ${sub?.text}\`; use list, lookup, assign or fallback.`, "policy");
}

const NONE = new Set(["none", "off", "clear", "all", "any", "-"]);

function values(tokens: SlackToken[], what: string): string[] {
  const words = tokens.flatMap((t) => (t.quoted ? [t.text] : t.text.split(","))).map((w) => w.trim());
  const list = words.filter(Boolean);
  if (list.length === 0) fail(`Name the ${what}, or \`none\`. Usage: ${USAGE.filters}`, "review");
  return list.length === 1 && NONE.has(list[0]!.toLowerCase()) ? [] : list;
}

function filterChange(tokens: SlackToken[]): ReviewFilterChange {
  const [head, ...rest] = tokens;
  const word = normalizeWord(head?.text ?? "");
  switch (word) {
    case "drafts":
    case "draft": {
      const how = normalizeWord(rest[0]?.text ?? "");
      noMore(rest.slice(1), USAGE.filters);
      if (["skip", "skipped", "off", "no"].includes(how)) return { field: "drafts", skip: true };
      if (["review", "reviewed", "on", "yes"].includes(how)) return { field: "drafts", skip: false };
      return fail(`Say \`drafts skip\` or \`drafts review\`. Usage: ${USAGE.filters}`, "review");
    }
    case "branches":
    case "branch":
    case "base":
      return { field: "branches", values: values(rest, "base branches") };
    case "labels":
    case "label":
      return { field: "labels", values: values(rest, "labels that skip a review") };
    case "titles":
    case "title":
      return { field: "titles", values: values(rest, "title words that skip a review") };
    case "authors":
    case "author":
      return { field: "authors", values: values(rest, "GitHub logins whose pull requests are skipped") };
    case "priority":
    case "min-priority": {
      const p = /^p?([0-3])$/i.exec(rest[0]?.text ?? "");
      noMore(rest.slice(1), USAGE.filters);
      if (!p) return fail(`Say a priority from P0 (most severe) to P3. Usage: ${USAGE.filters}`, "review");
      return { field: "priority", value: Number(p[1]) as 0 | 1 | 2 | 3 };
    }
    default:
      return fail(`Unknown review filter \`${head?.text}\`. Usage: ${USAGE.filters}`, "review");
  }
}

/** `review filters [<owner/repo> [<filter> <value>…]]`; args start after `filters`. */
export function parseReviewFilters(args: SlackToken[]): SlashCommand {
  const [repoToken, ...rest] = args;
  if (!repoToken) return { kind: "review.filters" };
  const repo = repository(repoToken);
  if (rest.length === 0) return { kind: "review.filters", repository: repo };
  return { kind: "review.filter", repository: repo, change: filterChange(rest) };
}

export function parseGroup(args: SlackToken[]): SlashCommand {
  const [sub, ...rest] = args;
  const word = normalizeWord(sub?.text ?? "list");
  if (word === "list") {
    noMore(rest, "`/codex group list`");
    return { kind: "group.list" };
  }
  if (word === "show") {
    noMore(rest.slice(1), USAGE.groupShow);
    return { kind: "group.show", group: groupRef(rest[0], USAGE.groupShow, "group") };
  }
  if (word === "roles" || word === "role") {
    const group = groupRef(rest[0], USAGE.groupRoles, "group");
    const roles = joined(rest.slice(1)).trim();
    if (!roles) fail(`Name the roles, or \`none\`. Usage: ${USAGE.groupRoles}`, "group");
    return { kind: "group.roles", group, roles: NONE.has(roles.toLowerCase()) ? "" : roles };
  }
  return fail(`Unknown \`group ${sub?.text}\`; use list, show or roles.`, "group");
}

const POLICY_WORDS: Record<string, PluginPolicyChoice> = {
  available: "available",
  installed: "installed",
  install: "installed",
  blocked: "none",
  block: "none",
  none: "none",
  hidden: "none",
  default: "default",
  inherit: "default",
};

export function parsePlugin(args: SlackToken[]): SlashCommand {
  const [sub, ...rest] = args;
  const word = normalizeWord(sub?.text ?? "list");
  if (word === "list") {
    noMore(rest, "`/codex plugin list`");
    return { kind: "plugin.list" };
  }
  if (word === "policy") {
    // Plugin first (quote it if it has spaces), the policy last, the role in between.
    const [plugin, ...more] = rest;
    const policy = POLICY_WORDS[normalizeWord(more[more.length - 1]?.text ?? "")];
    const role = joined(more.slice(0, -1)).trim();
    if (!plugin || !role || !policy) fail(`Usage: ${USAGE.pluginPolicy}`, "plugin");
    return { kind: "plugin.policy", plugin: plugin!.text, role, policy: policy! };
  }
  return fail(`Unknown \`plugin ${sub?.text}\`; use list or policy.`, "plugin");
}
