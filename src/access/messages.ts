import type { ActionRule, ToggleKey } from "./actions";
import type { DecisionCode, Platform } from "./types";

// What a refused person reads: what is wrong and what to do next. Kept apart from the checks so wording can
// change without touching the rules. Paths are relative to the hub's public URL (access knows no URLs); each
// names the console page, or the `/codex` command, that fixes the refusal, so nobody is sent looking for a page
// that does not exist.

/** Exact text Codex local clients show when "Allow members to use Codex Local" is off. */
export const LOCAL_DISABLED_MESSAGE = "403 - Unauthorized. Contact your ChatGPT administrator for access.";

export const CONNECT_GITHUB_PATH = "/connect/github";

/** Console pages (src/web/console/kit.tsx CONSOLE_PAGES) that denials point to. */
export const CONSOLE_PATHS = {
  settings: "/settings",
  roles: "/roles",
  members: "/members",
  apps: "/apps",
  environments: "/environments",
} as const;

const onConsole = (label: string, path: string) => `the hub's ${label} page (${path})`;
const settingsPage = onConsole("Settings", CONSOLE_PATHS.settings);
const appsPage = onConsole("Apps", CONSOLE_PATHS.apps);

export function unknownActorMessage(platform: Platform): string {
  switch (platform) {
    case "slack":
    case "linear": {
      const name = platform === "slack" ? "Slack" : "Linear";
      return `Codex doesn't recognise your ${name} account in this workspace. ${name} accounts are matched by email: ask a workspace admin to add the email of your ${name} profile as a member on ${onConsole("Members", CONSOLE_PATHS.members)}, then try again.`;
    }
    case "github":
      return `Codex doesn't know your GitHub account. Connect it at ${CONNECT_GITHUB_PATH} (or ask a workspace admin to map your login to your member account), then try again.`;
    default:
      return "You are not a member of this workspace. Sign in with your work email, or ask a workspace admin to add you.";
  }
}

export const TOGGLE_DENIALS: Readonly<
  Record<ToggleKey, { code: DecisionCode; message: string; name: string }>
> = {
  codexLocal: { code: "LOCAL_DISABLED", message: LOCAL_DISABLED_MESSAGE, name: "Codex local" },
  codexCloud: {
    code: "CLOUD_DISABLED",
    name: "Codex cloud",
    message: `Codex cloud is turned off for this workspace. A workspace owner can turn on "Allow members to use Codex cloud" on ${settingsPage} or with \`/codex settings set codex-cloud on\`.`,
  },
  githubConnector: {
    code: "GITHUB_CONNECTOR_DISABLED",
    name: "GitHub connector",
    message: `The GitHub connector is off for this workspace, so Codex can't reach repositories. A workspace owner can turn it on on ${settingsPage} or with \`/codex settings set github-connector on\`.`,
  },
  codeReview: {
    code: "CODE_REVIEW_DISABLED",
    name: "code review",
    message: `Code review is turned off for this workspace. A workspace owner can turn it on on ${settingsPage} or with \`/codex settings set code-review on\`.`,
  },
};

export const deactivatedMessage = (): string =>
  `Your account in this workspace is deactivated, so Codex can't act for you. Ask a workspace admin to reactivate it on ${onConsole("Members", CONSOLE_PATHS.members)}.`;

export const surfaceMessage = (rule: ActionRule, action: string): string =>
  rule.local
    ? `"${action}" is only possible from the Codex app, CLI or IDE extension.`
    : `"${action}" can't be requested from a local Codex client; use Slack, GitHub, Linear or the web instead.`;

