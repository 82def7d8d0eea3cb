import { REVIEW_TRIGGERS, type ReviewTrigger } from "./review-triggers";
import type { SlackToken } from "./slash-markup";
import {
  APP_MODES,
  type AppMode,
  type ContributorsScope,
  type PolicySubject,
  type RoleTarget,
  WORKSPACE_TOGGLES,
  type WorkspaceToggle,
} from "./slash-types";

// Readers for the arguments of `/codex` commands. Each either returns a value or throws a GrammarError whose
// message tells the person what was wrong; parseSlashCommand turns that into help.

export class GrammarError extends Error {
  /** The help topic to show with the error: the commands of the group that was misread. */
  topic?: string;
}

export function fail(message: string, topic?: string): never {
  const error = new GrammarError(message);
  if (topic) error.topic = topic;
  throw error;
}

const ON = new Set(["on", "true", "yes", "enable", "enabled", "1"]);
const OFF = new Set(["off", "false", "no", "disable", "disabled", "0"]);

export function onOff(token: SlackToken | undefined, usage: string): boolean {
  const word = token?.text.toLowerCase();
  if (word && ON.has(word)) return true;
  if (word && OFF.has(word)) return false;
  return fail(
    word ? `Expected \`on\` or \`off\`, got \`${token?.text}\`. Usage: ${usage}` : `Usage: ${usage}`,
  );
}

export function noMore(tokens: SlackToken[], usage: string): void {
  if (tokens.length > 0) fail(`Unexpected \`${tokens.map((t) => t.text).join(" ")}\`. Usage: ${usage}`);
}

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const NAME = /^[A-Za-z0-9._-]{1,100}$/;

