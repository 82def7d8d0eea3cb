import { fail, joined, normalizeWord, target } from "./slash-args";
import type { SlackToken } from "./slash-markup";
import { LIMIT_FIELDS, type LimitField, type LimitTarget, type SlashCommand } from "./slash-types";

// `/codex limits` and `/codex limits set <limit> <number|off> [env <name> | group <name> | @person | email]`.

const USAGE =
  "`/codex limits set max-running|tasks-per-day|reviews-per-day <number|off> [env <name> | group <name> | @person]`";

const FIELD_ALIASES: Record<string, LimitField> = {
  running: "max-running",
  concurrent: "max-running",
  concurrency: "max-running",
  "at-once": "max-running",
  "max-concurrent": "max-running",
  tasks: "tasks-per-day",
  "daily-tasks": "tasks-per-day",
  "tasks-a-day": "tasks-per-day",
  reviews: "reviews-per-day",
  "daily-reviews": "reviews-per-day",
  "reviews-a-day": "reviews-per-day",
};

const NO_LIMIT = new Set(["off", "none", "default", "unlimited", "no-limit", "clear"]);

function field(token: SlackToken | undefined): LimitField {
  const word = normalizeWord(token?.text ?? "");
  const found = (LIMIT_FIELDS as readonly string[]).includes(word)
    ? (word as LimitField)
    : FIELD_ALIASES[word];
  return (
    found ??
    fail(`${token ? `Unknown limit \`${token.text}\`` : "Name a limit"}; one of ${LIMIT_FIELDS.join(", ")}.`)
  );
}

function value(token: SlackToken | undefined): number | null {
  const word = normalizeWord(token?.text ?? "");
  if (NO_LIMIT.has(word)) return null;
  if (/^\d{1,9}$/.test(word)) return Number(word);
  return fail(
    word ? `Expected a number or \`off\`, got \`${token?.text}\`. Usage: ${USAGE}` : `Usage: ${USAGE}`,
  );
}

function limitTarget(tokens: SlackToken[]): LimitTarget {
  const rest = normalizeWord(tokens[0]?.text ?? "") === "for" ? tokens.slice(1) : tokens;
  const [first, ...more] = rest;
  if (!first) return { type: "workspace" };
  const word = normalizeWord(first.text);
  if (word === "workspace" && more.length === 0) return { type: "workspace" };
  if (["env", "environment"].includes(word)) {
    const name = joined(more).trim();
    return name ? { type: "environment", name } : fail(`Name the environment. Usage: ${USAGE}`);
  }
  if (word === "group") {
    if (more.length === 1 && more[0]?.ref) return target(more[0], USAGE);
    const name = joined(more).trim();
    return name ? { type: "group", name } : fail(`Name the group. Usage: ${USAGE}`);
  }
  if (more.length > 0) fail(`Unexpected \`${joined(more)}\`. Usage: ${USAGE}`);
  const who = target(first, USAGE);
  // A bare word is not taken for a group: say which with `group <name>`.
  if (who.type === "group" && !who.slackUsergroupId) {
    fail(
      `Say whose limit \`${first.text}\` is: \`env ${first.text}\` or \`group ${first.text}\`. Usage: ${USAGE}`,
    );
  }
  return who;
}

export function parseLimits(args: SlackToken[]): SlashCommand {
  const [sub, ...rest] = args;
  const word = normalizeWord(sub?.text ?? "show");
  if (word === "show" || word === "list") {
    if (rest.length > 0) fail("Usage: `/codex limits`");
    return { kind: "limits.show" };
  }
  if (word !== "set") return fail(`Unknown \`limits ${sub?.text}\`; use \`/codex limits\` or ${USAGE}.`);
  const [fieldToken, valueToken, ...scope] = rest;
  return {
    kind: "limits.set",
    field: field(fieldToken),
    value: value(valueToken),
    target: limitTarget(scope),
  };
}
