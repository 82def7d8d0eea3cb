import type { BatchQuery } from "../db/types";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { type AuditEntry, auditQuery } from "../governance/audit";
import { bumpVersionQuery, forgetSnapshot } from "./snapshot";

export interface Change extends AuditEntry {
  /** The writes of the change; they land together with the audit record and the snapshot version bump. */
  writes: BatchQuery[];
  /** Said when a unique index refuses the writes (e.g. two members with one email); nothing then lands. */
  conflict?: string;
}

/** better-sqlite3 and D1 both report a unique index violation with SQLite's own message. */
const isUniqueViolation = (error: unknown): boolean => {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (
      /UNIQUE constraint failed|PRIMARY KEY constraint failed|SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)/.test(
        e.message,
      )
    ) {
      return true;
    }
  }
  return false;
};

/**
 * Applies one admin change: the writes, its audit record (who, what, before → after) and the workspace's
 * snapshot version bump, in one batch (D1 has no interactive transactions), then drops the cached snapshot
 * so the very next decision in this process sees the change. Returns the audit record's id.
 */
export async function commitChange(
  deps: Pick<Deps, "database" | "clock"> & Partial<Pick<Deps, "caches" | "stepScope">>,
  change: Change,
): Promise<string> {
  const { writes, conflict, ...entry } = change;
  const audit = auditQuery(deps, entry);
  const queries = [...writes, ...audit.queries];
  if (entry.workspaceId) queries.push(bumpVersionQuery(deps, entry.workspaceId));
  try {
    await deps.database.batch(queries);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("conflict", conflict ?? "The change conflicts with existing data.");
    }
    throw error;
  }
  if (entry.workspaceId) forgetSnapshot(deps, entry.workspaceId);
  return audit.id;
}
