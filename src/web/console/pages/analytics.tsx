import { eq } from "drizzle-orm";
import { apiKeys } from "../../../db/schema/api-keys";
import { type DayRange, isoDate } from "../../../governance/analytics/days";
import { ANALYTICS_EXPORTS, analyticsExportNames, cloudRows } from "../../../governance/analytics/exports";
import { codeReviewRows, responseRows, usageRows } from "../../../governance/analytics/pages";
import { CHART_STYLE, Chart, type ChartProps, ChartTable } from "../analytics-charts";
import { type ConsoleApp, type ConsoleContext, consolePage, inWorkspace, needs } from "../kit";
import { lastDays, type PageRange, pageRange } from "./analytics-range";

// /analytics: the product's dashboards for owners and Codex Admins (daily users by surface, code reviews and
// their users, findings by priority, feedback by sentiment, cloud tasks and users) over a date range, and the
// data exports. Read from the same rollups as the analytics API; a session opened with an API key needs
// `analytics.read`, as the API does.

const PATH = "/analytics";

const COLORS = {
  slack: "#7b3fa0",
  github: "#1d1f23",
  linear: "#1a56b8",
  api: "#b45309",
  all: "#1a7f37",
  positive: "#1a7f37",
  negative: "#b42318",
  neutral: "#8a8f98",
  p0: "#b42318",
  p1: "#d97706",
  p2: "#1a56b8",
  p3: "#8a8f98",
};

const SURFACE_NAMES = { slack: "Slack", github: "GitHub", linear: "Linear", api: "API and web" } as const;

/** A key session sees analytics only with `analytics.read` (the bootstrap key holds every scope). */
async function sessionReadsAnalytics(c: ConsoleContext): Promise<boolean> {
  const { session } = c.var.viewer;
  if (session.provider !== "key" || session.subject === "bootstrap") return true;
  const [key] = await c.var.deps.database.db
    .select({ scopes: apiKeys.scopes })
    .from(apiKeys)
    .where(eq(apiKeys.id, session.subject))
    .limit(1);
  return key?.scopes.includes("analytics.read") ?? false;
}

async function charts(c: ConsoleContext, days: DayRange): Promise<ChartProps[]> {
  const deps = c.var.deps;
  const ws = c.var.viewer.workspaceId;
  const [usage, reviews, responses, cloud] = await Promise.all([
    usageRows(deps, ws, days),
    codeReviewRows(deps, ws, days),
    responseRows(deps, ws, days),
    cloudRows(deps, ws, days),
  ]);
  const dates = reviews.map((r) => r.date);
  const perDay = <T extends { date: string }>(rows: T[], value: (r: T) => number) => {
    const byDate = new Map<string, number>();
    for (const r of rows) byDate.set(r.date, (byDate.get(r.date) ?? 0) + value(r));
    return dates.map((d) => byDate.get(d) ?? 0);
  };
  const sentiment = (key: "positive" | "negative" | "neutral") => perDay(responses, (r) => r[key]);
  return [
    {
      id: "users",
      title: "Daily users by surface",
      kind: "lines",
      dates,
      series: [
        ...(Object.keys(SURFACE_NAMES) as (keyof typeof SURFACE_NAMES)[]).map((s) => ({
          label: SURFACE_NAMES[s],
          color: COLORS[s],
          values: perDay(
            usage.filter((u) => u.surface === s),
            (u) => u.active_users,
          ),
          summable: false,
        })),
        { label: "Any surface", color: COLORS.all, values: cloud.map((d) => d.cloud_users), summable: false },
      ],
    },
    {
      id: "reviews",
      title: "Daily code reviews and review users",
      kind: "lines",
      dates,
      series: [
        { label: "Code reviews", color: COLORS.linear, values: reviews.map((r) => r.reviews) },
        {
          label: "Review users",
          color: COLORS.slack,
          values: reviews.map((r) => r.review_users),
          summable: false,
        },
      ],
    },
    {
      id: "priority",
      title: "Code review findings by priority",
      kind: "stacked",
      dates,
      series: ([0, 1, 2, 3] as const).map((p) => ({
        label: `P${p}`,
        color: COLORS[`p${p}`],
        values: reviews.map((r) => r[`findings_p${p}`]),
      })),
    },
    {
      id: "sentiment",
      title: "Code review feedback by sentiment",
      kind: "stacked",
      dates,
      series: [
        { label: "Positive", color: COLORS.positive, values: sentiment("positive") },
        { label: "Negative", color: COLORS.negative, values: sentiment("negative") },
        { label: "Neutral", color: COLORS.neutral, values: sentiment("neutral") },
      ],
    },
    {
      id: "cloud",
      title: "Daily cloud tasks and cloud users",
      kind: "lines",
      dates,
      series: [
        { label: "Tasks asked for", color: COLORS.linear, values: cloud.map((d) => d.tasks_started) },
        { label: "Tasks completed", color: COLORS.positive, values: cloud.map((d) => d.tasks_completed) },
        { label: "Cloud users", color: COLORS.api, values: cloud.map((d) => d.cloud_users), summable: false },
      ],
    },
  ];
}

