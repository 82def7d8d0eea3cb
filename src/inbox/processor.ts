import type { InboxRow } from "../db/schema/inbox";
import type { BatchQuery } from "../db/types";
import type { Deps } from "../deps";
import type { InboundEvent, Platform } from "../ingress/events";
import type { IngressPort } from "../ingress/port";
import { claimInbox, completeInboxQuery, failInbox, sweepInbox } from "./store";

/** What the pipeline did with one event; `writes` land atomically with marking the row done. */
export interface StepResult {
  outcome: string;
  writes?: BatchQuery[];
}

/**
 * One pipeline step per inbox row. Steps must be idempotent per row id: a crash between the step's side
 * effects and the row's completion makes the step run again (at-least-once delivery, exactly-once effects).
 */
export type PipelineStep = (deps: Deps, event: InboundEvent, row: InboxRow) => Promise<StepResult>;

/** The step of the bare foundation: the event is normalized and recorded, nothing more. */
export const recordOnly: PipelineStep = async (_deps, event) => ({ outcome: `recorded ${event.platform} ${event.kind}` });

export interface ProcessorOptions {
  ports: Record<Platform, IngressPort>;
  step: PipelineStep;
  /** Rows claimed per tick; they run concurrently. */
  batchSize?: number;
}

export function createProcessor(deps: Deps, options: ProcessorOptions) {
  const batchSize = options.batchSize ?? 8;
  const log = deps.logger.child({ component: "processor" });

  async function processRow(row: InboxRow): Promise<void> {
    const now = () => deps.clock.now();
    const rowLog = log.child({ deliveryId: row.deliveryKey, platform: row.platform, eventType: row.eventType });
    try {
      const port = options.ports[row.platform];
      const event = row.payload
        ? port.normalize({ eventType: row.eventType, deliveryKey: row.deliveryKey, payload: row.payload })
        : null;
      const result: StepResult = event
        ? await options.step(deps, event, row)
        : { outcome: row.payload ? "ignored: nothing for the hub to do" : "ignored: payload no longer kept" };
      await deps.database.batch([
        ...(result.writes ?? []),
        completeInboxQuery(deps.database, row, now(), event ? JSON.stringify(event) : null, result.outcome),
      ]);
      deps.metrics.processed.inc({ platform: row.platform, result: "done" });
      rowLog.info({ outcome: result.outcome }, "processed");
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await failInbox(deps.database, row, now(), message);
      deps.metrics.processed.inc({ platform: row.platform, result: "failed" });
      rowLog.warn({ attempt: row.attempts, error: message }, "processing failed");
    }
  }

  /** Claims and processes one batch; returns how many rows it took. */
  async function tick(): Promise<number> {
    const rows = await claimInbox(deps.database, deps.clock.now(), deps.config.inbox.leaseMs, batchSize);
    await Promise.all(rows.map(processRow));
    return rows.length;
  }

  /** Processes until nothing is due (tests and the demo use this to wait for quiet). */
  async function drain(): Promise<number> {
    let total = 0;
    for (let n = await tick(); n > 0; n = await tick()) total += n;
    return total;
  }

  return { tick, drain, sweep: () => sweepInbox(deps.database, deps.clock.now(), deps.config.inbox.retentionDays) };
}

export type Processor = ReturnType<typeof createProcessor>;