/** `owner/name` from `owner/name`, `github.com/owner/name` or a GitHub URL (with any path after it). */
export function parseRepositoryRef(text: string): string | null {
  const url = /^(?:https?:\/\/)?(?:www\.)?github\.com\/([^/\s]+)\/([^/\s#?]+)/i.exec(text);
  const bare = url ? null : /^([^/\s]+)\/([^/\s]+)$/.exec(text);
  const owner = (url ?? bare)?.[1];
  const name = (url ?? bare)?.[2]?.replace(/\.git$/i, "");
  if (!owner || !name || !OWNER.test(owner) || !NAME.test(name) || name === "." || name === "..") return null;
  return `${owner}/${name}`;
}

export function repository(token: SlackToken | undefined): string {
  if (!token) return fail("Name a repository as `owner/name`, e.g. `/codex repo acme/api`.");
  return (
    parseRepositoryRef(token.text) ??
    fail(`\`${token.text}\` is not a repository; write it as \`owner/name\`.`)
  );
}

export function normalizeWord(text: string): string {
  return text.toLowerCase().replace(/[_\s]+/g, "-");
}

const TOGGLE_ALIASES: Record<string, WorkspaceToggle> = {
  local: "codex-local",
  cloud: "codex-cloud",
  github: "github-connector",
  connector: "github-connector",
  review: "code-review",
  reviews: "code-review",
  "code-reviews": "code-review",
  slack: "slack-full-answers",
  "slack-answers": "slack-full-answers",
  "slack-full-answer": "slack-full-answers",
  linear: "linear-full-answers",
  "linear-answers": "linear-full-answers",
  "linear-full-answer": "linear-full-answers",
  internet: "agent-internet",
  "internet-access": "agent-internet",
  "agent-internet-access": "agent-internet",
  zdr: "zero-data-retention",
  "zero-retention": "zero-data-retention",
};

export function toggle(token: SlackToken | undefined): WorkspaceToggle {
  const word = normalizeWord(token?.text ?? "");
  const found = (WORKSPACE_TOGGLES as readonly string[]).includes(word)
    ? (word as WorkspaceToggle)
    : TOGGLE_ALIASES[word];
  return (
    found ??
    fail(
      `${token ? `Unknown switch \`${token.text}\`` : "Name a switch"}; one of ${WORKSPACE_TOGGLES.join(", ")}.`,
    )
  );
}

const TRIGGER_ALIASES: Record<string, ReviewTrigger> = {
  open: "opened",
  ready: "ready_for_review",
  reopen: "reopened",
  sync: "synchronize",
  synchronise: "synchronize",
  push: "synchronize",
  requested: "review_requested",
};

export function triggers(tokens: SlackToken[], usage: string): ReviewTrigger[] {
  const words = tokens.flatMap((t) => t.text.split(/[\s,]+/)).filter(Boolean);
  if (words.length === 0) fail(`Name at least one event. Usage: ${usage}`);
  const out: ReviewTrigger[] = [];
  for (const word of words) {
    const key = word.toLowerCase().replace(/-/g, "_");
    const found = (REVIEW_TRIGGERS as readonly string[]).includes(key)
      ? (key as ReviewTrigger)
      : TRIGGER_ALIASES[key];
    if (!found) fail(`Unknown event \`${word}\`; use ${REVIEW_TRIGGERS.join(", ")}.`);
    if (!out.includes(found)) out.push(found);
  }
  return out;
}

export function contributors(token: SlackToken | undefined, usage: string): ContributorsScope {
  const word = normalizeWord(token?.text ?? "");
  if (word === "all" || word === "everyone") return "all";
  if (["opted-in", "optedin", "opt-in", "optin"].includes(word)) return "opted_in";
  return fail(`Expected \`all\` or \`opted-in\`. Usage: ${usage}`);
}

export function appMode(token: SlackToken | undefined, usage: string): AppMode {
  const word = normalizeWord(token?.text ?? "");
  if (["read-only", "readonly", "ro", "read"].includes(word)) return "read-only";
  if (["read-write", "readwrite", "rw", "write"].includes(word)) return "read-write";
  if (["confirm", "confirm-writes", "ask"].includes(word)) return "confirm";
  return fail(`Expected one of ${APP_MODES.join(", ")}. Usage: ${usage}`);
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export function target(token: SlackToken | undefined, usage: string): RoleTarget {
  if (!token) return fail(`Name a person or a group. Usage: ${usage}`);
  const ref = token.ref;
  if (ref?.type === "user")
    return ref.label
      ? { type: "user", slackUserId: ref.id, label: ref.label }
      : { type: "user", slackUserId: ref.id };
  if (ref?.type === "usergroup") {
    return { type: "group", name: (ref.label ?? ref.id).replace(/^@/, ""), slackUsergroupId: ref.id };
  }
  if (ref?.type === "email") return { type: "email", email: ref.email };
  if (ref) return fail(`\`${token.text}\` is neither a person nor a group.`);
  if (EMAIL.test(token.text)) return { type: "email", email: token.text };
  if (token.text.startsWith("@") && !token.quoted) {
    // An unresolved `@name` could be a person or a group; guessing could grant a role to the wrong one.
    return fail(
      `Slack did not resolve \`${token.text}\`: pick the person from the @ suggestions, or use their email.`,
    );
  }
  return { type: "group", name: token.text };
}

export function policySubject(tokens: SlackToken[], usage: string): PolicySubject {
  const [first] = tokens;
  if (!first) return fail(`Name an email or a group. Usage: ${usage}`);
  if (tokens.length === 1) {
    if (first.ref?.type === "email") return { type: "email", email: first.ref.email };
    if (first.ref?.type === "user")
      return first.ref.label
        ? { type: "user", slackUserId: first.ref.id, label: first.ref.label }
        : { type: "user", slackUserId: first.ref.id };
    if (!first.ref && EMAIL.test(first.text)) return { type: "email", email: first.text };
    if (first.ref?.type === "usergroup") {
      return {
        type: "group",
        name: (first.ref.label ?? first.ref.id).replace(/^@/, ""),
        slackUsergroupId: first.ref.id,
      };
    }
    if (first.ref) return fail(`\`${first.text}\` is neither a person, an email nor a group.`);
  }
  return { type: "group", name: joined(tokens) };
}

export function joined(tokens: SlackToken[]): string {
  return tokens.map((t) => t.text).join(" ");
}

export function required(tokens: SlackToken[], what: string, usage: string): string {
  const text = joined(tokens).trim();
  return text || fail(`Name ${what}. Usage: ${usage}`);
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

export function identifier(tokens: SlackToken[], usage: string): string {
  const [first, ...rest] = tokens;
  if (!first) return fail(`Usage: ${usage}`);
  noMore(rest, usage);
  return ID.test(first.text) ? first.text : fail(`\`${first.text}\` is not a task or event id.`);
}
