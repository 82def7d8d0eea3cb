import { and, asc, count, desc, eq, gt, sql } from "drizzle-orm";
import { preparedQuery, preparedWrite } from "../db/prepared";
import { environments } from "../db/schema/access";
import { type TaskRow, taskEvents, tasks } from "../db/schema/tasks";
import type { BatchQuery } from "../db/types";
import type { Deps, StepScope } from "../deps";
import { taskCreatedRollups } from "../governance/analytics/rollup-tasks";
import { taskEventQuery } from "../governance/compliance-events";
import { newId } from "../lib/ids";
import { announceProgress } from "./announce-progress";
import type { ProgressUpdate } from "./executors/types";
import { assertTransition, isTerminal } from "./lifecycle";
import { PLUGINS_CONTEXT_KEY, resolveTaskPlugins } from "./plugins";
import { PROGRESS_WINDOW_MS, type ProgressResult, progressRoom } from "./progress-limits";
import { rowToTask } from "./rows";
import { notifyFinished, recordOutcome, TaskNotFound } from "./transitions";
import type { NewTask, Task, TaskMode, TaskOrigin, TaskProgressEvent, TaskStatus } from "./types";

export { IllegalTransition } from "./lifecycle";
export { TaskNotFound } from "./transitions";

type StoreDeps = Pick<Deps, "database" | "clock"> &
  Partial<Pick<Deps, "inboxRowId" | "caches" | "stepScope">> & { tasks?: Pick<Deps["tasks"], "wake"> };

const maxTitle = 200;
const maxEventText = 4000;

/**
 * The writes that create a task, for one batch (createTask, or a caller that must land the task together with
 * other writes): the usage analytics of a new request, the INSERT (a repeated dedupe key inserts nothing), and
 * its `task.requested` compliance event (none when nothing was inserted). The task remembers the inbox delivery
 * being processed, if any. The INSERT's result is the last but one: `insertedTask` reads it. The task's plugins
 * are resolved by createTask; a caller batching these writes itself sets `context.plugins` (resolveTaskPlugins).
 */
export function newTaskWrites(deps: StoreDeps, task: NewTask): BatchQuery[] {
  const values = newTaskValues(deps, task);
  return [
    ...taskCreatedRollups(deps.database, { ...task, id: values.id }, values.now),
    insertTask(deps.database, values),
    taskRequestedEvent(deps.database, values),
  ];
}

function newTaskValues(deps: StoreDeps, task: NewTask): NewTaskValues {
  return {
    id: newId("tsk"),
    dedupeKey: task.dedupeKey,
    workspaceId: task.workspaceId,
    requesterMemberId: task.requesterMemberId,
    origin: JSON.stringify(task.origin),
    environmentId: task.environmentId,
    kind: task.kind,
    mode: task.mode ?? (task.kind === "review" ? "ask" : null),
    title: task.title.trim().slice(0, maxTitle) || "Untitled task",
    prompt: task.prompt,
    context: JSON.stringify(task.context ?? {}),
    now: deps.clock.now(),
    inboxId: deps.inboxRowId ?? null,
  };
}

interface NewTaskValues extends Record<string, unknown> {
  id: string;
  dedupeKey: string;
  workspaceId: string;
  requesterMemberId: string;
  origin: string;
  environmentId: string | null;
  kind: NewTask["kind"];
  /** What the request asked for, or a review's (it only reads); null: the environment's default. */
  mode: TaskMode | null;
  title: string;
  prompt: string;
  context: string;
  now: number;
  inboxId: string | null;
}

/**
 * The INSERT of a new task (a repeated dedupe key inserts nothing). Without a mode of its own, the task takes
 * its environment's default mode, read in the INSERT itself so it is the default as it is when the task is
 * created ('code' when there is no environment).
 */
const insertTask = preparedWrite((db, v: NewTaskValues) =>
  db
    .insert(tasks)
    .values({
      ...queuedColumns(v),
      mode: sql`coalesce(${v.mode}, (select ${environments.defaultMode} from ${environments} where ${environments.id} = ${v.environmentId}), 'code')`,
    })
    .onConflictDoNothing({ target: tasks.dedupeKey })
    .returning(),
);

