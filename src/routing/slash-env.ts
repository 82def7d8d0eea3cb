import type { EnvVisibility, InternetChange, PersonRef } from "./slash-admin-types";
import { fail, joined, noMore, normalizeWord, repository, required, target } from "./slash-args";
import type { SlackToken } from "./slash-markup";
import type { SlashCommand } from "./slash-types";

// `/codex env …`: list, default, show, create, visibility, collaborators, internet. An environment is named by
// its first word (quote a name with spaces); what follows is the change.

const USAGE = {
  show: "`/codex env show <name>`",
  create: "`/codex env create <name> <owner/repo>`",
  visibility: "`/codex env visibility <name> everyone|private`",
  collaborators: "`/codex env collaborators <name> add|remove <@user|email>`",
  internet:
    "`/codex env internet <name> off|on|allow <domains…>|preset common-dependencies|methods <GET,POST…>`",
} as const;

const fault = (message: string): never => fail(message, "env");

function envName(token: SlackToken | undefined, usage: string): string {
  return token?.text.trim() || fault(`Name the environment. Usage: ${usage}`);
}

function visibility(tokens: SlackToken[]): EnvVisibility {
  const words = tokens.map((t) => normalizeWord(t.text));
  if (words.length === 1 && ["everyone", "workspace", "all", "public"].includes(words[0] as string))
    return "workspace";
  if (words.length === 1 && words[0] === "private") return "private";
  if (words.length === 0) return fault(`Say who sees it. Usage: ${USAGE.visibility}`);
  // The environment model has no per-group visibility: name people as collaborators instead.
  return fault(
    `Environments are visible to everyone or private to their creator and collaborators; there is no group visibility. Use \`everyone\` or \`private\`, then ${USAGE.collaborators} for the people who need it.`,
  );
}

function person(token: SlackToken | undefined): PersonRef {
  const who = target(token, USAGE.collaborators);
  if (who.type === "group")
    return fault(`Name a person (a mention or an email). Usage: ${USAGE.collaborators}`);
  return who;
}

/** Words of a list, split on commas and spaces; Slack's auto-links are reduced to their host. */
function listWords(tokens: SlackToken[]): string[] {
  return tokens
    .flatMap((t) => {
      if (t.ref?.type === "link" && URL.canParse(t.ref.url)) return [new URL(t.ref.url).hostname];
      return t.text.split(/[\s,]+/);
    })
    .filter(Boolean);
}

function internet(tokens: SlackToken[]): InternetChange {
  const [head, ...rest] = tokens;
  const word = normalizeWord(head?.text ?? "");
  if (word === "off" || word === "on") {
    noMore(rest, USAGE.internet);
    return { type: word };
  }
  if (word === "allow" || word === "allowlist" || word === "domains") {
    const domains = listWords(rest);
    return domains.length ? { type: "allow", domains } : fault(`Name the domains. Usage: ${USAGE.internet}`);
  }
  if (word === "preset") {
    const preset = normalizeWord(required(rest, "a preset", USAGE.internet));
    return { type: "preset", preset };
  }
  if (word === "methods") {
    const methods = listWords(rest).map((m) => m.toUpperCase());
    return methods.length
      ? { type: "methods", methods }
      : fault(`Name the HTTP methods. Usage: ${USAGE.internet}`);
  }
  return fault(`Usage: ${USAGE.internet}`);
}

export function parseEnv(args: SlackToken[]): SlashCommand {
  const [sub, ...rest] = args;
  const word = normalizeWord(sub?.text ?? "list");
  const [nameToken, ...tail] = rest;
  switch (word) {
    case "list":
      noMore(rest, "`/codex env list`");
      return { kind: "env.list" };
    case "default":
      return {
        kind: "env.default",
        environmentName: required(rest, "an environment", "`/codex env default <name>`"),
      };
    case "show":
      return { kind: "env.show", environmentName: required(rest, "an environment", USAGE.show) };
    case "create": {
      const name = envName(nameToken, USAGE.create);
      if (tail.length !== 1) fault(`Name the environment and its repository. Usage: ${USAGE.create}`);
      return { kind: "env.create", name, repository: repository(tail[0]) };
    }
    case "visibility":
      return {
        kind: "env.visibility",
        environmentName: envName(nameToken, USAGE.visibility),
        visibility: visibility(tail),
      };
    case "collaborators":
    case "collaborator": {
      const environmentName = envName(nameToken, USAGE.collaborators);
      const [verb, who, ...more] = tail;
      const v = normalizeWord(verb?.text ?? "");
      if (v !== "add" && v !== "remove") fault(`Say add or remove. Usage: ${USAGE.collaborators}`);
      noMore(more, USAGE.collaborators);
      return { kind: "env.collaborators", environmentName, add: v === "add", person: person(who) };
    }
    case "internet":
      return {
        kind: "env.internet",
        environmentName: envName(nameToken, USAGE.internet),
        change: internet(tail),
      };
    default:
      return fault(
        `Unknown \`env ${joined([sub as SlackToken])}\`; use list, show, create, default, visibility, collaborators or internet.`,
      );
  }
}
