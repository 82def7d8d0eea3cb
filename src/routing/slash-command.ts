import { parseGroup, parsePlugin, parsePolicy, parseReviewFilters } from "./slash-admin";
import {
  appMode,
  contributors,
  fail,
  GrammarError,
  identifier,
  joined,
  noMore,
  normalizeWord,
  onOff,
  repository,
  required,
  target,
  toggle,
  triggers,
} from "./slash-args";
import { parseEnv } from "./slash-env";
import { helpTopic } from "./slash-help";
import { parseLimits } from "./slash-limits";
import { type SlackToken, tokenizeSlackText } from "./slash-markup";
import { parseReviewMe } from "./slash-review-me";
import type { SlashCommand } from "./slash-types";

export { parseRepositoryRef } from "./slash-args";

// The `/codex` grammar. Slack sends the text after the command name, with mentions, channels, emails and links
// wrapped (see slash-markup.ts). Unknown or malformed input never throws: it becomes `help` with an error.
// Slack only wraps user and channel names when the command is configured with `should_escape: true`.
// https://api.slack.com/interactivity/slash-commands#app_command_handling

function parseRepo(args: SlackToken[]): SlashCommand {
  const [repoToken, sub, ...rest] = args;
  const repo = repository(repoToken);
  if (!sub) return { kind: "repo.show", repository: repo };
  const word = normalizeWord(sub.text);
  if (word === "review") {
    const usage = "`/codex repo <owner/name> review on|off`";
    const enabled = onOff(rest[0], usage);
    noMore(rest.slice(1), usage);
    return { kind: "repo.review", repository: repo, enabled };
  }
  if (word === "auto-review" || word === "autoreview" || word === "automatic-review") {
    const usage = "`/codex repo <owner/name> auto-review on|off`";
    const enabled = onOff(rest[0], usage);
    noMore(rest.slice(1), usage);
    return { kind: "repo.auto-review", repository: repo, enabled };
  }
  if (word === "triggers" || word === "trigger") {
    return {
      kind: "repo.triggers",
      repository: repo,
      triggers: triggers(rest, "`/codex repo <owner/name> triggers opened,ready_for_review`"),
    };
  }
  if (word === "contributors" || word === "authors") {
    const usage = "`/codex repo <owner/name> contributors all|opted-in`";
    const scope = contributors(rest[0], usage);
    noMore(rest.slice(1), usage);
    return { kind: "repo.contributors", repository: repo, contributors: scope };
  }
  return fail(
    `Unknown repository setting \`${sub.text}\`; use review, auto-review, triggers or contributors.`,
  );
}

function parseRole(args: SlackToken[]): SlashCommand {
  const [sub, ...rest] = args;
  const word = sub?.text.toLowerCase() ?? "list";
  if (word === "list") {
    noMore(rest, "`/codex role list`");
    return { kind: "role.list" };
  }
  if (word === "grant" || word === "revoke") {
    const usage = `\`/codex role ${word} <role> <@user|group>\``;
    if (rest.length < 2) fail(`Name a role and a person or group. Usage: ${usage}`);
    const who = target(rest[rest.length - 1], usage);
    const role = joined(rest.slice(0, -1));
    return word === "grant"
      ? { kind: "role.grant", role, target: who }
      : { kind: "role.revoke", role, target: who };
  }
  if (word === "default")
    return { kind: "role.default", role: required(rest, "a role", "`/codex role default <role>`") };
  return fail(`Unknown \`role ${sub?.text}\`; use list, grant, revoke or default.`);
}

function parseApp(args: SlackToken[]): SlashCommand {
  const [sub, ...rest] = args;
  const word = sub?.text.toLowerCase() ?? "list";
  if (word === "list") {
    noMore(rest, "`/codex app list`");
    return { kind: "app.list" };
  }
  if (word === "enable" || word === "disable") {
    const app = required(rest, "an app", `\`/codex app ${word} <app>\``);
    return { kind: "app.set-enabled", app, enabled: word === "enable" };
  }
  if (word === "mode") {
    const usage = "`/codex app mode <app> read-only|read-write|confirm`";
    const mode = appMode(rest[rest.length - 1], usage);
    return { kind: "app.mode", app: required(rest.slice(0, -1), "an app", usage), mode };
  }
  return fail(`Unknown \`app ${sub?.text}\`; use list, enable, disable or mode.`);
}

