import { and, desc, eq, isNull, lt, or, type SQL, sql } from "drizzle-orm";
import { DECISION_CODES, type DecisionCode } from "../../../access/types";
import { auditLog } from "../../../db/schema/audit";
import type { Deps } from "../../../deps";
import { type AuditRecord, getAudit } from "../../../governance/audit";
import { atLeast, type Viewer } from "../viewer";
import type { Cursor } from "./keyset";

// What /audit reads: the viewer's workspace's records, newest first, filtered and paged by keyset. Owners
// also see hub-wide records (API keys, dead-letter retries), which belong to no workspace.

export interface AuditFilter {
  actor?: string;
  /** An action, or the start of one (`decision.` finds every decision). */
  action?: string;
  code?: DecisionCode;
}

export function auditFilterFrom(query: Record<string, string | undefined>): AuditFilter {
  const text = (value: string | undefined) => value?.trim().slice(0, 200) || undefined;
  return {
    actor: text(query.actor),
    action: text(query.action),
    code: DECISION_CODES.find((c) => c === query.code),
  };
}

/** The records a viewer may read: their workspace's, and for owners the hub-wide ones too. */
function readableBy(viewer: Viewer): SQL | undefined {
  const own = eq(auditLog.workspaceId, viewer.workspaceId);
  return atLeast(viewer.level, "owner") ? or(own, isNull(auditLog.workspaceId)) : own;
}

/** `LIKE 'prefix%'` with the prefix taken literally (no wildcards of its own). */
const startsWith = (prefix: string): SQL =>
  sql`${auditLog.action} LIKE ${`${prefix.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`} ESCAPE '\\'`;

const rowToRecord = (row: typeof auditLog.$inferSelect): AuditRecord => ({
  id: row.id,
  workspaceId: row.workspaceId,
  actor: row.actor,
  action: row.action,
  target: row.target,
  before: row.before,
  after: row.after,
  decision: (row.decision as AuditRecord["decision"]) ?? null,
  request: (row.request as AuditRecord["request"]) ?? null,
  createdAt: row.createdAt,
});

export async function listAuditFor(
  deps: Pick<Deps, "database">,
  viewer: Viewer,
  filter: AuditFilter,
  after: Cursor | null,
  pageSize: number,
): Promise<{ items: AuditRecord[]; next: Cursor | null }> {
  const rows = await deps.database.db
    .select()
    .from(auditLog)
    .where(
      and(
        readableBy(viewer),
        filter.actor ? eq(auditLog.actor, filter.actor) : undefined,
        filter.action ? startsWith(filter.action) : undefined,
        filter.code ? eq(auditLog.code, filter.code) : undefined,
        after
          ? or(
              lt(auditLog.createdAt, after.at),
              and(eq(auditLog.createdAt, after.at), lt(auditLog.id, after.id)),
            )
          : undefined,
      ),
    )
    // Served by audit_log_workspace_created (workspace_id, created_at); id breaks ties within a millisecond.
    .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
    .limit(pageSize + 1);
  const items = rows.slice(0, pageSize).map(rowToRecord);
  const last = items.at(-1);
  return { items, next: rows.length > pageSize && last ? { at: last.createdAt, id: last.id } : null };
}

/** One stored decision the viewer may read, or null (not a decision, or another workspace's). */
export async function decisionFor(
  deps: Pick<Deps, "database">,
  viewer: Viewer,
  id: string,
): Promise<AuditRecord | null> {
  const record = await getAudit(deps, id);
  if (!record?.decision) return null;
  return record.workspaceId === viewer.workspaceId ? record : null;
}
