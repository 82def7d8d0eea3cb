import { eq } from "drizzle-orm";
import { workspaces } from "../../db/schema/workspaces";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import type { DayRange } from "./days";
import { decodeCursor, encodeCursor, limitFrom, rangeFrom, sliceGrid } from "./paging";
import { readFindings, readUsage, readWorkspaceDays } from "./reads";
import { codeReviewRow, PRIORITIES, responseRow, SERVED_SURFACES, usageRow } from "./rows";

// The three endpoints of the analytics API as functions of the request's parameters: rows of a range of days
// (all of it for the console, a page of it for the API), read from the rollups.

type D = Pick<Deps, "database">;

/** Usage per day and surface, for the days of `days`. */
export async function usageRows(deps: D, workspaceId: string, days: DayRange) {
  const usage = await readUsage(deps, workspaceId, days);
  const rows = [];
  for (let day = days.first; day <= days.last; day++) {
    for (const surface of SERVED_SURFACES) rows.push(usageRow(day, surface, usage.get(`${day}:${surface}`)));
  }
  return rows;
}

/** Code reviews per day. */
export async function codeReviewRows(deps: D, workspaceId: string, days: DayRange) {
  const [perDay, findings] = await Promise.all([
    readWorkspaceDays(deps, workspaceId, days),
    readFindings(deps, workspaceId, days),
  ]);
  const rows = [];
  for (let day = days.first; day <= days.last; day++) {
    rows.push(codeReviewRow(day, perDay.get(day), (p) => findings.get(`${day}:${p}`)));
  }
  return rows;
}

/** Responses to review comments per day and priority. */
export async function responseRows(deps: D, workspaceId: string, days: DayRange) {
  const findings = await readFindings(deps, workspaceId, days);
  const rows = [];
  for (let day = days.first; day <= days.last; day++) {
    for (const priority of PRIORITIES)
      rows.push(responseRow(day, priority, findings.get(`${day}:${priority}`)));
  }
  return rows;
}

export const ANALYTICS_ENDPOINTS = {
  usage: { perDay: SERVED_SURFACES.length, rows: usageRows },
  code_reviews: { perDay: 1, rows: codeReviewRows },
  code_review_responses: { perDay: PRIORITIES.length, rows: responseRows },
} as const;

export type AnalyticsEndpoint = keyof typeof ANALYTICS_ENDPOINTS;

export interface PageQuery {
  start_time?: string;
  end_time?: string;
  limit?: string;
  page?: string;
}

export async function assertWorkspace(deps: D, workspaceId: string): Promise<void> {
  const [row] = await deps.database.db
    .select({ id: workspaces.id })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId))
    .limit(1);
  if (!row) throw new AppError("not_found", `No workspace ${workspaceId}.`);
}

/** One page of an endpoint: `{ data, has_more, next_page }`. */
export async function analyticsPage<E extends AnalyticsEndpoint>(
  deps: Pick<Deps, "database" | "clock">,
  endpoint: E,
  workspaceId: string,
  query: PageQuery,
) {
  const { perDay, rows } = ANALYTICS_ENDPOINTS[endpoint];
  const { days } = rangeFrom(query, deps.clock.now());
  const limit = limitFrom(query.limit);
  const after = decodeCursor(endpoint, query.page, perDay);
  await assertWorkspace(deps, workspaceId);
  const slice = sliceGrid(days, perDay, limit, after);
  const all = slice.keys.length > 0 ? await rows(deps, workspaceId, slice.days) : [];
  // The slice's days are whole days of the grid; its first and last day may be cut by the cursor and the limit.
  const offset = (slice.keys[0]?.slot ?? 0) as number;
  const data = all.slice(offset, offset + slice.keys.length) as Awaited<
    ReturnType<(typeof ANALYTICS_ENDPOINTS)[E]["rows"]>
  >;
  const last = slice.keys.at(-1);
  return {
    data,
    has_more: slice.hasMore,
    next_page: slice.hasMore && last ? encodeCursor(endpoint, last) : null,
  };
}
