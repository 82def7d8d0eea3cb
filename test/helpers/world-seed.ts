import { eq } from "drizzle-orm";
import type { Permission, WorkspaceToggles } from "../../src/access/types";
import { environmentCollaborators, environments, members } from "../../src/db/schema/access";
import { githubInstallations } from "../../src/db/schema/github";
import { linearInstallations } from "../../src/db/schema/linear";
import { workspaceLinks, workspaces } from "../../src/db/schema/workspaces";
import type { Deps } from "../../src/deps";
import { createGroup } from "../../src/workspace/groups";
import { type IdentityPlatform, type LinkSource, linkIdentity } from "../../src/workspace/identity-link";
import { assignRole, createRole, setDefaultRole } from "../../src/workspace/roles";
import { invalidateSnapshot } from "../../src/workspace/snapshot";
import { newWorkspaceQueries } from "../../src/workspace/workspaces";

// A workspace as an admin would have set it up, written through the workspace's own functions where they
// exist (identities, roles, groups) and as rows where a test needs to know an id in advance (members,
// environments) or where the platform itself records the fact (links, installations).

/** The workspace every surface test runs in. */
export const ACME = "ws_acme";

/** A platform account linked to a member: its id (or login), and how it was linked when not the default. */
export type IdentitySeed = string | { id: string; source: LinkSource };

export interface PersonSeed {
  /** Fixed (`mem_<name>`), so tests can say who asked. */
  id: string;
  email: string;
  name?: string;
  /** Slack and Linear accounts are linked as the hub links them (by email); GitHub logins by an admin. */
  slack?: IdentitySeed;
  github?: IdentitySeed;
  linear?: IdentitySeed;
}

export interface RoleSeed {
  name: string;
  permissions: Permission[];
  /** The workspace's default role, which every member has. */
  default?: boolean;
  /** Given to the members of a new group. */
  group?: { name: string; members: string[] };
}

export interface EnvironmentSeed {
  id: string;
  name: string;
  /** `acme/<name>` unless said otherwise. */
  repository?: string;
  /** Seen only by its creator (the owner) and its collaborators. */
  private?: boolean;
  collaborators?: string[];
}

export interface WorkspaceSeed {
  id?: string;
  name?: string;
  toggles?: Partial<WorkspaceToggles>;
  owner: PersonSeed;
  members?: PersonSeed[];
  /** Where the workspace's requests come from: a Slack team, a GitHub App installation, a Linear organization. */
  links?: { slackTeam?: string; githubInstallation?: number; linearOrganization?: string };
  roles?: RoleSeed[];
  environments?: EnvironmentSeed[];
}

const ACTOR = "test";
const DEFAULT_SOURCE: Record<IdentityPlatform, LinkSource> = {
  slack: "email",
  linear: "email",
  github: "admin",
};

export async function seedWorkspace(deps: Deps, seed: WorkspaceSeed): Promise<void> {
  const workspaceId = seed.id ?? ACME;
  const now = deps.clock.now();
  const { db } = deps.database;
  const { owner, members: people = [] } = seed;
  await deps.database.batch(
    newWorkspaceQueries(deps, {
      id: workspaceId,
      name: seed.name ?? "Acme",
      owner: { id: owner.id, email: owner.email },
      toggles: seed.toggles,
    }),
  );
  if (owner.name) await db.update(members).set({ displayName: owner.name }).where(eq(members.id, owner.id));
  if (people.length > 0) {
    await db.insert(members).values(
      people.map((p) => ({
        id: p.id,
        workspaceId,
        email: p.email,
        displayName: p.name ?? null,
        createdAt: now,
        updatedAt: now,
      })),
    );
  }
  for (const person of [owner, ...people]) {
    for (const platform of ["slack", "github", "linear"] as const) {
      const identity = person[platform];
      if (identity === undefined) continue;
      const { id, source } =
        typeof identity === "string" ? { id: identity, source: DEFAULT_SOURCE[platform] } : identity;
      await linkIdentity(deps, { workspaceId, memberId: person.id, platform, id, source, actor: ACTOR });
    }
  }
  const links = [
    ["slack_team", seed.links?.slackTeam],
    ["github_installation", seed.links?.githubInstallation],
    ["linear_org", seed.links?.linearOrganization],
  ] as const;
  for (const [kind, externalId] of links) {
    if (externalId === undefined) continue;
    await db
      .insert(workspaceLinks)
      .values({ workspaceId, kind, externalId: String(externalId), createdAt: now });
  }
  for (const seeded of seed.roles ?? []) {
    const role = await createRole(deps, workspaceId, seeded, ACTOR);
    if (seeded.default) await setDefaultRole(deps, workspaceId, role.id, ACTOR);
    if (seeded.group) {
      const { name, members: memberIds } = seeded.group;
      const group = await createGroup(deps, workspaceId, { name, memberIds }, ACTOR);
      await assignRole(deps, { workspaceId, roleId: role.id, groupId: group.id, assigned: true }, ACTOR);
    }
  }
  for (const env of seed.environments ?? []) {
    await db.insert(environments).values({
      id: env.id,
      workspaceId,
      name: env.name,
      repository: env.repository ?? `acme/${env.name}`,
      visibility: env.private ? "private" : "workspace",
      creatorId: owner.id,
      internet: { mode: "off" },
      createdAt: now,
      updatedAt: now,
    });
    for (const memberId of env.collaborators ?? []) {
      await db.insert(environmentCollaborators).values({ workspaceId, environmentId: env.id, memberId });
    }
  }
  await invalidateSnapshot(deps, workspaceId);
}

export async function setToggles(deps: Deps, workspaceId: string, toggles: Partial<WorkspaceToggles>) {
  await deps.database.db.update(workspaces).set(toggles).where(eq(workspaces.id, workspaceId));
  await invalidateSnapshot(deps, workspaceId);
}

/** The GitHub App installed on an account, as its `installation` webhook records it. */
export async function installGitHubApp(deps: Deps, installation: { id: number; account: string }) {
  const now = deps.clock.now();
  await deps.database.db.insert(githubInstallations).values({
    id: installation.id,
    accountLogin: installation.account,
    accountType: "User",
    appSlug: "codex-hub",
    status: "active",
    createdAt: now,
    updatedAt: now,
  });
}

/** Codex installed in a Linear organization as an app (actor "app"), acting as the user `appUserId`. */
export async function installLinearApp(
  deps: Deps,
  installation: { organizationId: string; workspaceId: string; appUserId: string },
) {
  const now = deps.clock.now();
  await deps.database.db
    .insert(linearInstallations)
    .values({ ...installation, actor: "app", createdAt: now, updatedAt: now });
}