function parseCommand(head: SlackToken, args: SlackToken[]): SlashCommand {
  const word = normalizeWord(head.text);
  switch (word) {
    case "help":
    case "?": {
      if (!args[0]) return { kind: "help" };
      const topic = helpTopic(args[0].text);
      return topic ? { kind: "help", topic } : fail(`No help topic \`${args[0]?.text}\`.`);
    }
    case "whoami":
    case "me":
      noMore(args, "`/codex whoami`");
      return { kind: "whoami" };
    case "settings":
    case "setting": {
      const [sub, ...rest] = args;
      const subWord = sub?.text.toLowerCase();
      if (!sub || subWord === "show" || subWord === "list") {
        noMore(rest, "`/codex settings`");
        return { kind: "settings.show" };
      }
      // `settings set <toggle> on|off`, also accepted without the `set`.
      const setArgs = subWord === "set" ? rest : args;
      const usage = "`/codex settings set <toggle> on|off`";
      const which = toggle(setArgs[0]);
      const enabled = onOff(setArgs[1], usage);
      noMore(setArgs.slice(2), usage);
      return { kind: "settings.set", toggle: which, enabled };
    }
    case "repo":
    case "repos":
    case "repository":
      return parseRepo(args);
    case "env":
    case "envs":
    case "environment":
    case "environments":
      return parseEnv(args);
    case "notify":
    case "notifications": {
      const enabled = onOff(args[0], "`/codex notify on|off [environment]`");
      const environmentName = joined(args.slice(1)).trim();
      return environmentName ? { kind: "notify", enabled, environmentName } : { kind: "notify", enabled };
    }
    case "role":
    case "roles":
      return parseRole(args);
    case "app":
    case "apps":
      return parseApp(args);
    case "policy":
    case "policies":
      return parsePolicy(args);
    case "group":
    case "groups":
      return parseGroup(args);
    case "plugin":
    case "plugins":
      return parsePlugin(args);
    case "review-my-prs":
    case "review-my-pull-requests": {
      const usage = "`/codex review-my-prs on|off`";
      const enabled = onOff(args[0], usage);
      noMore(args.slice(1), usage);
      return { kind: "review-my-prs", enabled };
    }
    case "explain":
    case "why":
      return { kind: "explain", id: identifier(args, "`/codex explain <task-id|event-id>`") };
    case "cancel":
    case "stop":
      return { kind: "cancel", taskId: identifier(args, "`/codex cancel <task-id>`") };
    case "limits":
    case "limit":
    case "usage":
      return parseLimits(args);
    default:
      return fail(`Unknown command \`${head.text}\`.`);
  }
}

/** The help topic of the command a text starts with, if it names one. */
function helpTopicOf(text: string): string | undefined {
  const tokens = tokenizeSlackText(text ?? "");
  if (tokens[0]?.text.toLowerCase() === "/codex") tokens.shift();
  const head = tokens[0]?.text;
  return head && !/^(help|\?)$/i.test(head) ? helpTopic(head) : undefined;
}

/** Parses the text of a `/codex` command. Never throws: what it cannot read becomes `help` with an error. */
export function parseSlashCommand(text: string): SlashCommand {
  try {
    const tokens = tokenizeSlackText(text ?? "");
    if (tokens[0]?.text.toLowerCase() === "/codex") tokens.shift();
    const [head, ...args] = tokens;
    if (!head) return { kind: "help" };
    if (/^review$/i.test(head.text) && /^me$/i.test(args[0]?.text ?? "")) return parseReviewMe(args.slice(1));
    // `review my prs on` reads naturally; fold it into the one-word form.
    if (
      /^review$/i.test(head.text) &&
      /^my$/i.test(args[0]?.text ?? "") &&
      /^(prs|pull-requests)$/i.test(args[1]?.text ?? "")
    ) {
      return parseCommand({ text: "review-my-prs" }, args.slice(2));
    }
    if (/^reviews?$/i.test(head.text) && /^filters?$/i.test(args[0]?.text ?? "")) {
      return parseReviewFilters(args.slice(1));
    }
    return parseCommand(head, args);
  } catch (error) {
    if (error instanceof GrammarError) {
      // Bad arguments of a known group answer with that group's commands, not the whole list.
      const topic = error.topic ?? helpTopicOf(text);
      return topic ? { kind: "help", error: error.message, topic } : { kind: "help", error: error.message };
    }
    return { kind: "help", error: "That command could not be read." };
  }
}