export function roleMessage(gate: string, rule: ActionRule): string {
  switch (gate) {
    case "codex_cloud":
      return `Your roles don't include Codex cloud, which you need to ${rule.label}. Ask a workspace admin to add you to a group whose role allows Codex cloud (${onConsole("Roles", CONSOLE_PATHS.roles)}).`;
    case "codex_local":
      return `Your roles don't include Codex local. Ask a workspace admin to add you to a group whose role allows Codex local (${onConsole("Roles", CONSOLE_PATHS.roles)}).`;
    case "codex_admin":
      return `Only Codex Admins can ${rule.label}. Ask a workspace owner to add you to a group with the Codex Admin role (${onConsole("Roles", CONSOLE_PATHS.roles)}).`;
    default:
      return `Only workspace owners can ${rule.label}. Ask a workspace owner to make the change.`;
  }
}

export function appMessage(code: DecisionCode, appName: string, rule: ActionRule): string {
  switch (code) {
    case "APP_DISABLED":
      return `The ${appName} app is disabled or not set up in this workspace, so Codex can't act through it. Ask a workspace admin to enable it on ${appsPage} or with \`/codex app enable ${appName}\`.`;
    case "APP_NOT_PUBLISHED":
      return `The ${appName} app is still a draft. A workspace admin needs to publish it on ${appsPage} before anyone can use it.`;
    case "APP_NOT_ASSIGNED":
      return `You don't have access to the ${appName} app. Ask a workspace admin to assign it to you, one of your groups or one of your roles on ${appsPage}.`;
    case "APP_READ_ONLY":
      return `The ${appName} app is read-only, so Codex can't ${rule.label} through it. Read-only requests still work; a workspace admin can allow writes on ${appsPage} or with \`/codex app mode ${appName} read-write\`.`;
    default:
      return `The ${appName} app asks you to confirm before Codex goes on to ${rule.label}. Confirm to go ahead.`;
  }
}

export const pluginMessage = (pluginName: string, missingAppNames: readonly string[]): string =>
  missingAppNames.length > 0
    ? `The ${pluginName} plugin needs ${missingAppNames.join(", ")}, which you can't use yet. Ask a workspace admin to enable, publish and assign the app(s) to you on ${appsPage}.`
    : `The ${pluginName} plugin isn't available to your roles. Ask a workspace admin to make it available for one of your roles with the admin API (PATCH /api/v1/workspaces/<workspace>/plugins/<plugin>, policyByRole).`;

export const envMissingMessage = (environmentId: string | undefined): string =>
  environmentId === undefined
    ? `No environment was chosen. Pick the environment (repository) Codex should work in (the ones you may use are on ${onConsole("Environments", CONSOLE_PATHS.environments)}), then try again.`
    : `The environment ${environmentId} doesn't exist (it may have been deleted). Pick another environment.`;

export const envHiddenMessage = (name: string): string =>
  `The environment ${name} is private. Ask its creator to add you as a collaborator on ${onConsole("Environments", CONSOLE_PATHS.environments)}, or pick another environment.`;

export const envManageMessage = (name: string, rule: ActionRule): string =>
  `You can't ${rule.label}: ${rule.environment === "delete" ? "only its creator" : "only its creator and collaborators"}, Codex Admins and owners can. Ask the creator of ${name} or a Codex Admin.`;

export const unlinkedMessage = (repository: string): string =>
  `Codex needs your GitHub account to check your access to ${repository}. Connect GitHub at ${CONNECT_GITHUB_PATH}, then try again.`;

export const repoUnconfirmedMessage = (repository: string): string =>
  `GitHub didn't confirm your access to ${repository}. Try again in a moment; if it keeps happening, ask a repository admin to check your access.`;

export const repoNoAccessMessage = (repository: string): string =>
  `GitHub says you don't have access to ${repository}. Ask a repository admin for access, or pick an environment for a repository you can read.`;

export const repoNoWriteMessage = (repository: string): string =>
  `GitHub says you can read ${repository} but not write to it, so Codex can't open or push a pull request for you. Ask a repository admin for write access; tasks and reviews still work.`;

export const allowedMessage = (rule: ActionRule): string => `Allowed: you may ${rule.label}.`;
