import { eq } from "drizzle-orm";
import { roles } from "../../src/db/schema/access";
import { workspaces } from "../../src/db/schema/workspaces";
import type { Db } from "../../src/db/types";

/** Rows of one workspace's people and environments, all made at `now`, for the seeds of the surface harnesses. */
export function workspaceRows(workspaceId: string, now: number) {
  return {
    member: (id: string, email: string, displayName: string | null = null) => ({
      id,
      workspaceId,
      email,
      displayName,
      createdAt: now,
      updatedAt: now,
    }),
    /** A GitHub login an admin linked; stored lowercased since GitHub logins ignore case, shown as spelt. */
    githubLogin: (memberId: string, login: string) => ({
      workspaceId,
      memberId,
      platform: "github" as const,
      externalId: login.toLowerCase(),
      display: login,
      source: "admin" as const,
      createdAt: now,
    }),
    /** An environment on the repository `acme/<name>`, created by the owner Olga, with internet off. */
    environment: (id: string, name: string, visibility: "workspace" | "private") => ({
      id,
      workspaceId,
      name,
      repository: `acme/${name}`,
      visibility,
      creatorId: "mem_olga",
      internet: { mode: "off" as const },
      createdAt: now,
      updatedAt: now,
    }),
  };
}

/** Makes a "Cloud" role (Codex cloud) the workspace's default, so every member may run cloud tasks. */
export async function makeCloudTheDefaultRole(db: Db, workspaceId: string, now: number) {
  await db.insert(roles).values({
    id: "role_cloud",
    workspaceId,
    name: "Cloud",
    permissions: ["codex_cloud"],
    createdAt: now,
    updatedAt: now,
  });
  await db.update(workspaces).set({ defaultRoleId: "role_cloud" }).where(eq(workspaces.id, workspaceId));
}
