// Charts of the analytics page, drawn on the server as SVG: no script (the pages' policy allows none), the
// same picture with JavaScript off. Each chart is an image with a title and a description that says what it
// shows in words (role="img" makes what it draws presentational: https://www.w3.org/TR/svg-aam-1.0/), lines
// also differ by dash so colour is not the only cue, and the numbers behind it are in a table below it.

export interface Series {
  label: string;
  color: string;
  values: readonly number[];
  /** False for distinct people per day: their sum over days would count a person once per day. */
  summable?: boolean;
}

export interface ChartProps {
  id: string;
  title: string;
  /** Day labels (YYYY-MM-DD), one per value. */
  dates: readonly string[];
  series: readonly Series[];
  kind: "lines" | "stacked";
}

const W = 640;
const H = 240;
const PAD = { left: 44, right: 12, top: 12, bottom: 28 };
const PLOT_W = W - PAD.left - PAD.right;
const PLOT_H = H - PAD.top - PAD.bottom;
const DASHES = ["", "6 3", "2 3", "10 3 2 3", "4 4"];

/** The smallest 1, 2 or 5 × 10ⁿ at or above `n` (at least 1), so the axis reads in round numbers. */
export function niceCeiling(n: number): number {
  if (n <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(n));
  for (const step of [1, 2, 5, 10]) if (step * power >= n) return step * power;
  return 10 * power;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** The chart in words: what it covers, each series' total and its busiest day. */
export function describeChart(props: ChartProps): string {
  const { dates, series } = props;
  if (dates.length === 0) return "No days in the range.";
  const span = dates.length === 1 ? dates[0] : `${dates[0]} to ${dates.at(-1)}`;
  const parts = series.map((s) => {
    const total = sum(s.values);
    if (total === 0) return `${s.label}: none`;
    const peak = Math.max(...s.values);
    const most = `most on ${dates[s.values.indexOf(peak)]} (${peak})`;
    return s.summable === false ? `${s.label}: ${most}` : `${s.label}: ${total} in all, ${most}`;
  });
  const what = props.kind === "stacked" ? "Stacked daily bars" : "Daily lines";
  return `${what}, ${span}. ${parts.join("; ")}.`;
}

export function Chart(props: ChartProps) {
  const { dates, series } = props;
  const days = Math.max(1, dates.length);
  const totals = dates.map((_, i) => sum(series.map((s) => s.values[i] ?? 0)));
  const peak =
    props.kind === "stacked" ? Math.max(0, ...totals) : Math.max(0, ...series.flatMap((s) => s.values));
  const top = niceCeiling(peak);
  const y = (v: number) => PAD.top + PLOT_H - (v / top) * PLOT_H;
  const step = PLOT_W / days;
  const x = (i: number) => PAD.left + step * (i + 0.5);
  const ticks = [0, top / 2, top];
  const labelled = [...new Set([0, Math.floor((days - 1) / 2), days - 1])].filter((i) => i < dates.length);
  const titleId = `${props.id}-title`;
  const descId = `${props.id}-desc`;
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={titleId}>{props.title}</title>
        <desc id={descId}>{describeChart(props)}</desc>
        <g class="axis">
          {ticks.map((t) => (
            <>
              <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} stroke="#e4e7eb" />
              <text x={PAD.left - 6} y={y(t) + 4} text-anchor="end" fill="#5f6670">
                {Number.isInteger(t) ? t : t.toFixed(1)}
              </text>
            </>
          ))}
          {labelled.map((i) => (
            <text
              x={x(i)}
              y={H - 8}
              text-anchor={i === 0 && days > 1 ? "start" : i === days - 1 && days > 1 ? "end" : "middle"}
              fill="#5f6670"
            >
              {dates[i]}
            </text>
          ))}
        </g>
        <g class="marks">
          {props.kind === "stacked"
            ? dates.map((_, i) => {
                let base = 0;
                const width = Math.max(1, step * 0.7);
                return series.map((s) => {
                  const v = s.values[i] ?? 0;
                  if (v === 0) return null;
                  const rect = (
                    <rect
                      x={x(i) - width / 2}
                      y={y(base + v)}
                      width={width}
                      height={y(base) - y(base + v)}
                      fill={s.color}
                    />
                  );
                  base += v;
                  return rect;
                });
              })
            : series.map((s, n) => (
                <>
                  <polyline
                    points={s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ")}
                    fill="none"
                    stroke={s.color}
                    stroke-width="2"
                    stroke-dasharray={DASHES[n % DASHES.length] || undefined}
                  />
                  {days <= 31
                    ? s.values.map((v, i) => <circle cx={x(i)} cy={y(v)} r="2.5" fill={s.color} />)
                    : null}
                </>
              ))}
        </g>
      </svg>
      <figcaption>
        <ul class="legend">
          {series.map((s, n) => (
            <li>
              <svg width="28" height="12" aria-hidden="true" focusable="false">
                {props.kind === "stacked" ? (
                  <rect x="8" y="1" width="12" height="10" fill={s.color} />
                ) : (
                  <line
                    x1="1"
                    x2="27"
                    y1="6"
                    y2="6"
                    stroke={s.color}
                    stroke-width="3"
                    stroke-dasharray={DASHES[n % DASHES.length] || undefined}
                  />
                )}
              </svg>
              {s.summable === false ? s.label : `${s.label} (${sum(s.values)})`}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}

/** The numbers behind a chart, one row per day: the chart's fallback for screen readers and for copying. */
export function ChartTable(props: ChartProps) {
  return (
    <details class="chart-data">
      <summary>Data table: {props.title}</summary>
      <div class="table">
        <table>
          <caption class="muted">{props.title}, per UTC day</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              {props.series.map((s) => (
                <th scope="col">{s.label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.dates.map((date, i) => (
              <tr>
                <th scope="row">{date}</th>
                {props.series.map((s) => (
                  <td>{s.values[i] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/** Styles of the charts, added to the page that shows them. */
// Labels are in the chart's own units, which shrink with it: a phone gets them larger, to stay readable.
export const CHART_STYLE = `figure.chart{margin:.5rem 0 0}figure.chart svg[role=img]{display:block;width:100%;height:auto;max-height:18rem}
figure.chart text{font-size:11px}@media (max-width:40rem){figure.chart text{font-size:19px}}
ul.legend{list-style:none;display:flex;flex-wrap:wrap;gap:.25rem 1rem;padding:0;margin:.25rem 0}ul.legend li{display:flex;align-items:center;gap:.3rem}
details.chart-data{margin:.25rem 0 1rem}details.chart-data summary{cursor:pointer;color:#1a56b8}
dl.totals{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.5rem;margin:1rem 0}dl.totals div{background:#f0f2f5;border-radius:6px;padding:.5rem .75rem}dl.totals dd{font-size:1.3rem;font-weight:600;margin:0}`;
