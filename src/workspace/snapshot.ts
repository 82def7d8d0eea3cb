import { asc, eq, sql } from "drizzle-orm";
import { type IndexedSnapshot, indexSnapshot } from "../access/snapshot-index";
import type { Member, WorkspaceSnapshot } from "../access/types";
import { preparedQuery } from "../db/prepared";
import {
  apps,
  environmentCollaborators,
  environments,
  groupMembers,
  groups,
  identities,
  managedPolicies,
  members,
  plugins,
  policyRules,
  roleAssignments,
  roles,
} from "../db/schema/access";
import { workspaces } from "../db/schema/workspaces";
import type { BatchQuery, Database } from "../db/types";
import type { Deps } from "../deps";
import { AppError } from "../errors";

// One indexed snapshot per workspace, kept in memory and checked against the workspace's `version` on every
// read: a single primary-key lookup, which is what lets several processes (or Worker isolates) share a
// database without serving access decisions from stale data. Every change bumps the version in the same
// batch as the change itself (see change.ts), so no decision can see the change without the new version.

/**
 * A snapshot is rebuilt at least this often even when its version stays: that one reload an hour is what
 * frees the memory of workspaces nobody asks about any more.
 */
export const SNAPSHOT_TTL_MS = 60 * 60_000;
/** Snapshots held at once, the least recently read dropped first. */
export const SNAPSHOT_CACHE_SIZE = 1_000;

const versionRow = preparedQuery((db, v: { workspaceId: string }) =>
  db
    .select({ version: workspaces.version })
    .from(workspaces)
    .where(eq(workspaces.id, v.workspaceId))
    .limit(1),
);

async function currentVersion(database: Database, workspaceId: string): Promise<number> {
  const [row] = await versionRow(database.db).all({ workspaceId });
  if (!row) throw new AppError("not_found", `No workspace ${workspaceId}.`);
  return row.version;
}

/**
 * Deps as some callers declare them: the hub always passes its whole Deps, but a function that names only
 * `database` still gets a right answer, rebuilt on every read when no caches come along.
 */
type SnapshotDeps = Pick<Deps, "database"> & Partial<Pick<Deps, "caches" | "stepScope">>;

/** The workspace's access data, indexed for decide(); rebuilt only after a change. */
export function getSnapshot(deps: SnapshotDeps, workspaceId: string): Promise<IndexedSnapshot> {
  const scoped = deps.stepScope?.snapshots;
  let snapshot = scoped?.get(workspaceId);
  if (!snapshot) {
    snapshot = currentSnapshot(deps, workspaceId);
    scoped?.set(workspaceId, snapshot);
  }
  return snapshot;
}

async function currentSnapshot(deps: SnapshotDeps, workspaceId: string): Promise<IndexedSnapshot> {
  // Read the version before the rows: if a change lands while loading, the next read sees a newer version.
  const version = await currentVersion(deps.database, workspaceId);
  const cache = deps.caches?.snapshots;
  const hit = cache?.get(workspaceId);
  if (hit && hit.version === version) return hit.snapshot;
  const snapshot = loadSnapshot(deps.database, workspaceId).then(indexSnapshot);
  if (!cache) return snapshot;
  cache.set(workspaceId, { version, snapshot });
  snapshot.catch(() => {
    if (cache.get(workspaceId)?.snapshot === snapshot) cache.delete(workspaceId);
  });
  return snapshot;
}

/** The version bump as a query, for the batch that carries a change. */
export function bumpVersionQuery(deps: Pick<Deps, "database" | "clock">, workspaceId: string): BatchQuery {
  return deps.database.db
    .update(workspaces)
    .set({ version: sql`${workspaces.version} + 1`, updatedAt: deps.clock.now() })
    .where(eq(workspaces.id, workspaceId));
}

/** Drops this process's copy without touching the database (the change's batch already bumped the version). */
export function forgetSnapshot(deps: Partial<Pick<Deps, "caches" | "stepScope">>, workspaceId: string): void {
  deps.caches?.snapshots.delete(workspaceId);
  deps.stepScope?.snapshots.delete(workspaceId);
}

/** For changes made outside change.ts: bumps the version so every process reloads, and drops the local copy. */
export async function invalidateSnapshot(
  deps: SnapshotDeps & Pick<Deps, "clock">,
  workspaceId: string,
): Promise<void> {
  forgetSnapshot(deps, workspaceId);
  await bumpVersionQuery(deps, workspaceId);
}

