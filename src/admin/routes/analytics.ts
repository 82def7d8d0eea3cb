import { z } from "@hono/zod-openapi";
import { AppError } from "../../errors";
import { dayCount, isoDate } from "../../governance/analytics/days";
import {
  ANALYTICS_EXPORTS,
  type AnalyticsExport,
  analyticsExportNames,
  MAX_EXPORT_DAYS,
  toCsv,
} from "../../governance/analytics/exports";
import { type AnalyticsEndpoint, analyticsPage, assertWorkspace } from "../../governance/analytics/pages";
import { rangeFrom } from "../../governance/analytics/paging";
import { type AdminApp, adminRoute } from "../route-kit";
import {
  codeReviewRowSchema,
  pageOf,
  rangeQuery,
  responseRowSchema,
  usageRowSchema,
  workspacePath,
} from "./analytics-schemas";

// The analytics API (Codex Analytics API): daily usage, code reviews and responses to review comments of a
// workspace, read from the rollups (governance/analytics), and the five data exports. Readable with a key
// holding `analytics.read`, or by owners and Codex Admins signed in to the console (session-auth.ts).
// An `admin` key does not open it: analytics are given on purpose, to the people and pipelines that report.

const BASE = "/analytics/codex/workspaces/{workspace_id}";

const FRESHNESS =
  "Figures are written with the events they count, so tasks, reviews and replies show at once. Reactions are not sent by GitHub: the hub reads them back from the comments of reviews published in the last 14 days, each review at most every 15 minutes (every 5 minutes a pass), so reactions show up to about 20 minutes late, a withdrawn one leaves the figures at the next read, and reactions made later than 14 days after a review are not counted. Sandbox hubs do not read reactions.";

const pageRoute = (endpoint: AnalyticsEndpoint, summary: string, description: string, row: z.ZodType) =>
  adminRoute({
    method: "get",
    operationId: {
      usage: "getAnalyticsUsage",
      code_reviews: "getAnalyticsCodeReviews",
      code_review_responses: "getAnalyticsCodeReviewResponses",
    }[endpoint],
    tags: ["Analytics"],
    path: `${BASE}/${endpoint}`,
    summary,
    description: `${description}\n\n${FRESHNESS}`,
    scope: "analytics.read",
    request: { params: workspacePath, query: rangeQuery },
    responses: {
      200: {
        description: "A page of daily rows, oldest first",
        content: { "application/json": { schema: pageOf(endpoint, row) } },
      },
    },
  });

const usageRoute = pageRoute(
  "usage",
  "Daily usage per surface",
  "One row per UTC day and surface (`slack`, `github`, `linear`, `api`; `local` is reserved: the Codex CLI and IDE never reach the hub): members active (who asked for a task or a review there that day), tasks started (asked for that day) and ended that day by outcome, reviews started, and what the executor ran: runs ended that day, their run time, and the tokens where the executor reported them (`null` when no run of the row reported any). A day without activity is a row of zeros.",
  usageRowSchema,
);

const codeReviewsRoute = pageRoute(
  "code_reviews",
  "Daily code reviews",
  "One row per UTC day: reviews started (automatic, from a pull request event, or requested with `@codex review`), the members they were for, reviews that ended that day by outcome, and the findings they posted by priority (P0 to P3; findings below the repository's threshold are not posted, so not counted).",
  codeReviewRowSchema,
);

const responsesRoute = pageRoute(
  "code_review_responses",
  "Daily responses to review comments, per priority",
  "One row per UTC day and finding priority (P0 to P3): review comments posted, and the reactions and replies people left on them, by sentiment. A reaction is positive (`+1`, `heart`, `hooray`, `rocket`), negative (`-1`, `confused`) or neutral (`laugh`, `eyes`). A reply, read without its quoted lines and code, is negative when it says the finding is wrong (false positive, not a bug/issue/problem, wrong, incorrect, invalid, not relevant/valid/needed, does not apply, won't fix, disagree, nope, 👎), else positive when it thanks or accepts (thanks, good/nice/great catch, good point, fixed, will fix, addressed, done, agree, you're right, makes sense, LGTM, 👍), else neutral. A reaction counts on the day it was made, a reply on the day it arrived.",
  responseRowSchema,
);

