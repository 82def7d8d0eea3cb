import { and, asc, eq } from "drizzle-orm";
import { githubInstallations, githubRepositories } from "../db/schema/github";
import { workspaceLinks } from "../db/schema/workspaces";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { auditQuery } from "../governance/audit";
import { requireWorkspaceRow } from "./workspaces";

// GitHub App installations as admins see them: which workspace each belongs to (none yet: waiting to be
// claimed) and the repositories it reaches. The registry itself is kept by installation webhooks.

type D = Pick<Deps, "database" | "clock">;

export interface InstallationView {
  id: number;
  accountLogin: string;
  accountType: string;
  status: string;
  workspaceId: string | null;
  repositories: { id: number; fullName: string; isPrivate: boolean; status: string }[];
  createdAt: number;
  updatedAt: number;
}

/** Every installation the hub heard of, with its workspace (null: waiting to be claimed) and repositories. */
export async function listInstallations(deps: Pick<Deps, "database">): Promise<InstallationView[]> {
  const { db } = deps.database;
  const [installs, links, repos] = await Promise.all([
    db.select().from(githubInstallations).orderBy(asc(githubInstallations.createdAt)),
    db.select().from(workspaceLinks).where(eq(workspaceLinks.kind, "github_installation")),
    db.select().from(githubRepositories).orderBy(asc(githubRepositories.fullNameKey)),
  ]);
  return installs.map((i) => ({
    id: i.id,
    accountLogin: i.accountLogin,
    accountType: i.accountType,
    status: i.status,
    workspaceId: links.find((l) => l.externalId === String(i.id))?.workspaceId ?? null,
    repositories: repos
      .filter((r) => r.installationId === i.id)
      .map((r) => ({ id: r.id, fullName: r.fullName, isPrivate: r.isPrivate, status: r.status })),
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
  }));
}

/** Links an installation to a workspace; an installation already linked elsewhere is a conflict. */
export async function claimInstallation(
  deps: D,
  input: { workspaceId: string; installationId: number; actor: string },
): Promise<void> {
  await requireWorkspaceRow(deps, input.workspaceId);
  const { db } = deps.database;
  const [install] = await db
    .select({ id: githubInstallations.id })
    .from(githubInstallations)
    .where(eq(githubInstallations.id, input.installationId))
    .limit(1);
  if (!install) throw new AppError("not_found", `No GitHub installation ${input.installationId} is known.`);
  const externalId = String(input.installationId);
  const [existing] = await db
    .select({ workspaceId: workspaceLinks.workspaceId })
    .from(workspaceLinks)
    .where(and(eq(workspaceLinks.kind, "github_installation"), eq(workspaceLinks.externalId, externalId)))
    .limit(1);
  if (existing?.workspaceId === input.workspaceId) return;
  if (existing) {
    throw new AppError("conflict", `Installation ${input.installationId} belongs to another workspace.`);
  }
  const audit = auditQuery(deps, {
    workspaceId: input.workspaceId,
    actor: input.actor,
    action: "github.installation.claim",
    target: externalId,
    after: { installationId: input.installationId },
  });
  await deps.database.batch([
    db
      .insert(workspaceLinks)
      .values({
        workspaceId: input.workspaceId,
        kind: "github_installation",
        externalId,
        createdAt: deps.clock.now(),
      })
      .onConflictDoNothing(),
    ...audit.queries,
  ]);
}
