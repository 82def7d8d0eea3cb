import { and, eq, inArray } from "drizzle-orm";
import { preparedQuery, preparedWrite } from "../../db/prepared";
import { githubAppCredentials, githubInstallations, githubRepositories } from "../../db/schema/github";
import { workspaceLinks } from "../../db/schema/workspaces";
import type { BatchQuery } from "../../db/types";
import type { Deps } from "../../deps";
import { auditQuery } from "../../governance/audit";
import type { InstallationEvent, Repo } from "./payloads";
import type { InstallationPlan, InstallationStatus } from "./plan-installation";

// The registry of the App's installations and the repositories each reaches, and the link from an
// installation to its workspace: what plan-installation.ts decides about an installation event, as writes,
// and what the other plans read of it.

interface RepositoryValues extends Record<string, unknown> {
  id: number;
  installationId: number;
  fullName: string;
  fullNameKey: string;
  isPrivate: boolean;
  now: number;
}

const upsertRepository = preparedWrite((db, v: RepositoryValues) =>
  db
    .insert(githubRepositories)
    .values({
      id: v.id,
      installationId: v.installationId,
      fullName: v.fullName,
      fullNameKey: v.fullNameKey,
      isPrivate: v.isPrivate,
      status: "active",
      createdAt: v.now,
      updatedAt: v.now,
    })
    .onConflictDoUpdate({
      target: githubRepositories.id,
      set: {
        installationId: v.installationId,
        fullName: v.fullName,
        fullNameKey: v.fullNameKey,
        isPrivate: v.isPrivate,
        status: "active",
        updatedAt: v.now,
      },
    }),
);

/** Upsert of one repository the installation reaches (also used when a pull request reveals one). */
export function repositoryUpsert(deps: Deps, installationId: number, repo: Repo): BatchQuery {
  return upsertRepository(deps.database, {
    id: repo.id,
    installationId,
    fullName: repo.fullName,
    fullNameKey: repo.fullName.toLowerCase(),
    isPrivate: repo.isPrivate,
    now: deps.clock.now(),
  });
}

function installationUpsert(deps: Deps, event: InstallationEvent, status: InstallationStatus | undefined) {
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

/** The workspace an installation is linked to. */
export async function linkedWorkspace(deps: Deps, installationId: number): Promise<string | null> {
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

/** The registry's changes for one installation event, as its plan says, with their audit record. */
export function installationWrites(
  deps: Deps,
  event: InstallationEvent,
  plan: InstallationPlan,
): BatchQuery[] {
  const { db } = deps.database;
  const id = event.installationId;
  const now = deps.clock.now();
  const writes: BatchQuery[] = [installationUpsert(deps, event, plan.status)];
  for (const repo of event.repositoriesAdded) writes.push(repositoryUpsert(deps, id, repo));
  const removed = plan.removeRepositories;
  if (removed === "all" || removed.length > 0) {
    const ofInstallation = eq(githubRepositories.installationId, id);
    writes.push(
      db
        .update(githubRepositories)
        .set({ status: "removed", updatedAt: now })
        .where(
          removed === "all" ? ofInstallation : and(ofInstallation, inArray(githubRepositories.id, removed)),
        ),
    );
  }
  const link = plan.link;
  if (link.kind === "unlink") {
    writes.push(
      db
        .delete(workspaceLinks)
        .where(
          and(eq(workspaceLinks.kind, "github_installation"), eq(workspaceLinks.externalId, String(id))),
        ),
    );
  } else if (link.kind === "link") {
    writes.push(
      db
        .insert(workspaceLinks)
        .values({
          workspaceId: link.workspaceId,
          kind: "github_installation",
          externalId: String(id),
          createdAt: now,
        })
        .onConflictDoNothing(),
    );
  }
  writes.push(
    ...auditQuery(deps, {
      workspaceId: plan.workspaceId,
      actor: `github:${event.sender.login}`,
      action: `github.installation.${event.action}`,
      target: String(id),
      after: {
        account: event.account.login,
        status: plan.status ?? null,
        added: event.repositoriesAdded.map((r) => r.fullName),
        removed: event.repositoriesRemoved.map((r) => r.fullName),
      },
    }).queries,
  );
  return writes;
}

const linkedInstallationRow = preparedQuery((db, v: { id: number; externalId: string }) =>
  db
    // The link's workspace exists: the link goes with it (ON DELETE CASCADE), so no join to workspaces.
    .select({
      workspaceId: workspaceLinks.workspaceId,
      status: githubInstallations.status,
      slug: githubInstallations.appSlug,
    })
    .from(workspaceLinks)
    .leftJoin(githubInstallations, eq(githubInstallations.id, v.id))
    .where(and(eq(workspaceLinks.kind, "github_installation"), eq(workspaceLinks.externalId, v.externalId)))
    .limit(1),
);

/**
 * What every event from an installation needs first, in one lookup: the workspace it is linked to, whether
 * it may act (not suspended or deleted; an installation the hub has no row for is given the benefit) and its
 * App's slug. Null when no workspace has the installation.
 */
export async function linkedInstallation(
  deps: Deps,
  installationId: number,
): Promise<{ workspaceId: string; active: boolean; slug: string | null } | null> {
  const [row] = await linkedInstallationRow(deps.database.db).all({
    id: installationId,
    externalId: String(installationId),
  });
  if (!row) return null;
  return {
    workspaceId: row.workspaceId,
    active: row.status === null || row.status === "active",
    slug: row.slug,
  };
}

/**
 * This App's own login (`<slug>[bot]`), from the installation's `app_slug` (read by linkedInstallation) or
 * the credentials the manifest flow stored; null when the hub never learnt it (its bot is then still ignored
 * as a bot).
 */
export async function appLogin(deps: Deps, slug: string | null): Promise<string | null> {
  if (slug) return `${slug}[bot]`;
  const [creds] = await deps.database.db
    .select({ slug: githubAppCredentials.slug })
    .from(githubAppCredentials)
    .limit(1);
  return creds?.slug ? `${creds.slug}[bot]` : null;
}
