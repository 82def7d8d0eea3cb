import { ADMIN_COMMAND_PERMISSIONS, ADMIN_COMMAND_USAGE, GROUP_LABELS } from "./slash-admin-help";
import {
  PERMISSION_LEVELS,
  type PermissionLevel,
  type SlashCommand,
  type SlashCommandKind,
} from "./slash-types";

// Who may run what through `/codex`, and the one-line usage shown by `help`.
// Levels follow the product's split (DESIGN.md §4): workspace owners manage workspace switches, apps and RBAC;
// Codex Admins manage Codex settings, environments and managed policies; members act for themselves.

/** The lowest level allowed to run each command. */
export const COMMAND_PERMISSIONS: Readonly<Record<SlashCommandKind, PermissionLevel>> = {
  help: "member",
  whoami: "member",
  "settings.show": "member",
  "settings.set": "owner",
  "repo.show": "member",
  "repo.review": "codex_admin",
  "repo.auto-review": "codex_admin",
  "repo.triggers": "codex_admin",
  "repo.contributors": "codex_admin",
  // Lists only environments the caller may use; the handler filters.
  "env.list": "member",
  // A channel default decides where everyone's tasks run in that channel: environment management.
  "env.default": "codex_admin",
  // Notices expose task titles of an environment to a whole channel.
  notify: "codex_admin",
  "role.list": "codex_admin",
  "role.grant": "owner",
  "role.revoke": "owner",
  "role.default": "owner",
  "app.list": "member",
  "app.set-enabled": "owner",
  "app.mode": "owner",
  "policy.lookup": "codex_admin",
  "review-my-prs": "member",
  "review.me": "member",
  // Members may explain and cancel only their own tasks and events; the handler checks ownership and lets
  // Codex Admins through for everyone's.
  explain: "member",
  cancel: "member",
  // Everyone may see the limits their requests wait on; changing them is a workspace setting.
  "limits.show": "member",
  "limits.set": "owner",
  ...ADMIN_COMMAND_PERMISSIONS,
};

/** One line per command, in the order `help` lists them. */
export const COMMAND_USAGE: Readonly<Record<SlashCommandKind, string>> = {
  help: "`/codex help [topic]`: the commands you may run",
  whoami: "`/codex whoami`: your roles, permissions, linked identities and managed policy",
  "settings.show": "`/codex settings`: the workspace switches",
  "settings.set": "`/codex settings set <toggle> on|off`: change a workspace switch",
  "repo.show": "`/codex repo <owner/name>`: code review settings of a repository",
  "repo.review": "`/codex repo <owner/name> review on|off`: code review for a repository",
  "repo.auto-review": "`/codex repo <owner/name> auto-review on|off`: automatic reviews of pull requests",
  "repo.triggers":
    "`/codex repo <owner/name> triggers <events>`: which pull request events start a review (opened, ready_for_review, reopened, synchronize, review_requested)",
  "repo.contributors":
    "`/codex repo <owner/name> contributors all|opted-in`: whose pull requests are reviewed",
  "env.list": "`/codex env list`: the environments you may use",
  "env.default": "`/codex env default <name>`: the default environment of this channel",
  notify: "`/codex notify on|off [environment]`: task-completion notices in this channel",
  "role.list": "`/codex role list`: roles, their permissions and groups",
  "role.grant": "`/codex role grant <role> <@user|group>`: grant a role",
  "role.revoke": "`/codex role revoke <role> <@user|group>`: revoke a role",
  "role.default": "`/codex role default <role>`: the role of members without a custom role",
  "app.list": "`/codex app list`: apps and their access",
  "app.set-enabled": "`/codex app enable|disable <app>`: turn an app on or off",
  "app.mode": "`/codex app mode <app> read-only|read-write|confirm`: what an app may do",
  "policy.lookup": "`/codex policy lookup <email|group>`: the managed policy that applies",
  "review-my-prs": "`/codex review-my-prs on|off`: automatic reviews of your own pull requests",
  "review.me":
    "`/codex review me [owner/name] [events|off|default]`: when Codex reviews your own pull requests in a repository (opened, ready_for_review, synchronize...), within what the repository allows",
  explain: "`/codex explain <task-id|event-id>`: why a request was allowed or denied",
  cancel: "`/codex cancel <task-id>`: cancel a running task",
  "limits.show": "`/codex limits`: how many tasks may run at once and start per day",
  "limits.set":
    "`/codex limits set max-running|tasks-per-day|reviews-per-day <number|off> [env <name> | group <name> | @person]`: change a usage limit of the workspace, an environment, a group or a person",
  ...ADMIN_COMMAND_USAGE,
};

