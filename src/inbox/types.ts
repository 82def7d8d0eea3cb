import type { InboxRow } from "../db/schema/inbox";
import type { BatchQuery } from "../db/types";
import type { InboundEvent } from "../ingress/events";

/** What the hub did with one delivery; `writes` land atomically with marking the row done. */
export interface StepResult {
  outcome: string;
  writes?: BatchQuery[];
}

/**
 * One stored delivery as its surface receives it: the row, the platform's own payload, parsed (what the
 * platform's dispatch and typed listeners read) and the hub's normalized view of it (what access and routing
 * read).
 */
export interface Delivery<E extends InboundEvent = InboundEvent> {
  row: InboxRow;
  payload: unknown;
  event: E;
}
