import { eq } from "drizzle-orm";
import { inbox } from "../db/schema/inbox";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { auditQuery } from "../governance/audit";
import { retryInboxQuery } from "./store";

/**
 * Puts a dead webhook delivery back in the queue for `actor` (the admin API and the console both call this),
 * and records who did it. The retry and its audit record land together; the update only touches a dead
 * row, so a second, concurrent retry changes nothing.
 */
export async function retryDeadDelivery(
  deps: Pick<Deps, "database" | "clock" | "wakeProcessor">,
  id: string,
  actor: string,
): Promise<void> {
  const [before] = await deps.database.db
    .select({ status: inbox.status, attempts: inbox.attempts, lastError: inbox.lastError })
    .from(inbox)
    .where(eq(inbox.id, id))
    .limit(1);
  if (before?.status !== "dead") throw new AppError("not_found", `No dead delivery ${id}.`);
  const audit = auditQuery(deps, {
    workspaceId: null,
    actor,
    action: "inbox.retry",
    target: id,
    before,
    after: { status: "pending" },
  });
  await deps.database.batch([retryInboxQuery(deps.database, id, deps.clock.now()), ...audit.queries]);
  deps.wakeProcessor();
}
