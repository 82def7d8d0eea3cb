import { and, desc, eq, inArray, isNull, lt, notInArray, or, type SQL, sql } from "drizzle-orm";
import { canSeeEnvironment } from "../../../access/environments";
import { tasks } from "../../../db/schema/tasks";
import type { Deps } from "../../../deps";
import { rowToTask } from "../../../tasks/rows";
import { TASK_STATUSES, type Task, type TaskStatus } from "../../../tasks/types";
import { canViewTask } from "../../task-access";
import { atLeast, type Viewer } from "../viewer";
import type { Cursor } from "./keyset";

// The console's task list: one workspace's tasks, newest first, filtered and paged by keyset. Owners and
// Codex Admins see every task; a member sees exactly the tasks the task page would show them (canViewTask).

export const SURFACES = ["slack", "github", "linear", "api"] as const;
export type Surface = (typeof SURFACES)[number];

export interface TaskFilter {
  status?: TaskStatus;
  surface?: Surface;
  environmentId?: string;
  requesterId?: string;
}

/** The filter from a query string: anything not among the known values is left out. */
export function taskFilterFrom(query: Record<string, string | undefined>): TaskFilter {
  const pick = <T extends string>(list: readonly T[], value: string | undefined) =>
    list.find((v) => v === value);
  return {
    status: pick(TASK_STATUSES, query.status),
    surface: pick(SURFACES, query.surface),
    environmentId: query.environment || undefined,
    requesterId: query.requester || undefined,
  };
}

/**
 * The SQL form of canViewTask for one member, so a page of a member's list is filled in one query: no
 * environment, an environment they can see, or (the environment deleted) a task they asked for.
 */
function visibleTo(viewer: Viewer, memberId: string): SQL | undefined {
  const all = [...viewer.snapshot.environments.values()];
  const visible = all.filter((e) => canSeeEnvironment(e, memberId)).map((e) => e.env.id);
  const existing = all.map((e) => e.env.id);
  return or(
    isNull(tasks.environmentId),
    visible.length ? inArray(tasks.environmentId, visible) : undefined,
    and(
      existing.length ? notInArray(tasks.environmentId, existing) : undefined,
      eq(tasks.requesterMemberId, memberId),
    ),
  );
}

/** One page of the list and the cursor of the next one (null on the last page). */
export async function listTasksFor(
  deps: Pick<Deps, "database">,
  viewer: Viewer,
  filter: TaskFilter,
  after: Cursor | null,
  pageSize: number,
): Promise<{ items: Task[]; next: Cursor | null }> {
  const seesAll = atLeast(viewer.level, "codex_admin");
  // A member with no member row (a key session is owner-level) cannot get here without seesAll.
  const memberId = viewer.memberId ?? "";
  const rows = await deps.database.db
    .select()
    .from(tasks)
    .where(
      and(
        eq(tasks.workspaceId, viewer.workspaceId),
        seesAll ? undefined : visibleTo(viewer, memberId),
        filter.status ? eq(tasks.status, filter.status) : undefined,
        filter.surface ? sql`json_extract(${tasks.origin}, '$.surface') = ${filter.surface}` : undefined,
        filter.environmentId ? eq(tasks.environmentId, filter.environmentId) : undefined,
        filter.requesterId ? eq(tasks.requesterMemberId, filter.requesterId) : undefined,
        after
          ? or(lt(tasks.createdAt, after.at), and(eq(tasks.createdAt, after.at), lt(tasks.id, after.id)))
          : undefined,
      ),
    )
    // Served by tasks_workspace_created (workspace_id, created_at); id only breaks ties within a millisecond.
    .orderBy(desc(tasks.createdAt), desc(tasks.id))
    .limit(pageSize + 1);
  const page = rows.slice(0, pageSize).map(rowToTask);
  const last = page.at(-1);
  // The SQL above mirrors canViewTask; the check itself still has the last word on every row shown.
  const items = seesAll ? page : page.filter((t) => canViewTask(viewer.snapshot, viewer.session, t).ok);
  return { items, next: rows.length > pageSize && last ? { at: last.createdAt, id: last.id } : null };
}