function RangeForm(props: { c: ConsoleContext; range: PageRange }) {
  const { c, range } = props;
  const workspace = c.req.query("workspace");
  const now = c.var.deps.clock.now();
  const quick = (count: number) => {
    const days = lastDays(count, now);
    return inWorkspace(c, `${PATH}?from=${isoDate(days.first)}&to=${isoDate(days.last)}`);
  };
  return (
    <>
      <form method="get" action={PATH} class="row" aria-label="Date range">
        {workspace ? <input type="hidden" name="workspace" value={workspace} /> : null}
        <label>
          From <input type="date" name="from" value={range.from} required />
        </label>
        <label>
          To <input type="date" name="to" value={range.to} required />
        </label>
        <button class="button" type="submit">
          Show
        </button>
      </form>
      <p class="row">
        <span class="muted">Or:</span>
        <a href={quick(7)}>last 7 days</a>
        <a href={quick(30)}>last 30 days</a>
        <a href={quick(90)}>last 90 days</a>
      </p>
    </>
  );
}

function Totals(props: { charts: ChartProps[] }) {
  const total = (id: string, label: string) =>
    props.charts
      .find((c) => c.id === id)!
      .series.filter((s) => s.label === label)
      .flatMap((s) => s.values)
      .reduce((a, b) => a + b, 0);
  const feedback = ["Positive", "Negative", "Neutral"].map((l) => total("sentiment", l));
  const findings = ["P0", "P1", "P2", "P3"].map((l) => total("priority", l));
  const all = feedback.reduce((a, b) => a + b, 0);
  return (
    <dl class="totals">
      <div>
        <dt>Tasks asked for</dt>
        <dd>{total("cloud", "Tasks asked for")}</dd>
      </div>
      <div>
        <dt>Code reviews</dt>
        <dd>{total("reviews", "Code reviews")}</dd>
      </div>
      <div>
        <dt>Findings posted</dt>
        <dd>{findings.reduce((a, b) => a + b, 0)}</dd>
      </div>
      <div>
        <dt>Positive feedback</dt>
        <dd>{all === 0 ? "—" : `${Math.round((feedback[0]! / all) * 100)}% of ${all}`}</dd>
      </div>
    </dl>
  );
}

function Exports(props: { c: ConsoleContext; days: DayRange }) {
  const ws = encodeURIComponent(props.c.var.viewer.workspaceId);
  const range = `start_time=${props.days.first * 86_400}&end_time=${(props.days.last + 1) * 86_400}`;
  const url = (name: string, format: string) =>
    `/api/v1/analytics/codex/workspaces/${ws}/exports/${name}?${range}&format=${format}`;
  return (
    <ul>
      {analyticsExportNames.map((name) => {
        const { title, description } = ANALYTICS_EXPORTS[name];
        return (
          <li>
            <strong>{title}</strong>: {description}{" "}
            <a href={url(name, "csv")} download aria-label={`${title}, CSV`}>
              CSV
            </a>{" "}
            ·{" "}
            <a href={url(name, "json")} download aria-label={`${title}, JSON`}>
              JSON
            </a>
          </li>
        );
      })}
    </ul>
  );
}

export function analyticsPage(app: ConsoleApp) {
  app.get(PATH, needs("codex_admin", PATH), async (c) => {
    if (!(await sessionReadsAnalytics(c))) {
      return consolePage(
        c,
        {
          title: "Not allowed",
          path: PATH,
          children: (
            <>
              <h1>Not allowed</h1>
              <p>
                This session was opened with an API key that lacks the <code>analytics.read</code> scope. Sign
                in as a workspace owner or Codex Admin, or with a key that holds it.
              </p>
            </>
          ),
        },
        403,
      );
    }
    const range = pageRange(c.req.query(), c.var.deps.clock.now());
    const all = await charts(c, range.days);
    return consolePage(c, {
      title: "Analytics",
      path: PATH,
      children: (
        <>
          <style>{CHART_STYLE}</style>
          <h1>Analytics</h1>
          <p class="muted">
            Daily figures of {c.var.viewer.workspaceName}, by UTC day, from {range.from} to {range.to}. Tasks,
            reviews and replies count as they happen; reactions to review comments are read back from GitHub
            every few minutes, so they show up to about 20 minutes late.
          </p>
          <RangeForm c={c} range={range} />
          {range.error ? (
            <p class="notice error" role="alert">
              {range.error}
            </p>
          ) : null}
          <Totals charts={all} />
          {all.map((chart) => (
            <section aria-labelledby={`${chart.id}-heading`}>
              <h2 id={`${chart.id}-heading`}>{chart.title}</h2>
              <Chart {...chart} />
              <ChartTable {...chart} />
            </section>
          ))}
          <h2 id="exports">Data export</h2>
          <p class="muted">
            The figures of this range as files, the same as the analytics API's exports (CSV for a
            spreadsheet, JSON for a script).
          </p>
          <Exports c={c} days={range.days} />
        </>
      ),
    });
  });
}
