import { and, eq, inArray } from "drizzle-orm";
import { githubAppCredentials, githubInstallations, githubRepositories } from "../../db/schema/github";
import { workspaceLinks } from "../../db/schema/workspaces";
import type { BatchQuery } from "../../db/types";
import type { Deps } from "../../deps";
import { auditQuery } from "../../governance/audit";
import type { StepResult } from "../../inbox/processor";
import type { GitHubEvent, GitHubRepo } from "../../ingress/events";
import { listWorkspaceIds } from "../../workspace/workspaces";

// The App's lifecycle (https://docs.github.com/webhooks/webhook-events-and-payloads#installation): the registry
// of installations and the repositories each reaches, and the link from an installation to its workspace.
// A new installation joins the hub's only workspace when there is exactly one; otherwise it waits, unlinked,
// for an admin to claim it (POST /api/v1/workspaces/{id}/github/installations/{installationId}/claim).

type InstallationEvent = Extract<GitHubEvent, { kind: "installation" }>;

const STATUS_BY_ACTION: Record<string, "active" | "suspended" | "deleted" | undefined> = {
  created: "active",
  unsuspend: "active",
  new_permissions_accepted: "active",
  suspend: "suspended",
  deleted: "deleted",
};

/** Upsert of one repository the installation reaches (also used when a pull request reveals one). */
export function repositoryUpsert(deps: Deps, installationId: number, repo: GitHubRepo): BatchQuery {
  const now = deps.clock.now();
  return deps.database.db
    .insert(githubRepositories)
    .values({
      id: repo.id,
      installationId,
      fullName: repo.fullName,
      fullNameKey: repo.fullName.toLowerCase(),
      isPrivate: repo.isPrivate,
      status: "active",
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: githubRepositories.id,
      set: {
        installationId,
        fullName: repo.fullName,
        fullNameKey: repo.fullName.toLowerCase(),
        isPrivate: repo.isPrivate,
        status: "active",
        updatedAt: now,
      },
    });
}

function installationUpsert(
  deps: Deps,
  event: InstallationEvent,
  status?: "active" | "suspended" | "deleted",
) {
  const now = deps.clock.now();
  const values = {
    id: event.installationId,
    accountLogin: event.account.login,
    accountType: event.account.type,
    appSlug: event.appSlug,
    status: status ?? ("active" as const),
    createdAt: now,
    updatedAt: now,
  };
  return deps.database.db
    .insert(githubInstallations)
    .values(values)
    .onConflictDoUpdate({
      target: githubInstallations.id,
      set: {
        accountLogin: values.accountLogin,
        accountType: values.accountType,
        ...(event.appSlug ? { appSlug: event.appSlug } : {}),
        ...(status ? { status } : {}),
        updatedAt: now,
      },
    });
}

async function linkedWorkspace(deps: Deps, installationId: number): Promise<string | null> {
  const [link] = await deps.database.db
    .select({ workspaceId: workspaceLinks.workspaceId })
    .from(workspaceLinks)
    .where(
      and(
        eq(workspaceLinks.kind, "github_installation"),
        eq(workspaceLinks.externalId, String(installationId)),
      ),
    )
    .limit(1);
  return link?.workspaceId ?? null;
}

export async function handleInstallation(deps: Deps, event: InstallationEvent): Promise<StepResult> {
  const { db } = deps.database;
  const id = event.installationId;
  const status = STATUS_BY_ACTION[event.action];
  const writes: BatchQuery[] = [installationUpsert(deps, event, status)];
  const now = deps.clock.now();

  for (const repo of event.repositoriesAdded) writes.push(repositoryUpsert(deps, id, repo));
  const removedIds = event.repositoriesRemoved.map((r) => r.id);
  if (event.action === "deleted") {
    writes.push(
      db
        .update(githubRepositories)
        .set({ status: "removed", updatedAt: now })
        .where(eq(githubRepositories.installationId, id)),
    );
  } else if (removedIds.length > 0) {
    writes.push(
      db
        .update(githubRepositories)
        .set({ status: "removed", updatedAt: now })
        .where(and(eq(githubRepositories.installationId, id), inArray(githubRepositories.id, removedIds))),
    );
  }

  let workspaceId = await linkedWorkspace(deps, id);
  let linkNote = "";
  if (event.action === "deleted") {
    // A deleted installation's id is never reused; its events must not route anywhere any more.
    if (workspaceId) {
      writes.push(
        db
          .delete(workspaceLinks)
          .where(
            and(eq(workspaceLinks.kind, "github_installation"), eq(workspaceLinks.externalId, String(id))),
          ),
      );
      linkNote = `; unlinked from workspace ${workspaceId}`;
    }
  } else if (!workspaceId) {
    const workspaces = await listWorkspaceIds(deps);
    if (workspaces.length === 1) {
      workspaceId = workspaces[0]!;
      writes.push(
        db
          .insert(workspaceLinks)
          .values({ workspaceId, kind: "github_installation", externalId: String(id), createdAt: now })
          .onConflictDoNothing(),
      );
      linkNote = `; linked to workspace ${workspaceId}`;
    } else {
      linkNote = `; not linked: ${workspaces.length} workspaces, an admin must claim it`;
    }
  }
  writes.push(
    ...auditQuery(deps, {
      workspaceId,
      actor: `github:${event.sender.login}`,
      action: `github.installation.${event.action}`,
      target: String(id),
      after: {
        account: event.account.login,
        status: status ?? null,
        added: event.repositoriesAdded.map((r) => r.fullName),
        removed: event.repositoriesRemoved.map((r) => r.fullName),
      },
    }).queries,
  );
  const counts =
    event.repositoriesAdded.length || event.repositoriesRemoved.length
      ? ` (+${event.repositoriesAdded.length}/-${event.repositoriesRemoved.length} repositories)`
      : "";
  return {
    outcome: `github installation ${id} ${event.action}${counts}${linkNote}`,
    writes,
  };
}

/** Whether the installation may act (not suspended or deleted); unknown installations are given the benefit. */
export async function installationActive(deps: Deps, installationId: number): Promise<boolean> {
  const [row] = await deps.database.db
    .select({ status: githubInstallations.status })
    .from(githubInstallations)
    .where(eq(githubInstallations.id, installationId))
    .limit(1);
  return !row || row.status === "active";
}

/**
 * This App's own login (`<slug>[bot]`), from the installation's `app_slug` or the credentials the manifest
 * flow stored; null when the hub never learnt it (its bot is then still ignored as a bot).
 */
export async function appLoginFor(deps: Deps, installationId: number | null): Promise<string | null> {
  const { db } = deps.database;
  if (installationId !== null) {
    const [row] = await db
      .select({ slug: githubInstallations.appSlug })
      .from(githubInstallations)
      .where(eq(githubInstallations.id, installationId))
      .limit(1);
    if (row?.slug) return `${row.slug}[bot]`;
  }
  const [creds] = await db.select({ slug: githubAppCredentials.slug }).from(githubAppCredentials).limit(1);
  return creds?.slug ? `${creds.slug}[bot]` : null;
}
