import type { Deps } from "../deps";
import { AppError } from "../errors";
import { auditQuery } from "../governance/audit";
import { getOutboxRow, type PublicOutboxRow, retryOutboxQuery } from "./store";

/**
 * Queues a dead outbound call again with a fresh retry budget for `actor` (the admin API and the console
 * both call this), and records who did it. The retry and its audit record land together; the update is
 * conditional, so a concurrent retry is harmless.
 */
export async function retryDeadCall(
  deps: Pick<Deps, "database" | "clock" | "wakeOutbox">,
  id: string,
  actor: string,
): Promise<PublicOutboxRow> {
  const before = await getOutboxRow(deps.database, id);
  if (!before) throw new AppError("not_found", `No outbound call ${id}.`);
  if (before.status !== "dead") {
    throw new AppError(
      "conflict",
      `Outbound call ${id} is ${before.status}; only dead calls can be retried.`,
    );
  }
  const audit = auditQuery(deps, {
    workspaceId: null,
    actor,
    action: "outbox.retry",
    target: id,
    before: { status: before.status, attempts: before.attempts, lastError: before.lastError },
    after: { status: "pending" },
  });
  await deps.database.batch([retryOutboxQuery(deps.database, id, deps.clock.now()), ...audit.queries]);
  deps.wakeOutbox();
  return (await getOutboxRow(deps.database, id))!;
}