/** True when a caller at `level` holds at least `required`. */
export function levelAllows(level: PermissionLevel, required: PermissionLevel): boolean {
  return PERMISSION_LEVELS.indexOf(level) >= PERMISSION_LEVELS.indexOf(required);
}

/** The level a parsed command needs. */
export function requiredLevel(command: SlashCommand): PermissionLevel {
  return COMMAND_PERMISSIONS[command.kind];
}

export function mayRun(level: PermissionLevel | null, kind: SlashCommandKind): boolean {
  return level !== null && levelAllows(level, COMMAND_PERMISSIONS[kind]);
}

/** The group a command is listed under by `help`: the first word people type for it. */
export function commandTopic(kind: SlashCommandKind): string {
  // Your own reviews sit with the other review commands.
  if (kind === "review-my-prs") return "review";
  return kind.split(".")[0] as string;
}

/** The word after the group that names a command, as `help` lists them (`env show` → `show`). */
function commandWord(kind: SlashCommandKind): string {
  if (kind === "review-my-prs") return "my prs";
  if (kind === "review.filter") return "filters";
  if (kind === "app.set-enabled") return "enable, disable";
  return kind.split(".")[1] ?? kind;
}

const KINDS = Object.keys(COMMAND_USAGE) as SlashCommandKind[];

export const HELP_TOPICS: readonly string[] = [...new Set(KINDS.map(commandTopic))];

const TOPIC_ALIASES: Readonly<Record<string, string>> = {
  envs: "env",
  environment: "env",
  environments: "env",
  policies: "policy",
  groups: "group",
  plugins: "plugin",
  roles: "role",
  apps: "app",
  repos: "repo",
  repository: "repo",
  setting: "settings",
  limit: "limits",
  usage: "limits",
  reviews: "review",
  "review-my-prs": "review",
  me: "whoami",
  why: "explain",
  stop: "cancel",
  notifications: "notify",
};

/** The help group a word names (`environments` → `env`), if any. */
export function helpTopic(word: string): string | undefined {
  const w = word.trim().toLowerCase();
  const topic = TOPIC_ALIASES[w] ?? w;
  return HELP_TOPICS.includes(topic) ? topic : undefined;
}

export interface HelpOptions {
  /** What was wrong with the input that led here. */
  error?: string;
  /** List one group's commands (`env`, `role`, ...) instead of the groups. */
  topic?: string;
}

/**
 * The help text (Slack mrkdwn), listing only what a caller at `level` may run: without a topic one line per
 * group (a group with one command open to the caller shows that command), with a topic that group's commands with their usage.
 * A caller who is not a member (`null`) is told how to get access instead of a list they could not use.
 */
export function renderHelp(level: PermissionLevel | null, options: HelpOptions = {}): string {
  const lines: string[] = [];
  if (options.error) lines.push(`:warning: ${options.error}`, "");
  if (level === null) {
    lines.push(
      "You are not linked to a member of this workspace yet, so no `/codex` command is available to you.",
      "Ask a workspace owner to add your email to the workspace, then try `/codex whoami`.",
    );
    return lines.join("\n");
  }
  const runnable = KINDS.filter((kind) => kind !== "help" && mayRun(level, kind));
  if (options.topic) {
    const kinds = runnable.filter((kind) => commandTopic(kind) === options.topic);
    lines.push(`*Codex commands: ${options.topic}*`);
    for (const kind of kinds) lines.push(`• ${COMMAND_USAGE[kind]}`);
    if (kinds.length === 0) lines.push(`None of the \`${options.topic}\` commands is open to you.`);
    const hidden = KINDS.some((kind) => commandTopic(kind) === options.topic && !mayRun(level, kind));
    if (hidden && kinds.length > 0)
      lines.push("", "_Other commands of this group need a Codex Admin or a workspace owner._");
    return lines.join("\n");
  }
  lines.push("*Codex commands you can run* (`/codex help <group>` lists a group's commands)");
  for (const topic of HELP_TOPICS) {
    const kinds = runnable.filter((kind) => commandTopic(kind) === topic);
    if (kinds.length === 0) continue;
    if (kinds.length === 1) {
      lines.push(`• ${COMMAND_USAGE[kinds[0] as SlashCommandKind]}`);
      continue;
    }
    const words = [...new Set(kinds.map(commandWord))].join(", ");
    lines.push(`• \`/codex help ${topic}\`: ${GROUP_LABELS[topic] ?? topic} (${words})`);
  }
  if (KINDS.some((kind) => !mayRun(level, kind))) {
    lines.push("", "_Other commands need a Codex Admin or a workspace owner._");
  }
  return lines.join("\n");
}