/** What a new task's INSERT writes, but for its mode (each INSERT settles that its own way). */
function queuedColumns(v: NewTaskValues) {
  return {
    id: v.id,
    dedupeKey: v.dedupeKey,
    workspaceId: v.workspaceId,
    requesterMemberId: v.requesterMemberId,
    origin: v.origin,
    environmentId: v.environmentId,
    kind: v.kind,
    title: v.title,
    prompt: v.prompt,
    context: v.context,
    status: "queued" as const,
    createdAt: v.now,
    availableAt: v.now,
    inboxId: v.inboxId,
  };
}

const taskRequestedEvent = preparedWrite((db, v: { id: string; now: number }) =>
  taskEventQuery({ db }, { type: "task.requested", at: v.now, where: sql`t.id = ${v.id}` }),
);

/** The task row a batch of `newTaskWrites` inserted (none when its dedupe key was taken). */
export function insertedTask(results: unknown[]): (typeof tasks.$inferSelect)[] {
  return results.at(-2) as (typeof tasks.$inferSelect)[];
}

/**
 * Queues a task once per dedupe key: a second call with the same key returns the first task.
 *
 * `inStep`: called while processing a stored delivery (`deps.stepScope`), a new task is written in the step's
 * own commit instead of one of its own, so every write that names the task must land in that commit too (or
 * after it). Were another delivery of the same claim to queue the same key first, that commit fails, and the
 * processor runs the step again: it then finds the task.
 */
export async function createTask(
  deps: StoreDeps,
  task: NewTask,
  options: { inStep?: boolean } = {},
): Promise<{ task: Task; created: boolean }> {
  if (options.inStep && deps.stepScope) return stageTask(deps, deps.stepScope, task);
  const withPlugins = await withTaskPlugins(deps, task);
  const inserted = insertedTask(await deps.database.batch(newTaskWrites(deps, withPlugins)));
  if (inserted[0]) {
    deps.tasks?.wake();
    return { task: rowToTask(inserted[0]), created: true };
  }
  const existing = await getTaskByDedupeKey(deps, task.dedupeKey);
  if (!existing) throw new Error(`task with dedupe key ${task.dedupeKey} vanished after a conflict`);
  return { task: existing, created: false };
}

async function stageTask(
  deps: StoreDeps,
  scope: StepScope,
  task: NewTask,
): Promise<{ task: Task; created: boolean }> {
  const existing = await getTaskByDedupeKey(deps, task.dedupeKey);
  if (existing) return { task: existing, created: false };
  const values = newTaskValues(deps, await withTaskPlugins(deps, task));
  const staged = { ...values, mode: values.mode ?? (await defaultMode(deps, values.environmentId)) };
  const row = queuedTaskRow(staged);
  scope.writes.push(
    ...taskCreatedRollups(deps.database, { ...task, id: row.id }, values.now),
    insertQueuedTask(deps.database, staged),
    taskRequestedEvent(deps.database, values),
  );
  scope.afterCommit.push(() => deps.tasks?.wake());
  return { task: rowToTask(row), created: true };
}

const environmentMode = preparedQuery((db, v: { id: string }) =>
  db.select({ mode: environments.defaultMode }).from(environments).where(eq(environments.id, v.id)).limit(1),
);

/** The mode of a task that names none: its environment's default, or 'code'. */
async function defaultMode(deps: StoreDeps, environmentId: string | null): Promise<TaskMode> {
  if (environmentId === null) return "code";
  const [environment] = await environmentMode(deps.database.db).all({ id: environmentId });
  return environment?.mode ?? "code";
}

/** The row a new task is, exactly as its INSERT stores it. */
function queuedTaskRow(v: StagedTaskValues): TaskRow {
  return {
    ...queuedColumns(v),
    mode: v.mode,
    answer: null,
    error: null,
    prUrl: null,
    usage: null,
    changedFiles: null,
    attempts: 0,
    startedAt: null,
    finishedAt: null,
    leaseOwner: null,
    leaseUntil: null,
    deadlineAt: null,
    executor: null,
    executorState: null,
    cancelledBy: null,
    notifiedAt: null,
    startedDay: null,
    waitReason: null,
    transitionId: null,
    contentErasedAt: null,
    contentErasure: null,
  };
}

