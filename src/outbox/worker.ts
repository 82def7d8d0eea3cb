import { OutboundError } from "../clients/types";
import type { OutboxRow } from "../db/schema/outbox";
import type { BatchQuery } from "../db/types";
import type { Deps } from "../deps";
import { eraseIfDelivered } from "../governance/erasure";
import type { Logger } from "../lib/logger";
import { backoffDelay } from "./backoff";
import { eachLane, intoLanes, rateLimitScope } from "./lanes";
import {
  claimOutbox,
  claimOutboxRow,
  type Marked,
  markFailed,
  markSentQuery,
  maxOutboxAttempts,
  maxOutboxRateLimits,
  releaseOutbox,
  storedRequest,
} from "./store";

export interface DeliverOptions {
  /** Rows claimed per call. */
  limit?: number;
  /** How long a claim holds; a call still running after half of it is abandoned as timed out. */
  leaseMs?: number;
  maxAttempts?: number;
  /** Source of jitter, in [0, 1). */
  random?: () => number;
  /** Lanes of one platform under way at once (default `lanesPerPlatform`). */
  lanes?: number;
}

export interface DeliverResult {
  claimed: number;
  sent: number;
  retrying: number;
  dead: number;
}

export const defaultOutboxLeaseMs = 120_000;
/** Rows one call of `deliverDue` claims, unless told otherwise. */
export const defaultOutboxClaimLimit = 50;
/**
 * Lanes of one platform whose calls are under way at once. Enough that a slow answer holds up only its own
 * conversation; few enough that a burst does not meet the platform's rate limits all at once.
 */
export const lanesPerPlatform = 8;

/** How a claimed call is sent: its lease (a call still running after half of it times out), its budget, its jitter. */
export interface SendSettings {
  leaseMs: number;
  maxAttempts: number;
  random: () => number;
}

class CallTimeout extends Error {}

