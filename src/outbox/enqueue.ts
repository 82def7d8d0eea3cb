import { eq } from "drizzle-orm";
import type { OutboundRequest } from "../clients/types";
import { preparedWrite } from "../db/prepared";
import { outbox } from "../db/schema/outbox";
import type { BatchQuery } from "../db/types";
import type { Deps, KeyedCall } from "../deps";
import { newId } from "../lib/ids";

export interface EnqueueInput {
  request: OutboundRequest;
  /** One call per key, ever: `reply:<taskId>`, `notice:<taskId>:<channel>`... */
  dedupeKey: string;
  taskId?: string;
}

interface OutboundValues extends Record<string, unknown> {
  id: string;
  dedupeKey: string;
  platform: OutboundRequest["platform"];
  operation: string;
  args: string;
  target: string | null;
  taskId: string | null;
  now: number;
}

const insertOutbound = preparedWrite((db, v: OutboundValues) =>
  db
    .insert(outbox)
    .values({
      id: v.id,
      dedupeKey: v.dedupeKey,
      platform: v.platform,
      operation: v.operation,
      args: v.args,
      target: v.target,
      taskId: v.taskId,
      status: "pending",
      availableAt: v.now,
      createdAt: v.now,
    })
    .onConflictDoNothing({ target: outbox.dedupeKey })
    .returning({ id: outbox.id }),
);

/**
 * The insert that puts one call in the outbox, for use inside `deps.database.batch([...])` next to the
 * state change that caused it (D1 has no interactive transactions: both land in one batch or neither does).
 * A second insert with the same dedupe key does nothing; its result (the inserted `{ id }`) is then empty.
 */
export function outboundQuery(deps: Pick<Deps, "database" | "clock">, input: EnqueueInput): BatchQuery {
  return insertOutbound(deps.database, {
    id: newId("out"),
    dedupeKey: input.dedupeKey,
    platform: input.request.platform,
    operation: input.request.operation,
    args: JSON.stringify(input.request.args),
    target: input.request.target ? JSON.stringify(input.request.target) : null,
    taskId: input.taskId ?? null,
    now: deps.clock.now(),
  });
}

/** Whether a batch result of `outboundQuery` inserted a row (false: the key was already there). */
export function insertedRow(result: unknown): { id: string } | undefined {
  return Array.isArray(result) ? (result[0] as { id: string } | undefined) : undefined;
}

/**
 * Queues a task's calls in one batch, with `also` (writes that must land with them, or not at all), and wakes
 * the worker when any call is new. Returns how many calls were new and the results of `also`, in order.
 */
export async function queueTaskCalls(
  deps: Deps,
  taskId: string,
  calls: readonly KeyedCall[],
  also: BatchQuery[] = [],
): Promise<{ created: number; also: unknown[] }> {
  if (calls.length === 0 && also.length === 0) return { created: 0, also: [] };
  const results = await deps.database.batch([
    ...calls.map(({ key, request }) => outboundQuery(deps, { request, dedupeKey: key, taskId })),
    ...also,
  ]);
  const created = results.slice(0, calls.length).filter((r) => insertedRow(r)).length;
  if (created > 0) deps.wakeOutbox();
  return { created, also: results.slice(calls.length) };
}

/** Stores one outbound call (idempotent on `dedupeKey`) and wakes the worker when it is new. */
export async function enqueueOutbound(
  deps: Deps,
  input: EnqueueInput,
): Promise<{ id: string; created: boolean }> {
  const [row] = (await outboundQuery(deps, input)) as { id: string }[];
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
