import { and, asc, eq, gt, lte, sql } from "drizzle-orm";
import {
  type ComplianceEventRow,
  type ComplianceEventType,
  complianceEvents,
  complianceEventTypes,
  complianceLogFiles,
} from "../db/schema/compliance";
import type { Deps } from "../deps";
import { sha256Hex } from "../lib/crypto";

// Compliance log files (the Compliance API's /logs). Events are appended to a stream per workspace and event
// type; the stream is cut into files, each closing at the end of the hour of its first event or when it holds
// `config.compliance.logMaxEvents` events, whichever comes first. The cut depends only on the events in order,
// so whoever seals a file (a listing, a download, the hourly sweep) seals the same one. A closed file's
// content and SHA-256 are stored once and never recomputed: later events, deletions and erasures leave it as
// it is. The events not yet sealed are the open file, listed and downloadable as they stand.

const HOUR = 3_600_000;

type LogDeps = Pick<Deps, "database" | "clock" | "config">;

export interface LogFileView {
  id: string;
  eventType: ComplianceEventType;
  firstSeq: number;
  eventCount: number;
  /** Times of the first and last event. */
  startAt: number;
  endAt: number;
  size: number;
  sha256: string;
  open: boolean;
  closedAt: number | null;
}

export const logFileId = (firstSeq: number) => `clf_${firstSeq}`;

/** One event as a line of the file: its own id, what happened, when (RFC 3339), who, on what, the details. */
function jsonLine(row: ComplianceEventRow): string {
  return `${JSON.stringify({
    id: `cle_${row.seq}`,
    event_type: row.eventType,
    type: row.type,
    timestamp: new Date(row.at).toISOString(),
    workspace_id: row.workspaceId,
    actor: row.actor,
    target: row.target,
    data: JSON.parse(row.data) as unknown,
  })}\n`;
}

export const jsonLines = (rows: readonly ComplianceEventRow[]): string => rows.map(jsonLine).join("");

/**
 * The first file of a run of pending events (in `seq` order, at most maxEvents + 1 of them): its events, and
 * whether it is closed. It takes events until it holds maxEvents or one comes from a later hour.
 */
export function cutFile(
  pending: readonly ComplianceEventRow[],
  maxEvents: number,
  now: number,
): { events: ComplianceEventRow[]; closed: boolean } {
  const hourEnd = (Math.floor(pending[0]!.at / HOUR) + 1) * HOUR;
  let n = 0;
  while (n < pending.length && n < maxEvents && pending[n]!.at < hourEnd) n++;
  return { events: pending.slice(0, n), closed: n >= maxEvents || n < pending.length || now >= hourEnd };
}

const stream = (workspaceId: string, eventType: ComplianceEventType) =>
  and(eq(complianceEvents.workspaceId, workspaceId), eq(complianceEvents.eventType, eventType));

/** The highest seq sealed into a file of the stream (0 for none), as a subquery. */
const sealedUpTo = (workspaceId: string, eventType: ComplianceEventType) =>
  sql`coalesce((SELECT max(f.last_seq) FROM compliance_log_files f
    WHERE f.workspace_id = ${workspaceId} AND f.event_type = ${eventType}), 0)`;

async function pendingEvents(
  deps: LogDeps,
  workspaceId: string,
  eventType: ComplianceEventType,
  limit: number,
): Promise<ComplianceEventRow[]> {
  return deps.database.db
    .select()
    .from(complianceEvents)
    .where(and(stream(workspaceId, eventType), gt(complianceEvents.seq, sealedUpTo(workspaceId, eventType))))
    .orderBy(asc(complianceEvents.seq))
    .limit(limit);
}

const utf8Size = (text: string) => new TextEncoder().encode(text).byteLength;

/**
 * Seals every file of the stream that is due: stores its content and digest and drops its events, in one
 * batch. Two sealers of the same file compute the same content; the second's insert does nothing, and the
 * delete only ever drops events a stored file holds. Returns how many files this call sealed.
 */
export async function sealDueFiles(
  deps: LogDeps,
  workspaceId: string,
  eventType: ComplianceEventType,
): Promise<number> {
  const max = deps.config.compliance.logMaxEvents;
  let sealed = 0;
  for (;;) {
    const now = deps.clock.now();
    const pending = await pendingEvents(deps, workspaceId, eventType, max + 1);
    if (pending.length === 0) return sealed;
    const cut = cutFile(pending, max, now);
    if (!cut.closed) return sealed;
    const first = cut.events[0]!;
    const last = cut.events.at(-1)!;
    const content = jsonLines(cut.events);
    await deps.database.batch([
      deps.database.db
        .insert(complianceLogFiles)
        .values({
          id: logFileId(first.seq),
          workspaceId,
          eventType,
          firstSeq: first.seq,
          lastSeq: last.seq,
          eventCount: cut.events.length,
          startAt: Math.min(...cut.events.map((e) => e.at)),
          endAt: Math.max(...cut.events.map((e) => e.at)),
          size: utf8Size(content),
          sha256: await sha256Hex(content),
          content,
          closedAt: now,
        })
        .onConflictDoNothing(),
      deps.database.db
        .delete(complianceEvents)
        .where(
          and(stream(workspaceId, eventType), lte(complianceEvents.seq, sealedUpTo(workspaceId, eventType))),
        ),
    ]);
    sealed++;
  }
}

