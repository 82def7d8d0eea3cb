import { and, asc, eq, gt, gte, lt, or, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { InternetAccess } from "../access/types";
import { environmentCollaborators, environments, members } from "../db/schema/access";
import { tasks } from "../db/schema/tasks";
import { workspaces } from "../db/schema/workspaces";
import type { Deps } from "../deps";
import { rowToTask } from "../tasks/rows";
import type { ContentErasure, TaskOrigin } from "../tasks/types";

// The Compliance API's listings of tasks and environments: oldest first, paged by keyset on (created_at, id).
// Ids are UUIDv7 (time first, then a per-process counter), so a row created after a page was read sorts after
// it: paging on while rows are added neither repeats a row nor skips one.

export interface Keyset {
  at: number;
  id: string;
}

export interface ExportQuery {
  /** Created at or after (ms). */
  start?: number;
  /** Created before (ms). */
  end?: number;
  /** The last row of the previous page. */
  after?: Keyset;
  limit: number;
}

export interface ExportPage<T> {
  rows: T[];
  hasMore: boolean;
  /** Where the next page starts, when there is one. */
  next: Keyset | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function window(created: SQLiteColumn, id: SQLiteColumn, query: ExportQuery): (SQL | undefined)[] {
  const { start, end, after } = query;
  return [
    start === undefined ? undefined : gte(created, start),
    end === undefined ? undefined : lt(created, end),
    after === undefined ? undefined : or(gt(created, after.at), and(eq(created, after.at), gt(id, after.id))),
  ];
}

function page<R extends { createdAt: number; id: string }, T>(
  rows: R[],
  limit: number,
  view: (row: R) => T,
): ExportPage<T> {
  const kept = rows.slice(0, limit);
  const last = kept.at(-1);
  const hasMore = rows.length > limit;
  return {
    rows: kept.map(view),
    hasMore,
    next: hasMore && last ? { at: last.createdAt, id: last.id } : null,
  };
}

export interface ComplianceTask {
  id: string;
  object: "codex.task";
  workspace_id: string;
  kind: "task" | "review";
  status: string;
  surface: TaskOrigin["surface"];
  requester: { member_id: string; email: string | null };
  environment: { id: string; name: string | null; repository: string | null } | null;
  /** False once the text was erased, and always under zero data retention: the text fields are then null. */
  text_retained: boolean;
  content_erasure: { at: string; reason: ContentErasure["reason"] } | null;
  title: string | null;
  prompt: string | null;
  context: Record<string, unknown> | null;
  answer: string | null;
  error: string | null;
  pr_url: string | null;
  usage: Record<string, unknown> | null;
  attempts: number;
  cancelled_by: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

/** Tasks with what their compliance shape names: who asked, the environment, the workspace's retention. */
function complianceTaskRows(deps: Pick<Deps, "database">) {
  return deps.database.db
    .select({
      task: tasks,
      email: members.email,
      envName: environments.name,
      repository: environments.repository,
      zdr: workspaces.zeroDataRetention,
    })
    .from(tasks)
    .innerJoin(workspaces, eq(workspaces.id, tasks.workspaceId))
    .leftJoin(members, eq(members.id, tasks.requesterMemberId))
    .leftJoin(environments, eq(environments.id, tasks.environmentId))
    .$dynamic();
}

/** One task in the compliance shape, or null when there is none with this id. */
export async function getComplianceTask(
  deps: Pick<Deps, "database">,
  taskId: string,
): Promise<ComplianceTask | null> {
  const [row] = await complianceTaskRows(deps).where(eq(tasks.id, taskId)).limit(1);
  return row ? complianceTask(row.task, row) : null;
}

export async function listComplianceTasks(
  deps: Pick<Deps, "database">,
  workspaceId: string,
  query: ExportQuery,
): Promise<ExportPage<ComplianceTask>> {
  const rows = await complianceTaskRows(deps)
    // tasks_workspace_created serves the range and the order.
    .where(and(eq(tasks.workspaceId, workspaceId), ...window(tasks.createdAt, tasks.id, query)))
    .orderBy(asc(tasks.createdAt), asc(tasks.id))
    .limit(query.limit + 1);
  return page(
    rows.map((r) => ({ ...r, createdAt: r.task.createdAt, id: r.task.id })),
    query.limit,
    (r) => complianceTask(r.task, r),
  );
}

export function complianceTask(
  row: typeof tasks.$inferSelect,
  joined: { email: string | null; envName: string | null; repository: string | null; zdr: boolean },
): ComplianceTask {
  const task = rowToTask(row);
  // Under zero data retention the text exists only until the reply is out, for delivering it: never exported.
  const retained = !task.contentErased && !joined.zdr;
  const text = <T>(value: T): T | null => (retained ? value : null);
  return {
    id: task.id,
    object: "codex.task",
    workspace_id: task.workspaceId,
    kind: task.kind,
    status: task.status,
    surface: task.origin.surface,
    requester: { member_id: task.requesterMemberId, email: joined.email },
    environment: task.environmentId
      ? { id: task.environmentId, name: joined.envName, repository: joined.repository }
      : null,
    text_retained: retained,
    content_erasure: task.contentErased
      ? { at: iso(task.contentErased.at)!, reason: task.contentErased.reason }
      : null,
    title: text(task.title),
    prompt: text(task.prompt),
    context: text(task.context),
    answer: text(task.answer),
    error: text(task.error),
    pr_url: task.prUrl,
    usage: task.usage as Record<string, unknown> | null,
    attempts: task.attempts,
    cancelled_by: row.cancelledBy,
    created_at: iso(task.createdAt)!,
    started_at: iso(task.startedAt),
    finished_at: iso(task.finishedAt),
  };
}

export interface ComplianceEnvironment {
  id: string;
  object: "codex.environment";
  workspace_id: string;
  name: string;
  description: string;
  repository: string;
  visibility: "workspace" | "private";
  creator_member_id: string;
  collaborator_member_ids: string[];
  internet: InternetAccess;
  created_at: string;
  updated_at: string;
}

export async function listComplianceEnvironments(
  deps: Pick<Deps, "database">,
  workspaceId: string,
  query: ExportQuery,
): Promise<ExportPage<ComplianceEnvironment>> {
  // A workspace has few environments: environments_workspace_name finds them, the sort is cheap.
  const rows = await deps.database.db
    .select()
    .from(environments)
    .where(
      and(
        eq(environments.workspaceId, workspaceId),
        ...window(environments.createdAt, environments.id, query),
      ),
    )
    .orderBy(asc(environments.createdAt), asc(environments.id))
    .limit(query.limit + 1);
  // By workspace rather than by the page's ids: D1 binds at most 100 parameters per statement.
  const collaborators = rows.length
    ? await deps.database.db
        .select()
        .from(environmentCollaborators)
        .where(eq(environmentCollaborators.workspaceId, workspaceId))
    : [];
  return page(rows, query.limit, (row) => ({
    id: row.id,
    object: "codex.environment",
    workspace_id: row.workspaceId,
    name: row.name,
    description: row.description,
    repository: row.repository,
    visibility: row.visibility,
    creator_member_id: row.creatorId,
    collaborator_member_ids: collaborators
      .filter((c) => c.environmentId === row.id)
      .map((c) => c.memberId)
      .sort(),
    internet: row.internet,
    created_at: iso(row.createdAt)!,
    updated_at: iso(row.updatedAt)!,
  }));
}
