import type { Deps } from "../../deps";
import { type DayRange, dayCount, isoDate } from "./days";
import { codeReviewRows, responseRows, usageRows } from "./pages";
import { readMemberDays, readWorkspaceDays } from "./reads";

// The data exports of the analytics (CSV or JSON), the five the product offers, each a daily table over a
// range of days. They read the same rollups as the API.

type D = Pick<Deps, "database">;
type Cell = string | number | null;
export type ExportRow = Record<string, Cell>;

/** Daily cloud users and tasks (every surface of the hub is Codex cloud). */
export async function cloudRows(deps: D, workspaceId: string, days: DayRange) {
  const [perDay, usage] = await Promise.all([
    readWorkspaceDays(deps, workspaceId, days),
    usageRows(deps, workspaceId, days),
  ]);
  const rows = new Map<number, { tasks_started: number; tasks_completed: number; tasks_failed: number }>();
  for (let day = days.first; day <= days.last; day++) {
    rows.set(day, { tasks_started: 0, tasks_completed: 0, tasks_failed: 0 });
  }
  for (const u of usage) {
    const day = rows.get(u.start_time / 86_400)!;
    day.tasks_started += u.tasks_started;
    day.tasks_completed += u.tasks_completed;
    day.tasks_failed += u.tasks_failed;
  }
  return [...rows].map(([day, tasks]) => ({
    date: isoDate(day),
    cloud_users: perDay.get(day)?.cloudUsers ?? 0,
    ...tasks,
  }));
}

interface ExportDefinition {
  title: string;
  description: string;
  columns: readonly string[];
  rows(deps: D, workspaceId: string, days: DayRange): Promise<ExportRow[]>;
}

const pick = (row: Record<string, unknown>, columns: readonly string[]): ExportRow =>
  Object.fromEntries(columns.map((c) => [c, (row[c] ?? null) as Cell]));

function defined<const C extends readonly string[]>(
  d: Omit<ExportDefinition, "columns" | "rows"> & {
    columns: C;
    rows(deps: D, workspaceId: string, days: DayRange): Promise<Record<string, unknown>[]>;
  },
): ExportDefinition {
  return { ...d, rows: async (...args) => (await d.rows(...args)).map((r) => pick(r, d.columns)) };
}

export const ANALYTICS_EXPORTS = {
  code_review_users: defined({
    title: "Code review users and reviews",
    description: "Daily unique users and total reviews completed in Code Review.",
    columns: ["date", "review_users", "reviews", "reviews_completed"],
    rows: codeReviewRows,
  }),
  code_review_findings: defined({
    title: "Code review findings and feedback",
    description: "Daily counts of comments, reactions, replies, and priority-level findings.",
    columns: [
      "date",
      "comments",
      "reactions",
      "replies",
      "positive",
      "negative",
      "neutral",
      "findings_p0",
      "findings_p1",
      "findings_p2",
      "findings_p3",
    ],
    async rows(deps, workspaceId, days) {
      const [reviews, responses] = await Promise.all([
        codeReviewRows(deps, workspaceId, days),
        responseRows(deps, workspaceId, days),
      ]);
      const counts = ["comments", "reactions", "replies", "positive", "negative", "neutral"] as const;
      const byDate = new Map(reviews.map((r) => [r.date, { ...r } as Record<string, unknown>]));
      for (const response of responses) {
        const day = byDate.get(response.date)!;
        for (const k of counts) day[k] = ((day[k] as number | undefined) ?? 0) + response[k];
      }
      return [...byDate.values()];
    },
  }),
  cloud_users: defined({
    title: "Cloud users and tasks",
    description: "Daily unique cloud users and tasks completed.",
    columns: ["date", "cloud_users", "tasks_started", "tasks_completed"],
    rows: cloudRows,
  }),
  cli_vscode_users: defined({
    title: "CLI and VS Code users",
    description:
      "Daily unique users for the Codex CLI and VS Code extension. Local clients never reach this hub, so these stay 0.",
    columns: ["date", "cli_users", "vscode_users"],
    async rows(_deps, _workspaceId, days) {
      return Array.from({ length: dayCount(days) }, (_, i) => ({
        date: isoDate(days.first + i),
        cli_users: 0,
        vscode_users: 0,
      }));
    },
  }),
  sessions_per_user: defined({
    title: "Sessions and messages per user",
    description:
      "Daily session starts and user message counts for each Codex user across surfaces (only members active that day).",
    columns: ["date", "member_id", "email", "sessions", "messages"],
    async rows(deps, workspaceId, days) {
      const rows = await readMemberDays(deps, workspaceId, days);
      return rows.map((r) => ({ ...r, date: isoDate(r.day), member_id: r.memberId }));
    },
  }),
} as const satisfies Record<string, ExportDefinition>;

export type AnalyticsExport = keyof typeof ANALYTICS_EXPORTS;
export const analyticsExportNames = Object.keys(ANALYTICS_EXPORTS) as AnalyticsExport[];

/** Exports cover at most a year of days. */
export const MAX_EXPORT_DAYS = 366;

/**
 * RFC 4180 CSV (CRLF, quotes doubled). A text cell that a spreadsheet would read as a formula (=, +, -, @,
 * tab, return first) is prefixed with `'`: https://owasp.org/www-community/attacks/CSV_Injection
 */
export function toCsv(columns: readonly string[], rows: readonly ExportRow[]): string {
  const cell = (value: Cell): string => {
    if (value === null) return "";
    if (typeof value === "number") return String(value);
    const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
    return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
  };
  const lines = [columns.join(","), ...rows.map((row) => columns.map((c) => cell(row[c] ?? null)).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}
