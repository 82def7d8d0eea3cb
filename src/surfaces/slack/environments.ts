import { and, eq } from "drizzle-orm";
import { canSeeEnvironment } from "../../access/environments";
import type { IndexedSnapshot } from "../../access/snapshot-index";
import type { RepoPermission } from "../../access/types";
import { OutboundError } from "../../clients/types";
import { preparedQuery } from "../../db/prepared";
import { slackChannelDefaults } from "../../db/schema/slack";
import { workspaceLinks } from "../../db/schema/workspaces";
import type { Deps } from "../../deps";
import { repoPermission } from "../../workspace/repo-permission";

// Where a Slack request runs: the environments a member may use, the channel's default, and what GitHub says
// the member may do in an environment's repository.

export interface UsableEnvironment {
  id: string;
  name: string;
  repository: string;
}

/** Environments visible to the member, by name: the only ones a picker may offer. */
export function usableEnvironments(snapshot: IndexedSnapshot, memberId: string | null): UsableEnvironment[] {
  if (!memberId) return [];
  const out: UsableEnvironment[] = [];
  for (const access of snapshot.environments.values()) {
    if (canSeeEnvironment(access, memberId)) {
      out.push({ id: access.env.id, name: access.env.name, repository: access.env.repository });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

const channelDefaultRow = preparedQuery((db, v: { workspaceId: string; teamId: string; channel: string }) =>
  db
    .select({ environmentId: slackChannelDefaults.environmentId })
    .from(slackChannelDefaults)
    .where(
      and(
        eq(slackChannelDefaults.workspaceId, v.workspaceId),
        eq(slackChannelDefaults.teamId, v.teamId),
        eq(slackChannelDefaults.channelId, v.channel),
      ),
    )
    .limit(1),
);

export async function channelDefault(
  deps: Pick<Deps, "database">,
  where: { workspaceId: string; teamId: string; channel: string },
): Promise<string | null> {
  const [row] = await channelDefaultRow(deps.database.db).all({
    workspaceId: where.workspaceId,
    teamId: where.teamId,
    channel: where.channel,
  });
  return row?.environmentId ?? null;
}

const githubInstallationLinks = preparedQuery((db, v: { workspaceId: string }) =>
  db
    .select({ externalId: workspaceLinks.externalId })
    .from(workspaceLinks)
    .where(
      and(eq(workspaceLinks.workspaceId, v.workspaceId), eq(workspaceLinks.kind, "github_installation")),
    ),
);

/**
 * What GitHub says the member's linked login may do in `repository`, through the workspace's GitHub App
 * installations. null: not known (no linked login, no installation, or GitHub refused to answer): the access
 * check then fails closed. A transient GitHub failure is thrown so the event is retried.
 */
export async function memberRepoPermission(
  deps: Deps,
  input: { workspaceId: string; githubLogin: string | undefined; repository: string },
): Promise<RepoPermission | null> {
  if (!input.githubLogin) return null;
  const installations = await githubInstallationLinks(deps.database.db).all({
    workspaceId: input.workspaceId,
  });
  let answer: RepoPermission | null = null;
  let transient: OutboundError | null = null;
  // A workspace may have several installations (one per GitHub organization); the one holding the repository
  // is the one that can answer.
  for (const { externalId } of installations) {
    try {
      const permission = await repoPermission(deps, {
        installationId: externalId,
        repository: input.repository,
        login: input.githubLogin,
      });
      if (permission !== "none") return permission;
      answer = "none";
    } catch (error) {
      if (error instanceof OutboundError && error.retryable) transient = error;
      else deps.logger.warn({ error: (error as Error).message }, "GitHub permission unavailable");
    }
  }
  if (answer === null && transient) throw transient;
  return answer;
}