type StagedTaskValues = NewTaskValues & { mode: TaskMode };

/** The INSERT of a staged task: a dedupe key taken since the step looked fails the step's commit. */
const insertQueuedTask = preparedWrite((db, v: StagedTaskValues) =>
  db.insert(tasks).values({ ...queuedColumns(v), mode: v.mode }),
);

/**
 * Every surface creates its tasks here, so this is where a task learns which plugins (and skills) it runs with:
 * the requester's installed plugins as their roles and apps allow them today (see tasks/plugins.ts). A creator
 * that already set `context.plugins` keeps its own.
 */
async function withTaskPlugins(deps: StoreDeps, task: NewTask): Promise<NewTask> {
  if (task.context?.[PLUGINS_CONTEXT_KEY] !== undefined) return task;
  const plugins = await resolveTaskPlugins(deps, task.workspaceId, task.requesterMemberId);
  if (plugins.installed.length === 0 && plugins.leftOut.length === 0) return task;
  return { ...task, context: { ...task.context, [PLUGINS_CONTEXT_KEY]: plugins } };
}

const taskById = preparedQuery((db, v: { id: string }) => db.select().from(tasks).where(eq(tasks.id, v.id)));

/** A task's row as stored, with its queue state (lease, executor); undefined when there is no such task. */
export async function getTaskRow(deps: Pick<Deps, "database">, id: string): Promise<TaskRow | undefined> {
  const [row] = await taskById(deps.database.db).all({ id });
  return row;
}

const statusById = preparedQuery((db, v: { id: string }) =>
  db.select({ status: tasks.status }).from(tasks).where(eq(tasks.id, v.id)),
);

/** A task's status alone (null: no such task), for the many checks that read nothing else of it. */
export async function getTaskStatus(deps: Pick<Deps, "database">, id: string): Promise<TaskStatus | null> {
  const [row] = await statusById(deps.database.db).all({ id });
  return row?.status ?? null;
}

export async function getTask(deps: Pick<Deps, "database">, id: string): Promise<Task | null> {
  const row = await getTaskRow(deps, id);
  return row ? rowToTask(row) : null;
}

/** The most recent tasks of every workspace, newest first (the sandbox page and `npm run demo`). */
export async function listRecentTasks(deps: Pick<Deps, "database">, limit: number): Promise<Task[]> {
  const rows = await deps.database.db.select().from(tasks).orderBy(desc(tasks.createdAt)).limit(limit);
  return rows.map(rowToTask);
}

const taskByDedupeKey = preparedQuery((db, v: { dedupeKey: string }) =>
  db.select().from(tasks).where(eq(tasks.dedupeKey, v.dedupeKey)).limit(1),
);

const taskIdByDedupeKey = preparedQuery((db, v: { dedupeKey: string }) =>
  db.select({ id: tasks.id }).from(tasks).where(eq(tasks.dedupeKey, v.dedupeKey)).limit(1),
);

export async function getTaskByDedupeKey(
  deps: Pick<Deps, "database">,
  dedupeKey: string,
): Promise<Task | null> {
  // Most keys asked about are new: asking for the id alone costs a fraction of reading every column of no
  // row (better-sqlite3 pays for each column of the statement, rows or not).
  const [taken] = await taskIdByDedupeKey(deps.database.db).all({ dedupeKey });
  if (!taken) return null;
  const [row] = await taskByDedupeKey(deps.database.db).all({ dedupeKey });
  return row ? rowToTask(row) : null;
}

/** A task's progress in order; `after` a seq and up to `limit` of them, for a page that follows the task. */
export async function listTaskEvents(
  deps: Pick<Deps, "database">,
  id: string,
  options: { after?: number; limit?: number } = {},
): Promise<(TaskProgressEvent & { seq: number })[]> {
  const query = deps.database.db
    .select({ seq: taskEvents.seq, at: taskEvents.at, type: taskEvents.type, text: taskEvents.text })
    .from(taskEvents)
    .where(
      options.after === undefined
        ? eq(taskEvents.taskId, id)
        : and(eq(taskEvents.taskId, id), gt(taskEvents.seq, options.after)),
    )
    .orderBy(asc(taskEvents.seq));
  return options.limit === undefined ? query : query.limit(options.limit);
}

