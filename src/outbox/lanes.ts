import type { OutboxRow } from "../db/schema/outbox";

/**
 * Which calls must keep the order they were queued in: those that land in the same conversation. A Slack
 * channel (a thread's replies, the edits of a status message, the reactions on a mention), a GitHub pull
 * request or issue, a Linear agent session or issue. Calls in different lanes have nothing to wait for, and
 * one at a time for a whole platform would cap the hub at a few calls a second (a Slack call takes 100-300
 * ms), with every team's replies queued behind every other team's. A call whose conversation is not known
 * shares the lane of everything else of its workspace or installation, as before lanes.
 */
export function laneOf(row: Pick<OutboxRow, "platform" | "target" | "args">): string {
  const args = parseObject(row.args);
  const target = parseObject(row.target);
  switch (row.platform) {
    case "slack":
      return `slack:${text(target.enterpriseId)}:${text(target.teamId)}:${text(args.channel)}`;
    case "github":
      return `github:${text(target.repository)}:${text(args.pull_number ?? args.issue_number)}`;
    case "linear": {
      const input = parseObject(args.input);
      const conversation =
        args.agentSessionId ?? args.issueId ?? args.id ?? input.agentSessionId ?? input.issueId;
      return `linear:${text(target.organizationId)}:${text(conversation)}`;
    }
  }
}

/**
 * Which calls one 429 holds back: calls of the same kind made as the same account, which is what each
 * platform limits. Slack limits each method per workspace (team), GitHub each installation, Linear each
 * organization's token; a limit one team ran into says nothing about another team's calls.
 */
export function rateLimitScope(row: Pick<OutboxRow, "platform" | "operation" | "target">): string {
  const target = parseObject(row.target);
  const account =
    row.platform === "slack"
      ? `${text(target.enterpriseId)}:${text(target.teamId)}`
      : row.platform === "github"
        ? text(target.installationId)
        : text(target.organizationId);
  return `${row.platform} ${account} ${row.operation}`;
}

/**
 * The claimed calls of one platform in lanes, each lane oldest first (the claim's order), the lanes in the
 * order of their oldest call.
 */
export function intoLanes(rows: readonly OutboxRow[]): OutboxRow[][] {
  const lanes = new Map<string, OutboxRow[]>();
  for (const row of rows) addToLane(lanes, row);
  return [...lanes.values()];
}

/** Puts `row` at the end of its lane in `lanes` (keyed by `laneOf`). */
export function addToLane(lanes: Map<string, OutboxRow[]>, row: OutboxRow): void {
  const key = laneOf(row);
  const lane = lanes.get(key);
  if (lane) lane.push(row);
  else lanes.set(key, [row]);
}

/** Runs `run` on every lane, at most `width` lanes at once; a lane's calls stay one after another inside `run`. */
export async function eachLane<T>(
  lanes: readonly T[],
  width: number,
  run: (lane: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const runner = async () => {
    while (next < lanes.length) await run(lanes[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(width, lanes.length) }, runner));
}

function parseObject(value: unknown): Record<string, unknown> {
  if (typeof value === "string") {
    try {
      return parseObject(JSON.parse(value));
    } catch {
      return {};
    }
  }
  return value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
}

const text = (value: unknown) =>
  typeof value === "string" || typeof value === "number" ? String(value) : "";
