import type { Deps } from "../../deps";
import type { GitHubActor } from "../../ingress/events";
import type { RepoReviewSettings } from "../../routing/review-triggers";
import { getRepoReviewSettings, listAllowedBots } from "../../workspace/github-settings";
import { findWorkspaceByLink } from "../../workspace/workspaces";
import { appLoginFor, installationActive } from "./installations";

// What every GitHub event is checked against before anything else: the installation belongs to a workspace
// and is active, and the actor is neither this App (no loops) nor a bot an admin did not allow.

export interface RepoScope {
  workspaceId: string;
  installationId: number;
  appLogin: string | null;
  allowedBots: string[];
  settings: RepoReviewSettings;
}

export type ScopeResult = { ok: true; scope: RepoScope } | { ok: false; outcome: string };

export async function repoScope(
  deps: Deps,
  installationId: number | null,
  repository: string,
): Promise<ScopeResult> {
  if (installationId === null) return { ok: false, outcome: "ignored: the event names no App installation" };
  const workspace = await findWorkspaceByLink(deps, "github_installation", String(installationId));
  if (!workspace) {
    return {
      ok: false,
      outcome: `ignored: installation ${installationId} is not linked to a workspace (an admin can claim it)`,
    };
  }
  if (!(await installationActive(deps, installationId))) {
    return { ok: false, outcome: `ignored: installation ${installationId} is suspended or deleted` };
  }
  const [appLogin, bots, settings] = await Promise.all([
    appLoginFor(deps, installationId),
    listAllowedBots(deps, workspace.id),
    getRepoReviewSettings(deps, workspace.id, repository),
  ]);
  return {
    ok: true,
    scope: {
      workspaceId: workspace.id,
      installationId,
      appLogin,
      allowedBots: bots.map((b) => b.login),
      settings: settings.settings,
    },
  };
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** Null when the actor may be listened to; otherwise why not (`SENDER_IS_APP`, `SENDER_IS_BOT`). */
export function actorGuard(scope: RepoScope, actor: GitHubActor): { code: string; detail: string } | null {
  if (scope.appLogin && same(actor.login, scope.appLogin)) {
    return { code: "SENDER_IS_APP", detail: `${actor.login} is this App; its own events are ignored` };
  }
  if (actor.isBot && !scope.allowedBots.some((b) => same(b, actor.login))) {
    return { code: "SENDER_IS_BOT", detail: `${actor.login} is a bot that is not allow-listed` };
  }
  return null;
}
