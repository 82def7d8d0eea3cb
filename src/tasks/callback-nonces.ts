import { eq, lt } from "drizzle-orm";
import { preparedWrite } from "../db/prepared";
import { taskCallbackNonces } from "../db/schema/tasks";
import type { Database } from "../db/types";

/** Nonces are kept twice as long as a timestamp stays fresh: a request with a reused nonce is rejected. */
export const callbackWindowMs = 5 * 60_000;

/** Records a callback's delivery id; false when it was seen before (a replay). */
export async function consumeNonce(database: Database, nonce: string, now: number): Promise<boolean> {
  const rows = (await recordNonce(database, { nonce, now })) as unknown[];
  return rows.length > 0;
}

const recordNonce = preparedWrite((db, v: { nonce: string; now: number }) =>
  db
    .insert(taskCallbackNonces)
    .values({ nonce: v.nonce, receivedAt: v.now })
    .onConflictDoNothing({ target: taskCallbackNonces.nonce })
    .returning({ nonce: taskCallbackNonces.nonce }),
);

/**
 * Forgets a callback's delivery id, so the same signed request can be sent again: for a callback the hub
 * failed to act on (a 5xx), which the runner retries as it was.
 */
export async function releaseNonce(database: Database, nonce: string): Promise<void> {
  await deleteNonce(database, { nonce });
}

const deleteNonce = preparedWrite((db, v: { nonce: string }) =>
  db.delete(taskCallbackNonces).where(eq(taskCallbackNonces.nonce, v.nonce)),
);

export async function sweepCallbackNonces(database: Database, now: number): Promise<void> {
  await database.db
    .delete(taskCallbackNonces)
    .where(lt(taskCallbackNonces.receivedAt, now - 2 * callbackWindowMs));
}
