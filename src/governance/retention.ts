import { and, asc, eq, isNotNull, isNull, lt } from "drizzle-orm";
import { retentionSettings } from "../db/schema/compliance";
import { tasks } from "../db/schema/tasks";
import { workspaces } from "../db/schema/workspaces";
import type { Deps } from "../deps";
import { deleteLogFilesBefore, sealWorkspaceLogs } from "./compliance-logs";
import { eraseIfDelivered, eraseLateInboxRows, eraseTaskContent, forgetErased } from "./erasure";

// The governance part of the hourly retention sweep (runtime/processor-loop.ts on Node): seal the compliance
// log files that are due, apply each workspace's retention periods, and catch up on zero data retention
// erasures that did not happen when the reply went out (a crash, a busy database).

const DAY = 86_400_000;
/** Tasks erased per workspace and kind of erasure in one sweep, so one sweep stays short; the next continues. */
const PER_SWEEP = 500;

export interface GovernanceSweep {
  logFilesSealed: number;
  logFilesDeleted: number;
  tasksErased: number;
  inboxRowsErased: number;
}

type SweepDeps = Pick<Deps, "database" | "clock" | "config" | "logger">;

async function finishedTaskIds(
  deps: SweepDeps,
  workspaceId: string,
  finishedBefore: number,
  notifiedOnly: boolean,
): Promise<string[]> {
  const rows = await deps.database.db
    .select({ id: tasks.id })
    .from(tasks)
    .where(
      and(
        eq(tasks.workspaceId, workspaceId),
        isNull(tasks.contentErasedAt),
        lt(tasks.finishedAt, finishedBefore),
        notifiedOnly ? isNotNull(tasks.notifiedAt) : undefined,
      ),
    )
    .orderBy(asc(tasks.finishedAt))
    .limit(PER_SWEEP);
  return rows.map((r) => r.id);
}

export async function sweepGovernance(deps: SweepDeps): Promise<GovernanceSweep> {
  const now = deps.clock.now();
  const result: GovernanceSweep = {
    logFilesSealed: 0,
    logFilesDeleted: 0,
    tasksErased: 0,
    inboxRowsErased: 0,
  };
  const rows = await deps.database.db
    .select({
      id: workspaces.id,
      zdr: workspaces.zeroDataRetention,
      taskContentDays: retentionSettings.taskContentDays,
      complianceLogDays: retentionSettings.complianceLogDays,
    })
    .from(workspaces)
    .leftJoin(retentionSettings, eq(retentionSettings.workspaceId, workspaces.id));
  for (const ws of rows) {
    result.logFilesSealed += await sealWorkspaceLogs(deps, ws.id);
    if (ws.complianceLogDays !== null) {
      result.logFilesDeleted += await deleteLogFilesBefore(deps, ws.id, now - ws.complianceLogDays * DAY);
    }
    if (ws.zdr) {
      for (const id of await finishedTaskIds(deps, ws.id, now + 1, true)) {
        if (await eraseIfDelivered(deps, id, { forget: false })) result.tasksErased++;
      }
    }
    if (ws.taskContentDays !== null) {
      for (const id of await finishedTaskIds(deps, ws.id, now - ws.taskContentDays * DAY, false)) {
        if (await eraseTaskContent(deps, id, "retention", { forget: false })) result.tasksErased++;
      }
    }
    // The inbox keeps raw payloads for at most HUB_INBOX_RETENTION_DAYS anyway; look back that far.
    const since = now - Math.max(deps.config.inbox.retentionDays, 1) * DAY;
    result.inboxRowsErased += await eraseLateInboxRows(deps, ws.id, since);
  }
  if (result.tasksErased + result.inboxRowsErased + result.logFilesDeleted > 0) await forgetErased(deps);
  return result;
}
