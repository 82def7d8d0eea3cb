import { type SQL, sql } from "drizzle-orm";
import { preparedWrite } from "../db/prepared";
import { complianceEvents } from "../db/schema/compliance";
import type { BatchQuery, Database } from "../db/types";

// The writes that append compliance events (the Compliance API's CODEX_LOG). Each is an INSERT ... SELECT
// meant for the batch of the change it records, so the change and its event land together or not at all
// (D1 has no interactive transactions). Selecting from the rows themselves makes each one conditional: no
// workspace, no event; a task transition that lost its race, no event.

export type TaskEventType =
  | "task.requested"
  | "task.started"
  | "task.requeued"
  | "task.finished"
  | "task.content_erased";

interface AuditEventValues extends Record<string, unknown> {
  workspaceId: string | null;
  action: string;
  actor: string;
  target: string | null;
  at: number;
  data: string;
}

const auditEventSelect = (v: AuditEventValues) =>
  sql`SELECT NULL, w.id, 'CODEX_LOG', ${v.action}, ${v.actor}, ${v.target}, ${v.at}, ${v.data} FROM workspaces w`;
const auditEventIn = {
  workspace: preparedWrite((db, v: AuditEventValues) =>
    db.insert(complianceEvents).select(sql`${auditEventSelect(v)} WHERE w.id = ${v.workspaceId}`),
  ),
  every: preparedWrite((db, v: AuditEventValues) => db.insert(complianceEvents).select(auditEventSelect(v))),
};

/**
 * The event of an audit record (an admin change, an access decision, an API-key or SCIM change). A hub-wide
 * change (`workspaceId` null: API keys) concerns every workspace, so it is logged in each one.
 */
export function auditEventQuery(
  database: Database,
  entry: {
    workspaceId: string | null;
    action: string;
    actor: string;
    target: string | null;
    at: number;
    /** The event's data as JSON text. */
    data: string;
  },
): BatchQuery {
  const shape = entry.workspaceId === null ? auditEventIn.every : auditEventIn.workspace;
  return shape(database, entry);
}

/** Text that zero data retention keeps out of the log: null when the task's workspace has it on. */
const retained = (expr: SQL) => sql`CASE WHEN w.zero_data_retention THEN NULL ELSE ${expr} END`;

/**
 * A task's event, built from the task row as the same batch leaves it: who asked, through which surface, in
 * which environment, its status and times, and its prompt, context and answer unless the workspace keeps
 * zero data retention (read in the same statement, so a task is never logged with text the switch forbids).
 * `where` narrows to the row the batch changed (by id, and by the transition id its change set).
 */
export function taskEventQuery(
  database: Pick<Database, "db">,
  event: { type: TaskEventType; at: number; where: SQL },
): BatchQuery {
  const data = sql`json_object(
    'task_id', t.id, 'kind', t.kind, 'status', t.status,
    'requester', json_object('member_id', t.requester_member_id, 'email', m.email),
    'surface', json_extract(t.origin, '$.surface'),
    'environment', CASE WHEN t.environment_id IS NULL THEN NULL
      ELSE json_object('id', t.environment_id, 'name', e.name, 'repository', e.repository) END,
    'title', ${retained(sql`t.title`)},
    'prompt', ${retained(sql`t.prompt`)},
    'context', ${retained(sql`json(t.context)`)},
    'answer', ${retained(sql`t.answer`)},
    'error', ${retained(sql`t.error`)},
    'text_retained', CASE WHEN w.zero_data_retention OR t.content_erased_at IS NOT NULL
      THEN json('false') ELSE json('true') END,
    'content_erasure', t.content_erasure,
    'pr_url', t.pr_url, 'attempts', t.attempts, 'cancelled_by', t.cancelled_by,
    'created_at', t.created_at, 'started_at', t.started_at, 'finished_at', t.finished_at)`;
  return database.db.insert(complianceEvents).select(
    sql`SELECT NULL, t.workspace_id, 'CODEX_LOG', ${event.type}, 'member:' || t.requester_member_id, t.id,
      ${event.at}, ${data}
      FROM tasks t JOIN workspaces w ON w.id = t.workspace_id
      LEFT JOIN members m ON m.id = t.requester_member_id
      LEFT JOIN environments e ON e.id = t.environment_id
      WHERE ${event.where}`,
  );
}
