import type { BatchQuery } from "../db/types";
import type { Deps } from "../deps";
import { type AuditEntry, auditQuery } from "../governance/audit";
import { bumpVersionQuery, forgetSnapshot } from "./snapshot-store";

export interface Change extends AuditEntry {
  /** The writes of the change; they land together with the audit record and the snapshot version bump. */
  writes: BatchQuery[];
}

/**
 * Applies one admin change: the writes, its audit record (who, what, before → after) and the workspace's
 * snapshot version bump, in one batch (D1 has no interactive transactions), then drops the cached snapshot
 * so the very next decision in this process sees the change. Returns the audit record's id.
 */
export async function commitChange(deps: Pick<Deps, "database" | "clock">, change: Change): Promise<string> {
  const { writes, ...entry } = change;
  const audit = auditQuery(deps, entry);
  const queries = [...writes, audit.query];
  if (entry.workspaceId) queries.push(bumpVersionQuery(deps, entry.workspaceId));
  await deps.database.batch(queries);
  if (entry.workspaceId) forgetSnapshot(deps, entry.workspaceId);
  return audit.id;
}
