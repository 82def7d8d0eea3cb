import { eq } from "drizzle-orm";
import type { OutboundRequest } from "../clients/types";
import { outbox } from "../db/schema/outbox";
import type { Deps } from "../deps";
import { newId } from "../lib/ids";

export interface EnqueueInput {
  request: OutboundRequest;
  /** One call per key, ever: `reply:<taskId>`, `notice:<taskId>:<channel>`... */
  dedupeKey: string;
  taskId?: string;
}

/**
 * The insert that puts one call in the outbox, for use inside `deps.database.batch([...])` next to the
 * state change that caused it (D1 has no interactive transactions: both land in one batch or neither does).
 * A second insert with the same dedupe key does nothing; `.returning()` is then empty.
 */
export function outboundQuery(deps: Pick<Deps, "database" | "clock">, input: EnqueueInput) {
  const now = deps.clock.now();
  return deps.database.db
    .insert(outbox)
    .values({
      id: newId("out"),
      dedupeKey: input.dedupeKey,
      platform: input.request.platform,
      operation: input.request.operation,
      args: JSON.stringify(input.request.args),
      target: input.request.target ? JSON.stringify(input.request.target) : null,
      taskId: input.taskId ?? null,
      status: "pending",
      availableAt: now,
      createdAt: now,
    })
    .onConflictDoNothing({ target: outbox.dedupeKey })
    .returning({ id: outbox.id });
}

/** Whether a batch result of `outboundQuery` inserted a row (false: the key was already there). */
export function insertedRow(result: unknown): { id: string } | undefined {
  return Array.isArray(result) ? (result[0] as { id: string } | undefined) : undefined;
}

/** Stores one outbound call (idempotent on `dedupeKey`) and wakes the worker when it is new. */
export async function enqueueOutbound(
  deps: Deps,
  input: EnqueueInput,
): Promise<{ id: string; created: boolean }> {
  const [row] = await outboundQuery(deps, input);
  if (row) {
    deps.wakeOutbox();
    return { id: row.id, created: true };
  }
  const [existing] = await deps.database.db
    .select({ id: outbox.id })
    .from(outbox)
    .where(eq(outbox.dedupeKey, input.dedupeKey))
    .limit(1);
  if (!existing) throw new Error(`outbox row ${input.dedupeKey} was neither inserted nor found`);
  return { id: existing.id, created: false };
}