/** Races a call against a timer, so a hung connection cannot hold a row past its lease. */
async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CallTimeout(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Sends every due outbox row once: claims them with a lease, calls the platform client, and records the
 * outcome. 429s wait exactly as long as the platform asked (and hold back the other calls of the same kind
 * for the same team or installation claimed in this pass); 5xx, network errors and timeouts back off
 * exponentially with full jitter; a non-retryable error (e.g. `channel_not_found`) or an exhausted budget
 * makes the row dead, for an admin.
 */
export async function deliverDue(deps: Deps, options: DeliverOptions = {}): Promise<DeliverResult> {
  const leaseMs = options.leaseMs ?? defaultOutboxLeaseMs;
  const maxAttempts = options.maxAttempts ?? maxOutboxAttempts;
  const random = options.random ?? Math.random;
  const rows = await claimOutbox(
    deps.database,
    deps.clock.now(),
    leaseMs,
    options.limit ?? defaultOutboxClaimLimit,
  );
  const result: DeliverResult = { claimed: rows.length, sent: 0, retrying: 0, dead: 0 };

  // Calls go one after another within a lane (a conversation: src/outbox/lanes.ts), oldest first; lanes and
  // platforms go at once, a few lanes per platform at a time.
  const byPlatform = new Map<string, OutboxRow[]>();
  for (const row of rows) byPlatform.set(row.platform, [...(byPlatform.get(row.platform) ?? []), row]);
  const blocked: RateLimits = new Map();
  await Promise.all(
    [...byPlatform.values()].map((calls) =>
      eachLane(intoLanes(calls), options.lanes ?? lanesPerPlatform, async (lane) => {
        for (const row of lane)
          result[await deliverClaimed(deps, row, blocked, { leaseMs, maxAttempts, random })]++;
      }),
    ),
  );
  return result;
}

/** Until when the calls of one rate-limit scope (`rateLimitScope`: a kind of call, one account) wait. */
export type RateLimits = Map<string, number>;

/**
 * Delivers one claimed row: sends it, unless the platform rate-limited a call of the same kind for the same
 * account a moment ago (the row goes back to the queue until then instead of hitting the limit again), and
 * records the outcome.
 */
export async function deliverClaimed(
  deps: Deps,
  row: OutboxRow,
  rateLimits: RateLimits,
  options: SendSettings,
): Promise<Outcome["kind"]> {
  const scope = rateLimitScope(row);
  const blockedUntil = rateLimits.get(scope);
  if (blockedUntil !== undefined && blockedUntil > deps.clock.now()) {
    await releaseOutbox(deps.database, row, blockedUntil);
    return "retrying";
  }
  const outcome = await deliverOne(deps, row, options);
  await afterLastCall(deps, row, outcome);
  if (outcome.blockedUntil !== undefined) {
    // The dispatcher keeps its map for as long as the hub runs, and every team that ever ran into a limit
    // would stay in it: the limits that are over go whenever a new one comes in.
    const now = deps.clock.now();
    for (const [other, until] of rateLimits) if (until <= now) rateLimits.delete(other);
    rateLimits.set(scope, outcome.blockedUntil);
  }
  return outcome.kind;
}

/**
 * Sends one queued row now, from the caller, instead of waiting for the worker's next pass: for the few calls
 * a platform needs within seconds (Linear shows an agent session as unresponsive without a first activity
 * within 10 s). The row is claimed like the worker claims it, so it is never sent twice, and a failure is
 * recorded the same way, leaving the retry to the worker. Waits at most `waitMs` for the platform.
 */
export async function deliverNow(deps: Deps, rowId: string, waitMs = 5_000): Promise<"sent" | "queued"> {
  const row = await claimOutboxRow(deps.database, rowId, deps.clock.now(), defaultOutboxLeaseMs);
  if (!row) {
    deps.wakeOutbox();
    return "queued";
  }
  const attempt = deliverOne(deps, row, {
    leaseMs: defaultOutboxLeaseMs,
    maxAttempts: maxOutboxAttempts,
    random: Math.random,
  }).then(async (outcome) => {
    await afterLastCall(deps, row, outcome);
    if (outcome.kind !== "sent") deps.wakeOutbox();
    return outcome.kind === "sent" ? ("sent" as const) : ("queued" as const);
  });
  return withTimeout(attempt, waitMs).catch((error) => {
    if (error instanceof CallTimeout) return "queued" as const;
    throw error;
  });
}

interface Outcome {
  kind: "sent" | "retrying" | "dead";
  /** Until when calls of the same operation wait: the platform rate-limited this one. */
  blockedUntil?: number;
  /** What the row's mark returned of `erasureMayBeDue`: false when the lease was lost or the task keeps its text. */
  erasureMayBeDue?: boolean;
}

/**
 * A task's call was sent or given up on: under zero data retention the task's text goes once nothing of it
 * is waiting to be sent (eraseIfDelivered checks, and the row's mark said whether it is worth checking). A
 * failure here is logged: the hourly sweep erases it too.
 */
async function afterLastCall(deps: Deps, row: OutboxRow, outcome: Outcome): Promise<void> {
  if (!row.taskId || outcome.kind === "retrying" || !outcome.erasureMayBeDue) return;
  await eraseIfDelivered(deps, row.taskId, { mayBeDue: true }).catch((error: Error) =>
    deps.logger.warn({ taskId: row.taskId, error: error.message }, "zero data retention erasure failed"),
  );
}

async function deliverOne(deps: Deps, row: OutboxRow, options: SendSettings): Promise<Outcome> {
  const log = deps.logger.child({ outboxId: row.id, platform: row.platform, operation: row.operation });
  const client = deps.clients[row.platform];
  try {
    const records: BatchQuery[] = [];
    const response = await withTimeout(
      client.send(storedRequest(row), { record: (write) => records.push(write) }),
      Math.floor(options.leaseMs / 2),
    );
    const now = deps.clock.now();
    const [sent] = await deps.database.batch([markSentQuery(deps.database, row, now, response), ...records]);
    const [marked] = sent as Marked[];
    // None marked: our lease ran out and another worker took the row; the platform got the call anyway.
    if (!marked) log.warn({}, "outbox lease lost after sending");
    log.debug({ attempts: row.attempts }, "outbound call sent");
    deps.metrics.outboxSent.inc({ platform: row.platform });
    await afterSent(deps, row, response, log);
    return { kind: "sent", erasureMayBeDue: marked?.erasureMayBeDue === 1 };
  } catch (error) {
    const now = deps.clock.now();
    const failure = classify(error);
    // `attempts` already counts this one (the claim added it); rate-limited attempts are not failures.
    const rateLimits = row.rateLimited + (failure.rateLimited ? 1 : 0);
    const failures = row.attempts - rateLimits;
    const exhausted = failure.rateLimited
      ? rateLimits >= maxOutboxRateLimits
      : failures >= options.maxAttempts;
    if (!failure.retryable || exhausted) {
      const why = failure.retryable
        ? `gave up after ${row.attempts} attempts: ${failure.message}`
        : failure.message;
      const marked = await markFailed(deps.database, row, now, {
        error: why,
        retryAt: null,
        rateLimited: failure.rateLimited,
      });
      log.warn({ attempts: row.attempts, error: why }, "outbound call is dead");
      return { kind: "dead", erasureMayBeDue: marked?.erasureMayBeDue === 1 };
    }
    const delay = failure.retryAfterMs ?? backoffDelay(failures, options.random);
    const retryAt = now + delay;
    await markFailed(deps.database, row, now, {
      error: failure.message,
      retryAt,
      rateLimited: failure.rateLimited,
    });
    log.info(
      { attempts: row.attempts, retryInMs: delay, error: failure.message },
      "outbound call will be retried",
    );
    deps.metrics.outboxRetries.inc({ platform: row.platform });
    return { kind: "retrying", ...(failure.rateLimited ? { blockedUntil: retryAt } : {}) };
  }
}

/** Tells the call's surface that it landed (src/deps.ts `SurfaceAdapter.sent`); the call stays sent whatever happens. */
async function afterSent(deps: Deps, row: OutboxRow, response: unknown, log: Logger): Promise<void> {
  const surface = deps.surfaces[row.platform];
  if (!surface?.sent) return;
  try {
    await surface.sent(deps, { dedupeKey: row.dedupeKey, taskId: row.taskId, response });
  } catch (error) {
    log.warn(
      { error: (error as Error).message },
      "the step after a sent call failed; the call itself was sent",
    );
  }
}

interface Classified {
  message: string;
  retryable: boolean;
  retryAfterMs?: number;
  rateLimited: boolean;
}

function classify(error: unknown): Classified {
  if (error instanceof OutboundError) {
    return {
      message: error.message,
      retryable: error.retryable,
      retryAfterMs: error.retryAfterMs,
      rateLimited: error.retryable && error.retryAfterMs !== undefined,
    };
  }
  if (error instanceof CallTimeout)
    return { message: `timeout: ${error.message}`, retryable: true, rateLimited: false };
  // Anything else is a fault of ours or of the wire, not a refusal by the platform: worth another try.
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { message, retryable: true, rateLimited: false };
}
