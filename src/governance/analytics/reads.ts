import { and, asc, between, eq } from "drizzle-orm";
import { members } from "../../db/schema/access";
import {
  analyticsFindingsDaily,
  analyticsMemberDaily,
  analyticsUsageDaily,
  analyticsWorkspaceDaily,
} from "../../db/schema/analytics";
import type { Deps } from "../../deps";
import type { DayRange } from "./days";

// Reads of the rollup tables for a range of days: one range scan of each table's primary key
// (workspace_id, day, ...), a few rows per day, whatever the number of tasks behind them.

type D = Pick<Deps, "database">;

export type UsageDailyRow = typeof analyticsUsageDaily.$inferSelect;
export type WorkspaceDailyRow = typeof analyticsWorkspaceDaily.$inferSelect;
export type FindingsDailyRow = typeof analyticsFindingsDaily.$inferSelect;

/** `<day>:<surface>` → that day's usage on that surface (days without activity are absent). */
export async function readUsage(deps: D, workspaceId: string, days: DayRange) {
  const t = analyticsUsageDaily;
  const rows = await deps.database.db
    .select()
    .from(t)
    .where(and(eq(t.workspaceId, workspaceId), between(t.day, days.first, days.last)));
  return new Map(rows.map((r) => [`${r.day}:${r.surface}`, r]));
}

/** day → the workspace-wide figures of that day. */
export async function readWorkspaceDays(deps: D, workspaceId: string, days: DayRange) {
  const t = analyticsWorkspaceDaily;
  const rows = await deps.database.db
    .select()
    .from(t)
    .where(and(eq(t.workspaceId, workspaceId), between(t.day, days.first, days.last)));
  return new Map(rows.map((r) => [r.day, r]));
}

/** `<day>:<priority>` → the findings and feedback of that day at that priority. */
export async function readFindings(deps: D, workspaceId: string, days: DayRange) {
  const t = analyticsFindingsDaily;
  const rows = await deps.database.db
    .select()
    .from(t)
    .where(and(eq(t.workspaceId, workspaceId), between(t.day, days.first, days.last)));
  return new Map(rows.map((r) => [`${r.day}:${r.priority}`, r]));
}

/** Each member's sessions and messages per day, with their email, by day then email. */
export async function readMemberDays(deps: D, workspaceId: string, days: DayRange) {
  const t = analyticsMemberDaily;
  return deps.database.db
    .select({
      day: t.day,
      memberId: t.memberId,
      email: members.email,
      sessions: t.sessions,
      messages: t.messages,
    })
    .from(t)
    .leftJoin(members, eq(members.id, t.memberId))
    .where(and(eq(t.workspaceId, workspaceId), between(t.day, days.first, days.last)))
    .orderBy(asc(t.day), asc(members.email), asc(t.memberId));
}