/** Seals what is due in every stream of the workspace. */
export async function sealWorkspaceLogs(deps: LogDeps, workspaceId: string): Promise<number> {
  let sealed = 0;
  for (const eventType of complianceEventTypes) sealed += await sealDueFiles(deps, workspaceId, eventType);
  return sealed;
}

/** The open file of a stream as it stands (after sealing what is due), with its content; null when empty. */
async function openFile(
  deps: LogDeps,
  workspaceId: string,
  eventType: ComplianceEventType,
): Promise<{ view: LogFileView; content: string } | null> {
  const events = await pendingEvents(deps, workspaceId, eventType, deps.config.compliance.logMaxEvents);
  if (events.length === 0) return null;
  const content = jsonLines(events);
  return {
    view: {
      id: logFileId(events[0]!.seq),
      eventType,
      firstSeq: events[0]!.seq,
      eventCount: events.length,
      startAt: Math.min(...events.map((e) => e.at)),
      endAt: Math.max(...events.map((e) => e.at)),
      size: utf8Size(content),
      sha256: await sha256Hex(content),
      open: true,
      closedAt: null,
    },
    content,
  };
}

const closedColumns = {
  id: complianceLogFiles.id,
  eventType: complianceLogFiles.eventType,
  firstSeq: complianceLogFiles.firstSeq,
  eventCount: complianceLogFiles.eventCount,
  startAt: complianceLogFiles.startAt,
  endAt: complianceLogFiles.endAt,
  size: complianceLogFiles.size,
  sha256: complianceLogFiles.sha256,
  closedAt: complianceLogFiles.closedAt,
};

/**
 * A page of a stream's files, oldest first: the closed ones, then the open one. `after` keeps files whose last
 * event is later than it; `afterSeq` (the cursor) those after a file already seen.
 */
export async function listLogFiles(
  deps: LogDeps,
  workspaceId: string,
  query: { eventType: ComplianceEventType; after?: number; afterSeq?: number; limit: number },
): Promise<{ files: LogFileView[]; hasMore: boolean }> {
  const { eventType, limit } = query;
  await sealDueFiles(deps, workspaceId, eventType);
  const rows = await deps.database.db
    .select(closedColumns)
    .from(complianceLogFiles)
    .where(
      and(
        eq(complianceLogFiles.workspaceId, workspaceId),
        eq(complianceLogFiles.eventType, eventType),
        query.afterSeq === undefined ? undefined : gt(complianceLogFiles.firstSeq, query.afterSeq),
        query.after === undefined ? undefined : gt(complianceLogFiles.endAt, query.after),
      ),
    )
    .orderBy(asc(complianceLogFiles.firstSeq))
    .limit(limit + 1);
  const files: LogFileView[] = rows.slice(0, limit).map((row) => ({ ...row, open: false }));
  if (rows.length > limit) return { files, hasMore: true };
  const open = (await openFile(deps, workspaceId, eventType))?.view;
  const wanted =
    open &&
    (query.afterSeq === undefined || open.firstSeq > query.afterSeq) &&
    (query.after === undefined || open.endAt > query.after);
  if (!wanted) return { files, hasMore: false };
  if (files.length === limit) return { files, hasMore: true };
  return { files: [...files, open], hasMore: false };
}

/** A file with its content: a closed one as it was stored, the open one as it stands; null when unknown. */
export async function readLogFile(
  deps: LogDeps,
  workspaceId: string,
  fileId: string,
): Promise<{ view: LogFileView; content: string } | null> {
  await sealWorkspaceLogs(deps, workspaceId);
  const [row] = await deps.database.db
    .select({ ...closedColumns, content: complianceLogFiles.content })
    .from(complianceLogFiles)
    .where(and(eq(complianceLogFiles.workspaceId, workspaceId), eq(complianceLogFiles.id, fileId)))
    .limit(1);
  if (row) {
    const { content, ...view } = row;
    return { view: { ...view, open: false }, content };
  }
  for (const eventType of complianceEventTypes) {
    const open = await openFile(deps, workspaceId, eventType);
    if (open?.view.id === fileId) return open;
  }
  return null;
}

/** Retention: closed files whose last event is older than `before`. Returns how many were deleted. */
export async function deleteLogFilesBefore(
  deps: Pick<Deps, "database">,
  workspaceId: string,
  before: number,
): Promise<number> {
  const rows = await deps.database.db
    .delete(complianceLogFiles)
    .where(and(eq(complianceLogFiles.workspaceId, workspaceId), sql`${complianceLogFiles.endAt} < ${before}`))
    .returning({ id: complianceLogFiles.id });
  return rows.length;
}
