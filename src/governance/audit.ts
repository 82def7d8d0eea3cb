import { and, desc, eq, isNotNull, lt, sql } from "drizzle-orm";
import type { AccessRequest, Decision } from "../access/types";
import { preparedWrite } from "../db/prepared";
import { type AuditRow, auditLog } from "../db/schema/audit";
import type { BatchQuery } from "../db/types";
import type { Deps } from "../deps";
import { newId } from "../lib/ids";
import { auditEventQuery } from "./compliance-events";

// The audit log: every admin change (who, what, before → after) and every access decision made on live
// traffic, with the request and the ordered trace that decided it, so "why did this happen?" has an answer.

export interface AuditEntry {
  /** null for hub-wide changes (API keys). */
  workspaceId: string | null;
  /** Who: `api_key:<id>`, `scim:<key id>`, `member:<id>`, `system`, or the platform actor of a decision. */
  actor: string;
  /** What: `member.update`, `toggles.update`, `decision.task.run`, ... */
  action: string;
  target?: string;
  before?: unknown;
  after?: unknown;
  decision?: Decision;
  request?: AccessRequest;
}

export interface AuditRecord {
  id: string;
  workspaceId: string | null;
  actor: string;
  action: string;
  target: string | null;
  before: unknown;
  after: unknown;
  decision: Decision | null;
  request: AccessRequest | null;
  createdAt: number;
}

interface AuditValues extends Record<string, unknown> {
  id: string;
  workspaceId: string | null;
  actor: string;
  action: string;
  target: string | null;
  /** The JSON columns as their text (SQL NULL for nothing, which the column's own encoder would not give). */
  before: string | null;
  after: string | null;
  decision: string | null;
  request: string | null;
  code: string | null;
  createdAt: number;
}

const insertAudit = preparedWrite((db, v: AuditValues) =>
  db.insert(auditLog).values({
    id: v.id,
    workspaceId: v.workspaceId,
    actor: v.actor,
    action: v.action,
    target: v.target,
    before: sql`${v.before}`,
    after: sql`${v.after}`,
    decision: sql`${v.decision}`,
    request: sql`${v.request}`,
    code: v.code,
    createdAt: v.createdAt,
  }),
);

const jsonText = (value: unknown): string | null =>
  value === undefined || value === null ? null : JSON.stringify(value);

/**
 * The record's writes, for `deps.database.batch([...change, ...queries])` so a change and its record land
 * together: the audit row, and the same fact as a compliance event (the Compliance API's CODEX_LOG).
 */
export function auditQuery(
  deps: Pick<Deps, "database" | "clock">,
  entry: AuditEntry,
  id = newId("aud"),
): { id: string; queries: BatchQuery[] } {
  const now = deps.clock.now();
  // Each JSON text is made once, for the audit row and again inside the compliance event's data.
  const before = jsonText(entry.before);
  const after = jsonText(entry.after);
  const decision = jsonText(entry.decision);
  const request = jsonText(entry.request);
  const query = insertAudit(deps.database, {
    id,
    workspaceId: entry.workspaceId,
    actor: entry.actor,
    action: entry.action,
    target: entry.target ?? null,
    // Nothing (undefined or null, e.g. before a creation) is stored as NULL.
    before,
    after,
    decision,
    request,
    code: entry.decision?.code ?? null,
    createdAt: now,
  });
  // In the event, a null before or after is kept (a creation has no before); absent ones are left out.
  const field = (name: string, text: string | null, present: boolean) =>
    present ? `,"${name}":${text ?? "null"}` : "";
  const event = auditEventQuery(deps.database, {
    workspaceId: entry.workspaceId,
    action: entry.action,
    actor: entry.actor,
    target: entry.target ?? null,
    at: now,
    data: `{"audit_id":${JSON.stringify(id)}${field("before", before, entry.before !== undefined)}${field("after", after, entry.after !== undefined)}${field("decision", decision, Boolean(entry.decision))}${field("request", request, Boolean(entry.request))}}`,
  });
  return { id, queries: [query, event] };
}

/** Writes one audit record (and its compliance event) on its own. */
export async function recordAudit(
  deps: Pick<Deps, "database" | "clock">,
  entry: AuditEntry,
  id?: string,
): Promise<string> {
  const record = auditQuery(deps, entry, id);
  await deps.database.batch(record.queries);
  return record.id;
}

const toRecord = (row: AuditRow): AuditRecord => ({
  id: row.id,
  workspaceId: row.workspaceId,
  actor: row.actor,
  action: row.action,
  target: row.target,
  before: row.before,
  after: row.after,
  decision: (row.decision as Decision | null) ?? null,
  request: (row.request as AccessRequest | null) ?? null,
  createdAt: row.createdAt,
});

export async function getAudit(deps: Pick<Deps, "database">, id: string): Promise<AuditRecord | null> {
  const [row] = await deps.database.db.select().from(auditLog).where(eq(auditLog.id, id)).limit(1);
  return row ? toRecord(row) : null;
}

/** Newest first; `before` (a createdAt) pages backwards. */
export async function listAudit(
  deps: Pick<Deps, "database">,
  query: { workspaceId: string; limit: number; before?: number; decisionsOnly?: boolean },
): Promise<AuditRecord[]> {
  const rows = await deps.database.db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.workspaceId, query.workspaceId),
        query.before === undefined ? undefined : lt(auditLog.createdAt, query.before),
        query.decisionsOnly ? isNotNull(auditLog.code) : undefined,
      ),
    )
    .orderBy(desc(auditLog.createdAt))
    .limit(query.limit);
  return rows.map(toRecord);
}
