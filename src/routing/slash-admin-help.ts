import type { AdminCommand, AdminCommandKind } from "./slash-admin-types";
import type { PermissionLevel } from "./slash-types";

// Who may run the administration commands, their one-line usage, and which of them ask before they change
// anything. Levels follow the console and the admin API: environments are edited by their creator,
// collaborators, Codex Admins and owners (the access module's environment check decides, so members pass here);
// managed policies, review filters and new environments are Codex Admins'; groups' roles and plugins' role
// policies are RBAC and app access, which are owners'.

export const ADMIN_COMMAND_PERMISSIONS: Readonly<Record<AdminCommandKind, PermissionLevel>> = {
  // A member sees only environments visible to them; the handler filters.
  "env.show": "member",
  "env.create": "codex_admin",
  "env.visibility": "member",
  "env.collaborators": "member",
  "env.internet": "member",
  "policy.list": "codex_admin",
  "policy.assign": "codex_admin",
  "policy.fallback": "codex_admin",
  "review.filters": "member",
  "review.filter": "codex_admin",
  "group.list": "codex_admin",
  "group.show": "codex_admin",
  "group.roles": "owner",
  "plugin.list": "member",
  "plugin.policy": "owner",
};

export const ADMIN_COMMAND_USAGE: Readonly<Record<AdminCommandKind, string>> = {
  "env.show": "`/codex env show <name>`: an environment's repository, visibility, collaborators and internet",
  "env.create": "`/codex env create <name> <owner/repo>`: a new environment, visible to everyone",
  "env.visibility": "`/codex env visibility <name> everyone|private`: who sees and may use an environment",
  "env.collaborators":
    "`/codex env collaborators <name> add|remove <@user|email>`: who may edit (and see) an environment",
  "env.internet":
    "`/codex env internet <name> off|on|allow <domains…>|preset common-dependencies|methods <GET,POST…>`: the agent's internet access in an environment",
  "policy.list": "`/codex policy list`: managed policies, their group assignment and the fallback",
  "policy.assign": "`/codex policy assign <policy> <group>`: the managed policy of a group's members",
  "policy.fallback": "`/codex policy fallback <policy|none>`: the policy of members no group rule matches",
  "review.filters": "`/codex review filters [owner/repo]`: which pull requests automatic reviews skip",
  "review.filter":
    "`/codex review filters <owner/repo> drafts skip|review | branches <globs…> | labels <labels…> | titles <words…> | authors <logins…> | priority P0–P3`: change a review filter",
  "group.list": "`/codex group list`: groups, their members and roles",
  "group.show": "`/codex group show <group>`: a group's members, roles and managed policy",
  "group.roles": "`/codex group roles <group> <role>, <role>… | none`: the roles a group gives its members",
  "plugin.list": "`/codex plugin list`: plugins, the apps they need and who gets them",
  "plugin.policy":
    "`/codex plugin policy <plugin> <role> available|installed|blocked|default`: a plugin's policy for a role",
};

/** Each help group in one line: what its commands are about. */
export const GROUP_LABELS: Readonly<Record<string, string>> = {
  settings: "workspace switches",
  repo: "code review settings of a repository",
  review: "review filters, and reviews of your own pull requests",
  env: "environments",
  role: "roles",
  app: "apps",
  policy: "managed policies",
  group: "groups and their roles",
  plugin: "plugins and who gets them",
  limits: "usage limits",
};

/**
 * What a destructive change does, for the confirmation it waits for: taking access away from people, widening
 * what the agent may reach, or replacing an assignment as a whole. null: the change applies at once.
 */
export function confirmationFor(command: AdminCommand): string | null {
  switch (command.kind) {
    case "env.visibility":
      return command.visibility === "private"
        ? `make environment ${command.environmentName} private: everyone but its creator and collaborators loses it`
        : `show environment ${command.environmentName} to everyone in the workspace`;
    case "env.collaborators":
      return command.add
        ? null
        : `remove a collaborator from environment ${command.environmentName}: they may lose access to it`;
    case "env.internet":
      return command.change.type === "off"
        ? null
        : `change what the agent may reach on the internet from environment ${command.environmentName}`;
    case "review.filter":
      return command.change.field === "branches" && command.change.values.length > 0
        ? `review pull requests of ${command.repository} only on base branches ${command.change.values.join(", ")}, no other`
        : null;
    case "policy.assign":
      return `give the members of group ${command.group.name} the managed policy ${command.policy}`;
    case "policy.fallback":
      return `make ${command.policy} the managed policy of everyone no group rule matches`;
    case "group.roles":
      return `replace the roles of group ${command.group.name} (its members gain or lose permissions)`;
    case "plugin.policy":
      return command.policy === "none" ? `block plugin ${command.plugin} for role ${command.role}` : null;
    default:
      return null;
  }
}

export function isAdminCommand(command: { kind: string }): command is AdminCommand {
  return command.kind in ADMIN_COMMAND_PERMISSIONS;
}