const exportNames = analyticsExportNames as [AnalyticsExport, ...AnalyticsExport[]];

const exportRoute = adminRoute({
  method: "get",
  operationId: "exportAnalytics",
  tags: ["Analytics"],
  path: `${BASE}/exports/{export}`,
  summary: "Download a data export (CSV or JSON)",
  description: `The product's five exports, one row per UTC day (per member for \`sessions_per_user\`), over at most ${MAX_EXPORT_DAYS} days:\n\n${exportNames.map((name) => `- \`${name}\`: ${ANALYTICS_EXPORTS[name].title}. ${ANALYTICS_EXPORTS[name].description} Columns: ${ANALYTICS_EXPORTS[name].columns.join(", ")}.`).join("\n")}\n\nCSV is RFC 4180 with a header line; JSON is \`{ "export", "start_time", "end_time", "columns", "data" }\`. Both are sent as attachments.`,
  scope: "analytics.read",
  request: {
    params: workspacePath.extend({
      export: z.enum(exportNames).openapi({ param: { name: "export", in: "path" }, example: "cloud_users" }),
    }),
    query: z.object({
      start_time: rangeQuery.shape.start_time,
      end_time: rangeQuery.shape.end_time,
      format: z
        .enum(["csv", "json"])
        .default("csv")
        .openapi({ description: "File format (default `csv`)", example: "csv" }),
    }),
  },
  responses: {
    200: {
      description: "The export as a file",
      content: {
        "text/csv": {
          schema: z
            .string()
            .openapi({ example: "date,cloud_users,tasks_started,tasks_completed\r\n2025-03-01,4,9,7\r\n" }),
        },
        "application/json": {
          schema: z
            .object({
              export: z.enum(exportNames),
              start_time: z.number().int(),
              end_time: z.number().int(),
              columns: z.array(z.string()),
              data: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.null()]))),
            })
            .openapi("AnalyticsExport", {
              example: {
                export: "cloud_users",
                start_time: 1740787200,
                end_time: 1740873600,
                columns: ["date", "cloud_users", "tasks_started", "tasks_completed"],
                data: [{ date: "2025-03-01", cloud_users: 4, tasks_started: 9, tasks_completed: 7 }],
              },
            }),
        },
      },
    },
  },
});

export function analyticsApi(app: AdminApp) {
  for (const [endpoint, route] of [
    ["usage", usageRoute],
    ["code_reviews", codeReviewsRoute],
    ["code_review_responses", responsesRoute],
  ] as const) {
    app.openapi(route, async (c) => {
      const { workspace_id: workspaceId } = c.req.valid("param");
      return c.json(await analyticsPage(c.var.deps, endpoint, workspaceId, c.req.valid("query")), 200);
    });
  }

  app.openapi(exportRoute, async (c) => {
    const { workspace_id: workspaceId, export: name } = c.req.valid("param");
    const { format } = c.req.valid("query");
    const deps = c.var.deps;
    const range = rangeFrom(c.req.query(), deps.clock.now());
    if (dayCount(range.days) > MAX_EXPORT_DAYS) {
      throw new AppError(
        "bad_request",
        `An export covers at most ${MAX_EXPORT_DAYS} days; ask for a shorter range.`,
        { parameter: "start_time" },
      );
    }
    await assertWorkspace(deps, workspaceId);
    const definition = ANALYTICS_EXPORTS[name];
    const data = await definition.rows(deps, workspaceId, range.days);
    const span = `${isoDate(range.days.first)}_${isoDate(Math.max(range.days.first, range.days.last))}`;
    const file = `codex-${name}-${workspaceId.replace(/[^\w-]/g, "_")}-${span}.${format}`;
    c.header("Content-Disposition", `attachment; filename="${file}"`);
    c.header("Cache-Control", "no-store");
    if (format === "json") {
      const body = {
        export: name,
        start_time: range.days.first * 86_400,
        end_time: (range.days.last + 1) * 86_400,
        columns: [...definition.columns],
        data,
      };
      return c.json(body, 200);
    }
    return c.body(toCsv(definition.columns, data), 200, { "content-type": "text/csv; charset=utf-8" });
  });
}