/** Builds the plain WorkspaceSnapshot from the workspace's rows. */
export async function loadSnapshot(database: Database, workspaceId: string): Promise<WorkspaceSnapshot> {
  const { db } = database;
  const [ws] = await db.select().from(workspaces).where(eq(workspaces.id, workspaceId)).limit(1);
  if (!ws) throw new AppError("not_found", `No workspace ${workspaceId}.`);
  const inWs = <T extends { workspaceId: unknown }>(table: T) => eq(table.workspaceId as never, workspaceId);
  const [memberRows, identityRows, groupRows, memberships, roleRows, assignments, appRows, pluginRows] =
    await Promise.all([
      db.select().from(members).where(inWs(members)),
      db.select().from(identities).where(inWs(identities)),
      db.select({ id: groups.id, name: groups.name }).from(groups).where(inWs(groups)),
      db.select().from(groupMembers).where(inWs(groupMembers)),
      db.select().from(roles).where(inWs(roles)),
      db.select().from(roleAssignments).where(inWs(roleAssignments)),
      db.select().from(apps).where(inWs(apps)).orderBy(asc(apps.createdAt), asc(apps.id)),
      db.select().from(plugins).where(inWs(plugins)),
    ]);
  const [envRows, collaborators, policyRows, ruleRows] = await Promise.all([
    db.select().from(environments).where(inWs(environments)),
    db.select().from(environmentCollaborators).where(inWs(environmentCollaborators)),
    db.select().from(managedPolicies).where(inWs(managedPolicies)),
    db.select().from(policyRules).where(inWs(policyRules)).orderBy(asc(policyRules.position)),
  ]);

  const groupsOf = multimap(memberships.map((m) => [m.memberId, m.groupId]));
  const collaboratorsOf = multimap(collaborators.map((c) => [c.environmentId, c.memberId]));
  const identitiesOf = new Map<string, Member["identities"]>();
  for (const row of identityRows) {
    const linked = identitiesOf.get(row.memberId) ?? {};
    if (row.platform === "slack") linked.slackUserId = row.externalId;
    else if (row.platform === "linear") linked.linearUserId = row.externalId;
    else linked.githubLogin = row.display;
    identitiesOf.set(row.memberId, linked);
  }

  return {
    workspaceId,
    toggles: {
      codexLocal: ws.codexLocal,
      codexCloud: ws.codexCloud,
      githubConnector: ws.githubConnector,
      codeReview: ws.codeReview,
      slackFullAnswers: ws.slackFullAnswers,
      linearFullAnswers: ws.linearFullAnswers,
      agentInternet: ws.agentInternet,
      zeroDataRetention: ws.zeroDataRetention,
    },
    members: memberRows.map((m) => ({
      id: m.id,
      email: m.email,
      status: m.status,
      isOwner: m.isOwner,
      groupIds: groupsOf.get(m.id) ?? [],
      identities: identitiesOf.get(m.id) ?? {},
    })),
    groups: groupRows,
    roles: roleRows.map((r) => ({ id: r.id, name: r.name, permissions: r.permissions })),
    roleAssignments: assignments.map((a) => ({ roleId: a.roleId, groupId: a.groupId })),
    defaultRoleId: ws.defaultRoleId,
    apps: appRows.map(({ workspaceId: _w, createdAt: _c, ...app }) => app),
    plugins: pluginRows.map(({ workspaceId: _w, createdAt: _c, ...plugin }) => plugin),
    environments: envRows.map((e) => ({
      id: e.id,
      name: e.name,
      description: e.description,
      repository: e.repository,
      visibility: e.visibility,
      creatorId: e.creatorId,
      collaboratorIds: collaboratorsOf.get(e.id) ?? [],
      internet: e.internet,
      defaultMode: e.defaultMode,
    })),
    policies: policyRows.map((p) => ({ id: p.id, name: p.name, requirements: p.requirements })),
    policyAssignments: {
      rules: ruleRows.map((r) => ({ groupId: r.groupId, policyId: r.policyId })),
      defaultPolicyId: ws.defaultPolicyId,
    },
  };
}

function multimap(pairs: [string, string][]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const [key, value] of pairs) {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  }
  return map;
}
