/**
 * A strict reader of the Prometheus text format (version 0.0.4), enough for the tests' assertions: families
 * with their HELP and TYPE, and every sample with its labels. A line it cannot read fails the test.
 * https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const sampleLine = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/;
const labelPair = /\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*(?:,|$)/y;
const suffixes = { histogram: ["_bucket", "_sum", "_count"], summary: ["_sum", "_count"] } as const;

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  labelPair.lastIndex = 0;
  while (labelPair.lastIndex < text.length) {
    const at = labelPair.lastIndex;
    const match = labelPair.exec(text);
    if (!match || labelPair.lastIndex === at) throw new Error(`unreadable labels in: ${line}`);
    labels[match[1]!] = match[2]!.replace(/\\(.)/g, (_, ch: string) => (ch === "n" ? "\n" : ch));
  }
  return labels;
}

/** As Prometheus reads values (Go's ParseFloat): NaN and Inf in any case, which is how prom-client writes NaN. */
function parseValue(text: string, line: string): number {
  if (/^nan$/i.test(text)) return Number.NaN;
  if (/^[+]?inf$/i.test(text)) return Number.POSITIVE_INFINITY;
  if (/^-inf$/i.test(text)) return Number.NEGATIVE_INFINITY;
  const value = Number(text);
  if (Number.isNaN(value)) throw new Error(`unreadable value in: ${line}`);
  return value;
}

export function parseScrape(text: string) {
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  const samples: (Sample & { family: string })[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line);
    if (meta) {
      (meta[1] === "TYPE" ? types : help).set(meta[2]!, meta[3]!);
      continue;
    }
    if (line.startsWith("#")) continue;
    const match = sampleLine.exec(line);
    if (!match) throw new Error(`unreadable sample line: ${line}`);
    const name = match[1]!;
    const family =
      [...types].find(([base, type]) =>
        (suffixes[type as keyof typeof suffixes] ?? []).some((suffix) => name === `${base}${suffix}`),
      )?.[0] ?? name;
    if (!types.has(family)) throw new Error(`sample without a TYPE: ${line}`);
    samples.push({
      family,
      name,
      labels: parseLabels(match[2] ?? "", line),
      value: parseValue(match[3]!, line),
    });
  }
  const matching = (name: string, labels: Record<string, string>) =>
    samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  return {
    samples,
    /** The family's TYPE line (counter, gauge, histogram...). */
    type: (family: string) => types.get(family),
    help: (family: string) => help.get(family),
    /** The sum of the matching samples (a sample's other labels do not matter); 0 when there are none. */
    value: (name: string, labels: Record<string, string> = {}) =>
      matching(name, labels).reduce((sum, s) => sum + s.value, 0),
    /** How many observations the matching series of a histogram hold. */
    count: (histogram: string, labels: Record<string, string> = {}) =>
      matching(`${histogram}_count`, labels).reduce((sum, s) => sum + s.value, 0),
    /** Every value the family's samples carry for `label`. */
    labelValues: (family: string, label: string) => [
      ...new Set(
        samples.filter((s) => s.family === family && label in s.labels).map((s) => s.labels[label]!),
      ),
    ],
  };
}
