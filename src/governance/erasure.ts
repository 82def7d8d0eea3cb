import { and, eq, inArray, isNotNull, isNull, notInArray, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { preparedQuery } from "../db/prepared";
import { inbox } from "../db/schema/inbox";
import { outbox } from "../db/schema/outbox";
import { taskEvents, tasks } from "../db/schema/tasks";
import { workspaces } from "../db/schema/workspaces";
import type { BatchQuery } from "../db/types";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { newId } from "../lib/ids";
import type { ContentErasureReason } from "../tasks/types";
import { auditQuery } from "./audit";
import { taskEventQuery } from "./compliance-events";

// Erasing a finished task's text: its prompt, title, gathered context (Slack thread, PR files), answer,
// error and progress text, the webhook payload that started it, and the bodies of the calls that replied.
// What stays is what the task was: who asked, through what, where, when, the decisions and the outcome.
// Three reasons: zero data retention (once the reply is delivered), a Compliance API deletion, the
// workspace's retention period.

type EraseDeps = Pick<Deps, "database" | "clock" | "logger">;

const TERMINAL = ["completed", "failed", "cancelled"] as const;

const titleFor = (reason: ContentErasureReason) =>
  sql`CASE WHEN ${tasks.kind} = 'review' THEN ${`Code review (text ${reason === "deleted" ? "deleted" : "not retained"})`}
    ELSE ${`Task (text ${reason === "deleted" ? "deleted" : "not retained"})`} END`;

/** What is left of a platform's answer to a call: the ids that find the posted message again, no text. */
const scrubbedResponse = sql`CASE WHEN ${outbox.response} IS NULL OR NOT json_valid(${outbox.response}) THEN NULL
  ELSE json_object('ts', json_extract(${outbox.response}, '$.ts'), 'channel', json_extract(${outbox.response}, '$.channel'),
    'id', json_extract(${outbox.response}, '$.id'), 'data', json_object('id', json_extract(${outbox.response}, '$.data.id')))
  END`;

/**
 * The writes that erase one task's text, in the order they must run. The first is the conditional UPDATE of
 * the task (finished, not erased yet, and `condition`); every other write only acts once the task is erased,
 * so the batch erases all or nothing, and running it again changes nothing. Calls still waiting in the outbox
 * are given up (a deletion does not wait for a reply); zero data retention's condition waits for them.
 */
export function erasureQueries(
  deps: Pick<Deps, "database" | "clock">,
  taskId: string,
  reason: ContentErasureReason,
  condition?: SQL,
): BatchQuery[] {
  const { db } = deps.database;
  const now = deps.clock.now();
  const transitionId = newId("trn");
  const erased = sql`EXISTS (SELECT 1 FROM tasks e WHERE e.id = ${taskId} AND e.content_erased_at IS NOT NULL)`;
  const waiting = sql`${outbox.status} IN ('pending', 'sending')`;
  return [
    db
      .update(tasks)
      .set({
        title: titleFor(reason),
        prompt: "",
        context: "{}",
        answer: null,
        error: null,
        executorState: null,
        contentErasedAt: now,
        contentErasure: reason,
        transitionId,
      })
      .where(
        and(
          eq(tasks.id, taskId),
          isNull(tasks.contentErasedAt),
          inArray(tasks.status, [...TERMINAL]),
          condition,
        ),
      )
      .returning({ id: tasks.id }),
    db
      .update(taskEvents)
      .set({ text: "" })
      .where(and(eq(taskEvents.taskId, taskId), sql`${taskEvents.text} <> ''`, erased)),
    db
      .update(outbox)
      .set({
        args: "{}",
        response: scrubbedResponse,
        status: sql`CASE WHEN ${waiting} THEN 'dead' ELSE ${outbox.status} END`,
        lastError: sql`CASE WHEN ${waiting} THEN 'Not sent: the task''s text was erased.' ELSE ${outbox.lastError} END`,
        leaseUntil: sql`CASE WHEN ${waiting} THEN NULL ELSE ${outbox.leaseUntil} END`,
      })
      .where(and(eq(outbox.taskId, taskId), sql`${outbox.args} <> '{}'`, erased)),
    // A delivery still being processed keeps its payload until the sweep: the processor may still read it.
    db
      .update(inbox)
      .set({ payload: null, payloadEncoding: null, normalized: null })
      .where(
        and(
          sql`${inbox.id} = (SELECT e.inbox_id FROM tasks e WHERE e.id = ${taskId} AND e.content_erased_at IS NOT NULL)`,
          notInArray(inbox.status, ["pending", "processing"]),
        ),
      ),
    taskEventQuery(deps.database, {
      type: "task.content_erased",
      at: now,
      where: sql`t.id = ${taskId} AND t.transition_id = ${transitionId}`,
    }),
  ];
}

/** Runs the erasure's writes; true when this call erased the task (false: not finished, already erased, or not due). */
export async function eraseTaskContent(
  deps: EraseDeps,
  taskId: string,
  reason: ContentErasureReason,
  options: { condition?: SQL; forget?: boolean } = {},
): Promise<boolean> {
  const [updated] = (await deps.database.batch(erasureQueries(deps, taskId, reason, options.condition))) as [
    unknown[],
  ];
  const erased = updated.length > 0;
  if (erased && options.forget !== false) await forgetErased(deps);
  return erased;
}

/** Makes the database files drop what was erased (Node: a WAL checkpoint); a failure waits for the next try. */
export async function forgetErased(deps: Pick<Deps, "database" | "logger">): Promise<void> {
  try {
    await deps.database.forgetErased?.();
  } catch (error) {
    deps.logger.warn({ error: (error as Error).message }, "could not checkpoint after an erasure");
  }
}

/**
 * Zero data retention's condition: the workspace keeps it, the task's replies were queued (notified) and
 * none of its calls is still waiting to go (each is sent, or given up on).
 */
const deliveredUnderZdr = and(
  isNotNull(tasks.notifiedAt),
  sql`EXISTS (SELECT 1 FROM workspaces w WHERE w.id = ${tasks.workspaceId} AND w.zero_data_retention)`,
  sql`NOT EXISTS (SELECT 1 FROM outbox o WHERE o.task_id = ${tasks.id} AND o.status IN ('pending', 'sending'))`,
);

/**
 * Whether the task `taskId` (a column or a value) finished and was notified, its text is still kept, and its
 * workspace keeps zero data retention: 1 or 0. A statement that already writes one of the task's rows can
 * return it (the outbox's sent and failed marks do), so a delivered call needs no read of its own to learn
 * whether its task's text may go now. The erasure checks everything again when it runs.
 */
export const erasureMayBeDue = (taskId: SQLWrapper) =>
  sql<number>`EXISTS (SELECT 1 FROM ${tasks} t JOIN ${workspaces} w ON w.id = t.workspace_id
    WHERE t.id = ${taskId} AND t.content_erased_at IS NULL AND t.notified_at IS NOT NULL
    AND t.status IN ${sql.raw(`(${TERMINAL.map((s) => `'${s}'`).join(", ")})`)} AND w.zero_data_retention)`;

const finishedUnderZdr = preparedQuery((db, v: { taskId: string }) =>
  db
    .select({ zdr: erasureMayBeDue(sql`${v.taskId}`) })
    .from(tasks)
    .where(eq(tasks.id, v.taskId))
    .limit(1),
);

/**
 * Under zero data retention, erases a finished task's text once everything it said has been delivered.
 * Called after the task's notifications are queued and after each of its calls is sent or given up on; safe
 * to call for any task (a cheap read first: most workspaces keep their text). `mayBeDue`, when the caller
 * already has `erasureMayBeDue` from a statement of its own, stands in for that read.
 */
export async function eraseIfDelivered(
  deps: EraseDeps,
  taskId: string,
  options: { forget?: boolean; mayBeDue?: boolean } = {},
): Promise<boolean> {
  if (options.mayBeDue === false) return false;
  if (options.mayBeDue === undefined) {
    const [row] = await finishedUnderZdr(deps.database.db).all({ taskId });
    if (!row?.zdr) return false;
  }
  // The condition is checked again in the erasing statement itself: a reply queued meanwhile stops it.
  return eraseTaskContent(deps, taskId, "zero_data_retention", {
    forget: options.forget,
    condition: deliveredUnderZdr,
  });
}

/**
 * The webhook payloads of tasks erased since `since` that were still being processed when their task was
 * erased (the processor stores the normalized event last): erased now. Returns how many.
 */
export async function eraseLateInboxRows(
  deps: Pick<Deps, "database">,
  workspaceId: string,
  since: number,
): Promise<number> {
  const rows = await deps.database.db
    .update(inbox)
    .set({ payload: null, payloadEncoding: null, normalized: null })
    .where(
      and(
        sql`${inbox.id} IN (SELECT e.inbox_id FROM tasks e WHERE e.workspace_id = ${workspaceId}
          AND e.content_erased_at >= ${since} AND e.inbox_id IS NOT NULL)`,
        notInArray(inbox.status, ["pending", "processing"]),
        sql`(${inbox.payload} IS NOT NULL OR ${inbox.normalized} IS NOT NULL)`,
      ),
    )
    .returning({ id: inbox.id });
  return rows.length;
}

/**
 * A Compliance API deletion: erases a finished task's text and records who asked, in one batch (the audit
 * record is written even when the text was already gone: the request itself is what is audited).
 */
export async function deleteTaskContent(
  deps: EraseDeps,
  input: { workspaceId: string; taskId: string; actor: string },
): Promise<{ erased: boolean; auditId: string }> {
  const [task] = await deps.database.db
    .select({ status: tasks.status, erasedAt: tasks.contentErasedAt, erasure: tasks.contentErasure })
    .from(tasks)
    .where(and(eq(tasks.id, input.taskId), eq(tasks.workspaceId, input.workspaceId)))
    .limit(1);
  if (!task) throw new AppError("not_found", `No task ${input.taskId} in workspace ${input.workspaceId}.`);
  if (!(TERMINAL as readonly string[]).includes(task.status)) {
    throw new AppError(
      "conflict",
      `Task ${input.taskId} is ${task.status}: its text is still in use. Cancel it or let it finish, then delete.`,
    );
  }
  const audit = auditQuery(deps, {
    workspaceId: input.workspaceId,
    actor: input.actor,
    action: "task.content_delete",
    target: input.taskId,
    before: { textErased: task.erasedAt !== null, erasure: task.erasure },
    after: { textErased: true, erasure: task.erasure ?? "deleted" },
  });
  const [updated] = (await deps.database.batch([
    ...erasureQueries(deps, input.taskId, "deleted"),
    ...audit.queries,
  ])) as [unknown[]];
  const erased = updated.length > 0;
  if (erased) await forgetErased(deps);
  return { erased, auditId: audit.id };
}
