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

/** The first word people type for each command, to filter `help <topic>`. */
export function commandTopic(kind: SlashCommandKind): string {
  return kind.split(".")[0] as string;
}

export const HELP_TOPICS: readonly string[] = [
  ...new Set((Object.keys(COMMAND_USAGE) as SlashCommandKind[]).map(commandTopic)),
];

export interface HelpOptions {
  /** What was wrong with the input that led here. */
  error?: string;
  /** Restrict the list to one first word (`repo`, `role`, ...). */
  topic?: string;
}

/**
 * The help text (Slack mrkdwn) listing only what a caller at `level` may run. A caller who is not a member
 * (`null`) is told how to get access instead of a list they could not use.
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
  const kinds = (Object.keys(COMMAND_USAGE) as SlashCommandKind[]).filter(
    (kind) => mayRun(level, kind) && (!options.topic || commandTopic(kind) === options.topic),
  );
  lines.push(options.topic ? `*Codex commands: ${options.topic}*` : "*Codex commands you can run*");
  for (const kind of kinds) lines.push(`• ${COMMAND_USAGE[kind]}`);
  if (kinds.length === 0) lines.push(`None of the \`${options.topic}\` commands is open to you.`);
  const hidden = (Object.keys(COMMAND_USAGE) as SlashCommandKind[]).filter((kind) => !mayRun(level, kind));
  if (hidden.length > 0 && !options.topic) {
    lines.push("", "_Other commands need a Codex Admin or a workspace owner._");
  }
  return lines.join("\n");
}
