import type { AnalyticsSurface } from "../../db/schema/analytics";
import { daySeconds, isoDate } from "./days";
import type { FindingsDailyRow, UsageDailyRow, WorkspaceDailyRow } from "./reads";

// The rows the analytics API answers with, one per day (and surface or priority), built from the rollups. A
// day without activity is a row of zeros: every range has a fixed set of rows, so a chart has no gaps and
// paging walks a grid that writes never change (paging.ts).

/** Surfaces with rows: `local` is reserved (local clients never reach the hub), so it has none. */
export const SERVED_SURFACES = [
  "slack",
  "github",
  "linear",
  "api",
] as const satisfies readonly AnalyticsSurface[];
export const PRIORITIES = [0, 1, 2, 3] as const;

const dayFields = (day: number) => ({ date: isoDate(day), ...daySeconds(day) });

export function usageRow(day: number, surface: AnalyticsSurface, r: UsageDailyRow | undefined) {
  const reported = r?.runsWithUsage ?? 0;
  // Tokens only where an executor reported them: null says "not reported", unlike a reported 0.
  const tokens = (n: number | undefined) => (reported > 0 ? (n ?? 0) : null);
  return {
    ...dayFields(day),
    surface,
    active_users: r?.activeUsers ?? 0,
    tasks_started: r?.tasksStarted ?? 0,
    tasks_completed: r?.tasksCompleted ?? 0,
    tasks_failed: r?.tasksFailed ?? 0,
    tasks_cancelled: r?.tasksCancelled ?? 0,
    reviews_started: r?.reviewsStarted ?? 0,
    runs_finished: r?.runsFinished ?? 0,
    run_duration_ms: r?.runDurationMs ?? 0,
    runs_with_usage: reported,
    input_tokens: tokens(r?.inputTokens),
    cached_input_tokens: tokens(r?.cachedInputTokens),
    output_tokens: tokens(r?.outputTokens),
  };
}
export type UsageRow = ReturnType<typeof usageRow>;

export function codeReviewRow(
  day: number,
  w: WorkspaceDailyRow | undefined,
  findings: (priority: number) => FindingsDailyRow | undefined,
) {
  const published = w?.reviewsPublished ?? 0;
  const clean = w?.reviewsClean ?? 0;
  return {
    ...dayFields(day),
    reviews: w?.reviews ?? 0,
    automatic_reviews: w?.automaticReviews ?? 0,
    requested_reviews: w?.requestedReviews ?? 0,
    review_users: w?.reviewUsers ?? 0,
    reviews_completed: published + clean,
    reviews_with_findings: published,
    reviews_clean: clean,
    reviews_failed: w?.reviewsFailed ?? 0,
    reviews_cancelled: w?.reviewsCancelled ?? 0,
    findings_p0: findings(0)?.findings ?? 0,
    findings_p1: findings(1)?.findings ?? 0,
    findings_p2: findings(2)?.findings ?? 0,
    findings_p3: findings(3)?.findings ?? 0,
  };
}
export type CodeReviewRow = ReturnType<typeof codeReviewRow>;

export function responseRow(day: number, priority: number, r: FindingsDailyRow | undefined) {
  const reactions = {
    positive: r?.reactionsPositive ?? 0,
    negative: r?.reactionsNegative ?? 0,
    neutral: r?.reactionsNeutral ?? 0,
  };
  const replies = {
    positive: r?.repliesPositive ?? 0,
    negative: r?.repliesNegative ?? 0,
    neutral: r?.repliesNeutral ?? 0,
  };
  return {
    ...dayFields(day),
    priority: `P${priority}`,
    comments: r?.comments ?? 0,
    reactions: reactions.positive + reactions.negative + reactions.neutral,
    replies: replies.positive + replies.negative + replies.neutral,
    positive: reactions.positive + replies.positive,
    negative: reactions.negative + replies.negative,
    neutral: reactions.neutral + replies.neutral,
    reactions_positive: reactions.positive,
    reactions_negative: reactions.negative,
    reactions_neutral: reactions.neutral,
    replies_positive: replies.positive,
    replies_negative: replies.negative,
    replies_neutral: replies.neutral,
  };
}
export type ResponseRow = ReturnType<typeof responseRow>;
