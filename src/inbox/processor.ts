import type { InboxRow } from "../db/schema/inbox";
import type { BatchQuery } from "../db/types";
import type { Deps, StepScope } from "../deps";
import type { Platform } from "../ingress/events";
import type { IngressPort } from "../ingress/port";
import { storedPayload } from "./payload-codec";
import { claimInbox, completeInboxQuery, failInbox, markInboxDead, sweepInbox } from "./store";
import type { Delivery, StepResult } from "./types";

export type { StepResult };

/** A processed row: the writes that finish it, what it did, and what to wake once those are committed. */
interface Finished {
  row: InboxRow;
  writes: BatchQuery[];
  outcome: string;
  afterCommit: (() => void)[];
}

/**
 * What the processor does with each stored delivery: by default, hand it to its platform's surface
 * (`deps.surfaces`). Steps must be idempotent per row id: a crash between the step's side effects and the
 * row's completion makes the step run again (at-least-once delivery, exactly-once effects).
 */
export type PipelineStep = (deps: Deps, delivery: Delivery) => Promise<StepResult>;

/** Each delivery to the surface of its platform. */
export const toSurface: PipelineStep = (deps, delivery) =>
  deps.surfaces[delivery.event.platform].receive(deps, delivery);

export interface ProcessorOptions {
  ports: Record<Platform, IngressPort>;
  /** Default: `toSurface`. */
  step?: PipelineStep;
  /** Rows claimed per tick; they run concurrently. */
  batchSize?: number;
}

export function createProcessor(deps: Deps, options: ProcessorOptions) {
  const batchSize = options.batchSize ?? 32;
  const step = options.step ?? toSurface;
  const log = deps.logger.child({ component: "processor" });

  /** Runs the step for one row; returns the writes that finish it (its effects plus the completion). */
  async function processRow(row: InboxRow): Promise<Finished | null> {
    const rowLog = log.child({
      deliveryId: row.deliveryKey,
      platform: row.platform,
      eventType: row.eventType,
    });
    let read: ReturnType<typeof readRow>;
    try {
      read = readRow(options.ports[row.platform], row);
    } catch (error) {
      // The stored bytes are not the event they claim to be (ingress acknowledged GitHub's signed body
      // without parsing it): retrying the same bytes fails the same way, so the row goes dead at once, with
      // the reason, for an admin to see and retry once the hub reads such payloads.
      const reason = unreadable(row, error);
      await markInboxDead(deps.database, row, deps.clock.now(), reason);
      deps.metrics.processed.inc({ platform: row.platform, result: "invalid" });
      rowLog.warn({ reason }, "delivery does not parse");
      return null;
    }
    const { payload, event, body } = read;
    try {
      const scope: StepScope = { writes: [], afterCommit: [], snapshots: new Map() };
      const result: StepResult = event
        ? await step({ ...deps, inboxRowId: row.id, stepScope: scope }, { row, payload: body, event })
        : { outcome: payload ? "ignored: nothing for the hub to do" : "ignored: payload no longer kept" };
      const done = completeInboxQuery(
        deps.database,
        row,
        deps.clock.now(),
        event ? JSON.stringify(event) : null,
        result.outcome,
      );
      return {
        row,
        writes: [...scope.writes, ...(result.writes ?? []), done],
        outcome: result.outcome,
        afterCommit: scope.afterCommit,
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await failInbox(deps.database, row, deps.clock.now(), message);
      deps.metrics.processed.inc({ platform: row.platform, result: "failed" });
      rowLog.warn({ attempt: row.attempts, error: message }, "processing failed");
      return null;
    }
  }

  /**
   * Claims and processes one batch; returns how many rows it took. The finished rows are committed
   * together, so a busy inbox pays one commit (one fsync) per batch rather than several per row. If that
   * shared commit fails, each row is committed on its own so one bad row cannot hold back the others; a row
   * whose own commit fails is processed once more before it waits for a retry, since the usual cause is a
   * row of the same claim that started the same task first (the second step then finds that task).
   */
  async function tick(): Promise<number> {
    const rows = await claimInbox(deps.database, deps.clock.now(), deps.config.inbox.leaseMs, batchSize);
    const finished = (await Promise.all(rows.map(processRow))).filter((f) => f !== null);
    let committed = finished;
    try {
      await deps.database.batch(finished.flatMap((f) => f.writes));
    } catch {
      committed = [];
      for (const f of finished) {
        const landed = await commitAlone(f);
        if (landed) committed.push(landed);
      }
    }
    for (const f of committed) {
      for (const wake of f.afterCommit) wake();
      deps.metrics.processed.inc({ platform: f.row.platform, result: "done" });
      log.info(
        {
          deliveryId: f.row.deliveryKey,
          platform: f.row.platform,
          eventType: f.row.eventType,
          outcome: f.outcome,
        },
        "processed",
      );
    }
    return rows.length;
  }

  async function commitAlone(f: Finished): Promise<Finished | null> {
    try {
      await deps.database.batch(f.writes);
      return f;
    } catch {
      const again = await processRow(f.row);
      if (!again) return null;
      try {
        await deps.database.batch(again.writes);
        return again;
      } catch (error) {
        await failInbox(deps.database, f.row, deps.clock.now(), (error as Error).message);
        deps.metrics.processed.inc({ platform: f.row.platform, result: "failed" });
        return null;
      }
    }
  }

  /** Processes until nothing is due (tests and the demo use this to wait for quiet). */
  async function drain(): Promise<number> {
    let total = 0;
    for (let n = await tick(); n > 0; n = await tick()) total += n;
    return total;
  }

  return {
    tick,
    /** The most rows one tick claims: a tick that took fewer left nothing due behind it. */
    batchSize,
    drain,
    sweep: () => sweepInbox(deps.database, deps.clock.now(), deps.config.inbox.retentionDays),
  };
}

export type Processor = ReturnType<typeof createProcessor>;

function readRow(port: IngressPort, row: InboxRow) {
  const payload = storedPayload(row);
  if (!payload) return { payload, event: null, body: null };
  const { event, body } = port.normalize({ eventType: row.eventType, deliveryKey: row.deliveryKey, payload });
  return { payload, event, body };
}

/** Why a stored body cannot be read as its event; a schema failure names its first offending fields. */
function unreadable(row: InboxRow, error: unknown): string {
  const issues = (error as { issues?: { path: PropertyKey[]; message: string }[] }).issues;
  if (Array.isArray(issues)) {
    const name = row.eventType.split(".")[0];
    const listed = issues
      .slice(0, 5)
      .map((i) => `${i.path.map(String).join(".") || "(body)"}: ${i.message}`)
      .join("; ");
    return `The ${name} payload does not have the expected shape: ${listed}`;
  }
  return error instanceof Error ? error.message : String(error);
}
