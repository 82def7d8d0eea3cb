import { z } from "@hono/zod-openapi";
import { analyticsSurfaces } from "../../db/schema/analytics";
import { DEFAULT_LIMIT, MAX_LIMIT } from "../../governance/analytics/paging";

// The analytics API's request and response shapes, as the OpenAPI document shows them (with examples). The
// query is validated by governance/analytics/paging.ts, so a bad value is a 400 that names the parameter.

export const workspacePath = z.object({
  workspace_id: z
    .string()
    .min(1)
    .openapi({ description: "The workspace (`GET /workspaces` lists them)", example: "ws_local" }),
});

const time = (which: string, example: string) =>
  z
    .string()
    .optional()
    .openapi({
      description: `${which}: an RFC 3339 time (\`2025-03-01T00:00:00Z\`, \`2025-03-01T09:30:00+02:00\`, or a date, \`2025-03-01\`, meaning its 00:00:00Z) or Unix seconds. The range [start_time, end_time) holds the UTC days that start inside it: start_time inclusive, end_time exclusive.`,
      example,
    });

export const rangeQuery = z.object({
  start_time: time("Start of the range (default: 30 days before end_time)", "2025-03-01T00:00:00Z"),
  end_time: time("End of the range (default: now)", "2025-04-01T00:00:00Z"),
  // Documented as the integer it must be; read as text so that a bad value gets the 400 that names it.
  limit: z
    .string()
    .optional()
    .openapi({
      type: "integer",
      minimum: 1,
      maximum: MAX_LIMIT,
      default: DEFAULT_LIMIT,
      description: `Rows per page, 1 to ${MAX_LIMIT} (default ${DEFAULT_LIMIT})`,
      example: 100,
    } as never),
  page: z.string().optional().openapi({
    description:
      "The `next_page` of the previous answer, to continue after its last row (with the same start_time and end_time)",
    example: "dXNhZ2UuMjAxNDguMw",
  }),
});

const day = {
  date: z.string().openapi({ description: "The UTC day", example: "2025-03-01" }),
  start_time: z.number().int().openapi({ description: "Its start, Unix seconds", example: 1740787200 }),
  end_time: z
    .number()
    .int()
    .openapi({ description: "Its end (exclusive), Unix seconds", example: 1740873600 }),
};

const n = (description: string, example: number) => z.number().int().openapi({ description, example });
const tokens = (description: string, example: number) =>
  z
    .number()
    .int()
    .nullable()
    .openapi({ description: `${description}; null when no run reported usage`, example });

export const usageRowSchema = z
  .object({
    ...day,
    surface: z
      .enum(analyticsSurfaces)
      .openapi({ description: "Where the requests came from", example: "slack" }),
    active_users: n("Members who asked for a task or a review there that day", 12),
    tasks_started: n("Tasks asked for that day (reviews not included)", 30),
    tasks_completed: n("Tasks that completed that day", 26),
    tasks_failed: n("Tasks that failed that day", 2),
    tasks_cancelled: n("Tasks cancelled that day", 1),
    reviews_started: n("Code reviews asked for that day", 0),
    runs_finished: n("Tasks and reviews that ran and ended that day", 28),
    run_duration_ms: n("Their run time, start to end, summed", 5_400_000),
    runs_with_usage: n("Of those, the runs whose executor reported token usage", 20),
    input_tokens: tokens("Input tokens the executor reported", 1_250_000),
    cached_input_tokens: tokens("Of which cached", 900_000),
    output_tokens: tokens("Output tokens the executor reported", 84_000),
  })
  .openapi("AnalyticsUsageRow");

export const codeReviewRowSchema = z
  .object({
    ...day,
    reviews: n("Reviews started that day", 18),
    automatic_reviews: n("Started by a pull request event (opened, ready for review, ...)", 15),
    requested_reviews: n("Asked for with `@codex review`", 3),
    review_users: n("Members the reviews were for (authors, or who asked)", 9),
    reviews_completed: n("Reviews that ended that day with a result (with findings or clean)", 17),
    reviews_with_findings: n("Of those, posted as a review with findings", 11),
    reviews_clean: n("Of those, nothing to report (a 👍)", 6),
    reviews_failed: n("Reviews that failed that day", 1),
    reviews_cancelled: n("Reviews cancelled or superseded by a newer commit that day", 0),
    findings_p0: n("P0 findings posted by the reviews that ended that day", 1),
    findings_p1: n("P1 findings posted", 9),
    findings_p2: n("P2 findings posted", 4),
    findings_p3: n("P3 findings posted", 0),
  })
  .openapi("AnalyticsCodeReviewRow");

export const responseRowSchema = z
  .object({
    ...day,
    priority: z
      .enum(["P0", "P1", "P2", "P3"])
      .openapi({ description: "The findings' priority", example: "P1" }),
    comments: n("Review comments (inline findings) posted that day", 9),
    reactions: n("Reactions to review comments made that day", 7),
    replies: n("Replies to review comments that day", 3),
    positive: n("Positive reactions and replies", 7),
    negative: n("Negative reactions and replies", 2),
    neutral: n("Neutral reactions and replies", 1),
    reactions_positive: n("👍 ❤️ 🎉 🚀", 6),
    reactions_negative: n("👎 😕", 1),
    reactions_neutral: n("😄 👀", 0),
    replies_positive: n("Replies that thank or accept", 1),
    replies_negative: n("Replies that say the finding is wrong", 1),
    replies_neutral: n("Other replies (questions, discussion)", 1),
  })
  .openapi("AnalyticsResponseRow");

const cursors = {
  usage: "dXNhZ2UuMjAxNDguMw",
  code_reviews: "Y29kZV9yZXZpZXdzLjIwMTQ4LjA",
  code_review_responses: "Y29kZV9yZXZpZXdfcmVzcG9uc2VzLjIwMTQ4LjM",
};

/** `{ data, has_more, next_page }` of `row`. */
export const pageOf = (endpoint: keyof typeof cursors, row: z.ZodType) =>
  z.object({
    data: z.array(row),
    has_more: z.boolean().openapi({ description: "Whether more rows follow in the range", example: true }),
    next_page: z.string().nullable().openapi({
      description: "Send it back as `page` for the next rows; null on the last page",
      example: cursors[endpoint],
    }),
  });
