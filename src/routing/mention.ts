import type { TaskMode } from "../tasks/types";
import { parseRepositoryRef } from "./slash-args";
import { unwrapSlackText } from "./slash-markup";
import { readModePrefix } from "./task-mode";

// What an `@Codex ...` message asks for, and where it should run. Slack `app_mention` text carries the bot's own
// mention and wrapped links (https://api.slack.com/events/app_mention); the environment is chosen in the order
// the product documents: named in the message, the channel's (or team's) default, the member's only one, or ask.

export interface MentionOptions {
  /** The app's bot user id, whose `<@U…>` mentions are removed from the prompt. */
  botUserId: string;
  /** Names of environments the message may refer to with `in <name>` (matched case-insensitively). */
  environmentNames?: readonly string[];
  /** Repositories (`owner/name`) the workspace knows; a bare mention of one anywhere in the text counts. */
  repositories?: readonly string[];
}

export interface ParsedMention {
  /** The request, readable: bot mention, `env:` directive and `ask:`/`code:` prefix removed, links unwrapped. */
  prompt: string;
  repository?: string;
  environmentName?: string;
  /** `ask:` or `code:` at the start of the request (task-mode.ts). */
  mode?: TaskMode;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Blanks code fences and spans so a path in a code sample is never read as a repository. */
function maskCode(text: string): string {
  const blank = (m: string) => m.replace(/[^\n]/g, " ");
  return text.replace(/```[\s\S]*?(```|$)/g, blank).replace(/`[^`\n]*`/g, blank);
}

const TRAILING_PUNCTUATION = /[.,;:!?)\]'"”’]+$/;

function findRepository(text: string, known: readonly string[]): string | undefined {
  const scan = maskCode(text);
  const url = /https?:\/\/(?:www\.)?github\.com\/[^\s<>|)]+/i.exec(scan);
  const fromUrl = url ? parseRepositoryRef(url[0]) : null;
  if (fromUrl) return fromUrl;
  const directive = /(?:^|\s)repo:(\S+)/i.exec(scan);
  const fromDirective = directive?.[1]
    ? parseRepositoryRef(directive[1].replace(TRAILING_PUNCTUATION, ""))
    : null;
  if (fromDirective) return fromDirective;
  for (const repo of known) {
    const re = new RegExp(`(?<![\\w./-])${escapeRegExp(repo)}(?![\\w/-]|\\.\\w)`, "i");
    if (re.test(scan)) return repo;
  }
  // A bare `owner/name` only counts after a word that introduces a place ("in acme/api"): paths such as
  // `src/app.ts` and words such as "and/or" would otherwise be taken for repositories.
  const place =
    /(?:^|[\s(])(?:in|on|for|against|from|at|repo|repository)\s+(?:the\s+)?(?:repo(?:sitory)?\s+)?([A-Za-z0-9][A-Za-z0-9-]*\/[A-Za-z0-9._-]+)(?![\w./-])/gi;
  for (const match of scan.matchAll(place)) {
    const repo = parseRepositoryRef((match[1] ?? "").replace(TRAILING_PUNCTUATION, ""));
    if (repo) return repo;
  }
  return undefined;
}

function canonicalName(name: string, candidates: readonly string[]): string {
  return candidates.find((c) => c.toLowerCase() === name.toLowerCase()) ?? name;
}

function findEnvironment(
  text: string,
  names: readonly string[],
): { name: string; directive?: { start: number; end: number } } | undefined {
  const scan = maskCode(text);
  const match = /(^|\s)env:(?:"([^"]+)"|“([^”]+)”|(\S+))/i.exec(scan);
  if (match) {
    const raw = (match[2] ?? match[3] ?? match[4]?.replace(TRAILING_PUNCTUATION, "") ?? "").trim();
    const start = match.index + (match[1] ?? "").length;
    if (raw)
      return { name: canonicalName(raw, names), directive: { start, end: match.index + match[0].length } };
  }
  // Longest first, so "api staging" wins over "api".
  for (const name of [...names].sort((a, b) => b.length - a.length)) {
    if (!name.trim()) continue;
    const re = new RegExp(
      `(?:^|\\s)in\\s+(?:the\\s+)?${escapeRegExp(name.trim())}(?:\\s+(?:env|environment))?(?=$|[\\s.,;:!?)])`,
      "i",
    );
    if (re.test(scan)) return { name };
  }
  return undefined;
}

/** Reads an `app_mention` text: the prompt, and any repository or environment it names explicitly. */
export function parseMention(text: string, options: MentionOptions): ParsedMention {
  const botMention = new RegExp(`<@${escapeRegExp(options.botUserId)}(?:\\|[^>]*)?>`, "g");
  let prompt = unwrapSlackText((text ?? "").replace(botMention, " "));
  const environment = findEnvironment(prompt, options.environmentNames ?? []);
  // The `env:` directive is routing, not part of the request; `in <name>` is ordinary language and stays.
  const cut = environment?.directive;
  if (cut) prompt = `${prompt.slice(0, cut.start)} ${prompt.slice(cut.end)}`;
  prompt = prompt
    .split("\n")
    .map((line) => line.replace(/[ \t]+/g, " ").trimEnd())
    .join("\n")
    .trim();
  const prefix = readModePrefix(prompt);
  prompt = prefix.text.trim();
  const result: ParsedMention = { prompt };
  if (prefix.mode) result.mode = prefix.mode;
  const repository = findRepository(prompt, options.repositories ?? []);
  if (repository) result.repository = repository;
  if (environment) result.environmentName = environment.name;
  return result;
}

export interface EnvironmentOption {
  id: string;
  name: string;
  /** `owner/name` of the environment's repository. */
  repository?: string | null;
}

export type EnvironmentChoiceReason =
  | "explicit-environment"
  | "explicit-repository"
  | "channel-default"
  | "team-default"
  | "only-usable";

export type EnvironmentChoice<E extends EnvironmentOption = EnvironmentOption> =
  | { kind: "chosen"; environment: E; reason: EnvironmentChoiceReason }
  | { kind: "pick"; options: E[]; message: string }
  | { kind: "none"; message: string }
  /** The name given is not one the member may use: the request stops there (the surface says what to do). */
  | { kind: "unknown-name"; name: string; message: string; usable: E[] };

export interface ChooseEnvironmentInput<E extends EnvironmentOption> {
  explicitRepository?: string;
  explicitEnvironmentName?: string;
  channelDefaultEnvId?: string | null;
  teamDefaultEnvId?: string | null;
  /** Only the environments this member may use: the picker never offers anything else. */
  usable: readonly E[];
}

export const NO_ENVIRONMENTS_MESSAGE =
  "No available environments: ask a Codex Admin to create an environment for this repository or give you access to one.";

/**
 * The refusal of a name that matches no environment the member may use. A private environment they cannot
 * see gets the same words as one that does not exist, so its name is never confirmed to outsiders.
 */
export function unknownEnvironmentMessage(name: string): string {
  return `No environment named “${name.trim()}” is available to you.`;
}

/**
 * Picks the environment for a request. A name or repository given explicitly is never silently replaced by a
 * default: a name that matches nothing usable stops the request (the person meant that one, and running
 * elsewhere would do the work in the wrong place); a repository that does, makes the member pick.
 */
export function chooseEnvironment<E extends EnvironmentOption>(
  input: ChooseEnvironmentInput<E>,
): EnvironmentChoice<E> {
  const { usable } = input;
  if (usable.length === 0) return { kind: "none", message: NO_ENVIRONMENTS_MESSAGE };
  const byId = (id: string | null | undefined) => (id ? usable.find((e) => e.id === id) : undefined);
  const channelDefault = byId(input.channelDefaultEnvId);
  const teamDefault = byId(input.teamDefaultEnvId);

  const wantedName = input.explicitEnvironmentName?.trim().toLowerCase();
  if (wantedName) {
    const named = usable.find((e) => e.name.trim().toLowerCase() === wantedName);
    if (named) return { kind: "chosen", environment: named, reason: "explicit-environment" };
    const name = input.explicitEnvironmentName?.trim() ?? "";
    return { kind: "unknown-name", name, message: unknownEnvironmentMessage(name), usable: [...usable] };
  }

  const wantedRepo = input.explicitRepository?.trim().toLowerCase();
  if (wantedRepo) {
    const matches = usable.filter((e) => e.repository?.toLowerCase() === wantedRepo);
    const [only] = matches;
    if (only && matches.length === 1)
      return { kind: "chosen", environment: only, reason: "explicit-repository" };
    if (channelDefault && matches.includes(channelDefault)) {
      return { kind: "chosen", environment: channelDefault, reason: "channel-default" };
    }
    if (teamDefault && matches.includes(teamDefault)) {
      return { kind: "chosen", environment: teamDefault, reason: "team-default" };
    }
    if (matches.length > 1) {
      return {
        kind: "pick",
        options: matches,
        message: `Several environments use ${input.explicitRepository}. Which one?`,
      };
    }
    return {
      kind: "pick",
      options: [...usable],
      message: `No environment for ${input.explicitRepository} is available to you. Which one should I use?`,
    };
  }

  if (channelDefault) return { kind: "chosen", environment: channelDefault, reason: "channel-default" };
  if (teamDefault) return { kind: "chosen", environment: teamDefault, reason: "team-default" };
  const [single] = usable;
  if (single && usable.length === 1) return { kind: "chosen", environment: single, reason: "only-usable" };
  return { kind: "pick", options: [...usable], message: "Which environment should I use?" };
}