const statusAndOrigin = preparedQuery((db, v: { id: string }) =>
  db.select({ status: tasks.status, origin: tasks.origin }).from(tasks).where(eq(tasks.id, v.id)),
);

/** How many progress steps a task has stored, and how many of them since `since`. */
const storedProgress = preparedQuery((db, v: { id: string; since: number }) =>
  db
    .select({
      total: count(),
      recent: sql<number>`coalesce(sum(case when ${taskEvents.at} > ${v.since} then 1 else 0 end), 0)`,
    })
    .from(taskEvents)
    .where(eq(taskEvents.taskId, v.id)),
);

const insertProgress = preparedWrite((db, v: { taskId: string; at: number; type: string; text: string }) =>
  db.insert(taskEvents).values({ taskId: v.taskId, at: v.at, type: v.type, text: v.text }),
);

/**
 * Stores progress steps (one, or a runner's batch), within the task's limits (progress-limits.ts): a few per
 * second and a cap per task, counted in the database so every process and callback shares them. When a batch
 * does not fit, its newest steps are the ones kept. Steps of a finished task are dropped (a late stream line or
 * callback must not add to a settled record). Each kept step is also shown where the task was asked, through
 * its surface (announce-progress.ts), e.g. in the Linear agent session.
 */
export async function appendProgress(
  deps: Deps,
  id: string,
  steps: ProgressUpdate | readonly ProgressUpdate[],
  options: { last?: boolean } = {},
): Promise<ProgressResult> {
  const all = Array.isArray(steps) ? steps : [steps as ProgressUpdate];
  if (all.length === 0) return { kept: 0, refused: null };
  const [row] = await statusAndOrigin(deps.database.db).all({ id });
  if (!row || isTerminal(row.status)) return { kept: 0, refused: "finished" };
  const now = deps.clock.now();
  const [stored] = await storedProgress(deps.database.db).all({ id, since: now - PROGRESS_WINDOW_MS });
  const { room, limit } = progressRoom(
    { total: stored?.total ?? 0, recent: Number(stored?.recent ?? 0) },
    options.last === true,
  );
  const kept: TaskProgressEvent[] = all.slice(all.length - Math.min(room, all.length)).map((step) => ({
    at: now,
    type: step.type.slice(0, 40),
    text: step.text.length > maxEventText ? `${step.text.slice(0, maxEventText)}…` : step.text,
  }));
  if (kept.length > 0) {
    await deps.database.batch(kept.map((event) => insertProgress(deps.database, { taskId: id, ...event })));
    const origin = JSON.parse(row.origin) as TaskOrigin;
    for (const event of kept) await announceProgress(deps, { taskId: id, origin, event });
  }
  return { kept: kept.length, refused: kept.length < all.length ? limit : null };
}

export class CancelForbidden extends Error {
  constructor(readonly taskId: string) {
    super("Only the person who asked for this task, or an admin, can cancel it.");
    this.name = "CancelForbidden";
  }
}

/**
 * Cancels a queued or running task, for its requester or an admin (an admin API key, a workspace owner or a
 * Codex Admin). A running task's executor is stopped (in this process directly; other processes see the
 * status change at their next lease renewal).
 * Throws IllegalTransition for a task that already finished.
 */
export async function cancelTask(
  deps: Deps,
  id: string,
  by: { memberId: string } | { admin: true; memberId?: string },
): Promise<Task> {
  const task = await getTask(deps, id);
  if (!task) throw new TaskNotFound(id);
  if (!("admin" in by) && by.memberId !== task.requesterMemberId) throw new CancelForbidden(id);
  assertTransition(id, task.status, "cancelled");
  const cancelled = await recordOutcome(deps, task, {
    status: "cancelled",
    // An admin who is a member (a workspace owner or Codex Admin on the task page) is named; an API key is not.
    by: by.memberId ?? "admin",
  });
  deps.tasks.abort(id);
  await notifyFinished(deps, cancelled);
  return cancelled;
}
