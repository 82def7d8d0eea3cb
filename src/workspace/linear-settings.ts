import { and, asc, eq } from "drizzle-orm";
import { linearInstallations, linearTeamEnvironments } from "../db/schema/linear";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { commitChange } from "./change";
import { requireEnvironment } from "./environments";
import { requireWorkspaceRow } from "./workspaces";

// Linear settings of a workspace: which environment each Linear team's requests run in by default, and the
// Linear organizations connected to it. Shared by the admin API and, later, `/codex` in Slack.

type D = Pick<Deps, "database" | "clock">;

export interface TeamEnvironmentView {
  teamId: string;
  teamName: string | null;
  environmentId: string;
  updatedAt: number;
}

export async function listTeamEnvironments(
  deps: Pick<Deps, "database">,
  workspaceId: string,
): Promise<TeamEnvironmentView[]> {
  await requireWorkspaceRow(deps, workspaceId);
  return deps.database.db
    .select({
      teamId: linearTeamEnvironments.teamId,
      teamName: linearTeamEnvironments.teamName,
      environmentId: linearTeamEnvironments.environmentId,
      updatedAt: linearTeamEnvironments.updatedAt,
    })
    .from(linearTeamEnvironments)
    .where(eq(linearTeamEnvironments.workspaceId, workspaceId))
    .orderBy(asc(linearTeamEnvironments.teamId));
}

async function current(deps: Pick<Deps, "database">, workspaceId: string, teamId: string) {
  const [row] = await deps.database.db
    .select()
    .from(linearTeamEnvironments)
    .where(
      and(eq(linearTeamEnvironments.workspaceId, workspaceId), eq(linearTeamEnvironments.teamId, teamId)),
    )
    .limit(1);
  return row ?? null;
}

/** Sets (or replaces) a team's default environment; the environment must belong to the workspace. */
export async function setTeamEnvironment(
  deps: D,
  workspaceId: string,
  input: { teamId: string; environmentId: string; teamName?: string | null },
  actor: string,
): Promise<TeamEnvironmentView> {
  await requireEnvironment(deps, workspaceId, input.environmentId);
  const before = await current(deps, workspaceId, input.teamId);
  const now = deps.clock.now();
  const values = {
    environmentId: input.environmentId,
    teamName: input.teamName ?? before?.teamName ?? null,
    updatedAt: now,
  };
  await commitChange(deps, {
    workspaceId,
    actor,
    action: "linear.team_environment.set",
    target: `linear_team:${input.teamId}`,
    before: before ? { environmentId: before.environmentId } : null,
    after: { environmentId: input.environmentId },
    writes: [
      deps.database.db
        .insert(linearTeamEnvironments)
        .values({ workspaceId, teamId: input.teamId, ...values })
        .onConflictDoUpdate({
          target: [linearTeamEnvironments.workspaceId, linearTeamEnvironments.teamId],
          set: values,
        }),
    ],
  });
  return { teamId: input.teamId, ...values };
}

export async function clearTeamEnvironment(deps: D, workspaceId: string, teamId: string, actor: string) {
  const before = await current(deps, workspaceId, teamId);
  if (!before) throw new AppError("not_found", `Linear team ${teamId} has no default environment.`);
  await commitChange(deps, {
    workspaceId,
    actor,
    action: "linear.team_environment.clear",
    target: `linear_team:${teamId}`,
    before: { environmentId: before.environmentId },
    writes: [
      deps.database.db
        .delete(linearTeamEnvironments)
        .where(
          and(eq(linearTeamEnvironments.workspaceId, workspaceId), eq(linearTeamEnvironments.teamId, teamId)),
        ),
    ],
  });
}

/** Connected organizations, without their tokens. */
export async function listLinearInstallations(deps: Pick<Deps, "database">, workspaceId: string) {
  await requireWorkspaceRow(deps, workspaceId);
  return deps.database.db
    .select({
      organizationId: linearInstallations.organizationId,
      organizationName: linearInstallations.organizationName,
      actor: linearInstallations.actor,
      appUserId: linearInstallations.appUserId,
      scopes: linearInstallations.scopes,
      createdAt: linearInstallations.createdAt,
      updatedAt: linearInstallations.updatedAt,
    })
    .from(linearInstallations)
    .where(eq(linearInstallations.workspaceId, workspaceId))
    .orderBy(asc(linearInstallations.createdAt));
}
