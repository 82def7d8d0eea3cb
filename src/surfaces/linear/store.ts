import { and, eq, isNull, lte, or, sql } from "drizzle-orm";
import { viewerQuery } from "../../clients/linear/calls";
import {
  type LinearInstallationRow,
  type LinearSessionRow,
  type LinearSessionState,
  linearInstallations,
  linearSessions,
  linearTeamEnvironments,
} from "../../db/schema/linear";
import type { Deps } from "../../deps";
import { readLinear } from "./outbound";

// The Linear surface's own rows: installations, agent sessions and team defaults.

export async function findInstallation(
  deps: Pick<Deps, "database">,
  organizationId: string,
): Promise<LinearInstallationRow | null> {
  const [row] = await deps.database.db
    .select()
    .from(linearInstallations)
    .where(eq(linearInstallations.organizationId, organizationId))
    .limit(1);
  return row ?? null;
}

/**
 * Installed as an app actor (OAuth): Linear then opens an agent session for every mention and delegation, so
 * those carry the work and plain comment mentions and delegation webhooks do not start a second task.
 */
export async function usesAgentSessions(
  deps: Pick<Deps, "database">,
  organizationId: string,
): Promise<boolean> {
  return (await findInstallation(deps, organizationId))?.actor === "app";
}

/**
 * The Linear user the hub acts as in an organization: the app user of its installation, or for LINEAR_API_KEY
 * the key's own user, asked once (`viewer`) and remembered. Null when Linear cannot say.
 */
export async function hubUserId(
  deps: Deps,
  organizationId: string,
  workspaceId: string,
): Promise<string | null> {
  const installed = await findInstallation(deps, organizationId);
  if (installed?.appUserId) return installed.appUserId;
  const viewer = await readLinear<{ id?: string; organization?: { id?: string; name?: string } }>(
    deps,
    viewerQuery({ organizationId }),
  );
  if (!viewer?.id) return null;
  // A key for another organization would answer with its own user: never take that as ours here.
  if (viewer.organization?.id && viewer.organization.id !== organizationId) return null;
  const now = deps.clock.now();
  await deps.database.db
    .insert(linearInstallations)
    .values({
      organizationId,
      workspaceId,
      organizationName: viewer.organization?.name ?? null,
      actor: "key",
      appUserId: viewer.id,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoUpdate({
      target: linearInstallations.organizationId,
      set: { appUserId: viewer.id, updatedAt: now },
      setWhere: isNull(linearInstallations.appUserId),
    });
  return viewer.id;
}

export async function teamDefaultEnvironment(
  deps: Pick<Deps, "database">,
  workspaceId: string,
  teamId: string | null,
): Promise<string | null> {
  if (!teamId) return null;
  const [row] = await deps.database.db
    .select({ environmentId: linearTeamEnvironments.environmentId })
    .from(linearTeamEnvironments)
    .where(
      and(eq(linearTeamEnvironments.workspaceId, workspaceId), eq(linearTeamEnvironments.teamId, teamId)),
    )
    .limit(1);
  return row?.environmentId ?? null;
}

export async function getSession(
  deps: Pick<Deps, "database">,
  sessionId: string,
): Promise<LinearSessionRow | null> {
  const [row] = await deps.database.db
    .select()
    .from(linearSessions)
    .where(eq(linearSessions.sessionId, sessionId))
    .limit(1);
  return row ?? null;
}

/** The session's row, created on first sight (a redelivered `created` finds the one it made). */
export async function ensureSession(
  deps: Pick<Deps, "database" | "clock">,
  input: { sessionId: string; workspaceId: string; organizationId: string; issueId: string | null },
): Promise<LinearSessionRow> {
  const now = deps.clock.now();
  await deps.database.db
    .insert(linearSessions)
    .values({ ...input, state: "starting", createdAt: now, updatedAt: now })
    .onConflictDoNothing();
  return (await getSession(deps, input.sessionId)) as LinearSessionRow;
}

export interface SessionPatch {
  state?: LinearSessionState;
  memberId?: string | null;
  taskId?: string | null;
  environmentId?: string | null;
  pending?: string | null;
  /** A new task starts: its progress is counted afresh. */
  resetProgress?: boolean;
}

export async function updateSession(
  deps: Pick<Deps, "database" | "clock">,
  sessionId: string,
  patch: SessionPatch,
): Promise<void> {
  const { resetProgress, ...fields } = patch;
  await deps.database.db
    .update(linearSessions)
    .set({
      ...fields,
      ...(resetProgress ? { progressAt: null, progressCount: 0 } : {}),
      updatedAt: deps.clock.now(),
    })
    .where(eq(linearSessions.sessionId, sessionId));
}

/**
 * Takes one progress slot for the session's current task, if the throttle allows one now: at most one every
 * `intervalMs` and `max` per task. A conditional UPDATE, so concurrent events never both get the same slot.
 * Returns the slot's number (for the call's dedupe key) or null.
 */
export async function takeProgressSlot(
  deps: Pick<Deps, "database" | "clock">,
  input: { sessionId: string; taskId: string; intervalMs: number; max: number },
): Promise<number | null> {
  const now = deps.clock.now();
  const [row] = await deps.database.db
    .update(linearSessions)
    .set({ progressAt: now, progressCount: sql`${linearSessions.progressCount} + 1` })
    .where(
      and(
        eq(linearSessions.sessionId, input.sessionId),
        eq(linearSessions.taskId, input.taskId),
        sql`${linearSessions.progressCount} < ${input.max}`,
        or(isNull(linearSessions.progressAt), lte(linearSessions.progressAt, now - input.intervalMs)),
      ),
    )
    .returning({ count: linearSessions.progressCount });
  return row ? row.count : null;
}
