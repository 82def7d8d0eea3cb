import { and, eq } from "drizzle-orm";
import { environments, groups, members } from "../db/schema/access";
import { limitScopes, type taskScopeLimits } from "../db/schema/task-limits";
import type { Deps } from "../deps";
import { AppError } from "../errors";

// The environments, groups and members a limit may be set on, and how they are named to people.

export type LimitScope = (typeof limitScopes)[number];
export const LIMIT_SCOPES: readonly LimitScope[] = limitScopes;

/** The limits of one environment, group or member; a limit that is absent is none of its own. */
export interface ScopeLimits {
  maxRunning?: number;
  tasksPerDay?: number;
  reviewsPerDay?: number;
}

export function scopeLimitsOf(row: typeof taskScopeLimits.$inferSelect): ScopeLimits {
  const out: ScopeLimits = {};
  if (row.maxRunning !== null) out.maxRunning = row.maxRunning;
  if (row.tasksPerDay !== null) out.tasksPerDay = row.tasksPerDay;
  if (row.reviewsPerDay !== null) out.reviewsPerDay = row.reviewsPerDay;
  return out;
}

/** How the audit log names the scope a change was made to. */
export const scopeTarget = (scope: LimitScope, id: string) => `${scope}:${id}`;

/** The name people know the environment, group or member by; a 404 when it is not in the workspace. */
export async function scopeName(
  deps: Pick<Deps, "database">,
  workspaceId: string,
  scope: LimitScope,
  id: string,
): Promise<string> {
  const { db } = deps.database;
  let name: string | undefined;
  if (scope === "environment") {
    const [row] = await db
      .select({ name: environments.name })
      .from(environments)
      .where(and(eq(environments.workspaceId, workspaceId), eq(environments.id, id)));
    name = row?.name;
  } else if (scope === "group") {
    const [row] = await db
      .select({ name: groups.name })
      .from(groups)
      .where(and(eq(groups.workspaceId, workspaceId), eq(groups.id, id)));
    name = row?.name;
  } else {
    const [row] = await db
      .select({ email: members.email, displayName: members.displayName })
      .from(members)
      .where(and(eq(members.workspaceId, workspaceId), eq(members.id, id)));
    name = row ? (row.displayName ?? row.email) : undefined;
  }
  if (name === undefined) throw new AppError("not_found", `No ${scope} ${id} in workspace ${workspaceId}.`);
  return name;
}

/** `scope:id` → name, for every environment, group and member of the workspace. */
export async function scopeNames(
  deps: Pick<Deps, "database">,
  workspaceId: string,
): Promise<Map<string, string>> {
  const { db } = deps.database;
  const [envs, groupRows, memberRows] = await Promise.all([
    db
      .select({ id: environments.id, name: environments.name })
      .from(environments)
      .where(eq(environments.workspaceId, workspaceId)),
    db.select({ id: groups.id, name: groups.name }).from(groups).where(eq(groups.workspaceId, workspaceId)),
    db
      .select({ id: members.id, email: members.email, displayName: members.displayName })
      .from(members)
      .where(eq(members.workspaceId, workspaceId)),
  ]);
  return new Map([
    ...envs.map((r) => [`environment:${r.id}`, r.name] as const),
    ...groupRows.map((r) => [`group:${r.id}`, r.name] as const),
    ...memberRows.map((r) => [`member:${r.id}`, r.displayName ?? r.email] as const),
  ]);
}
