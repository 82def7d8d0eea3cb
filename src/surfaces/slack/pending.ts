import { and, eq, gte, isNull, lt, or } from "drizzle-orm";
import { type SlackPendingRow, slackPending } from "../../db/schema/slack";
import type { Deps } from "../../deps";
import { newId } from "../../lib/ids";

// Requests waiting for their requester's button press (environment picker, confirmation). A press resolves
// one at most once: a conditional UPDATE decides, so a double click or two hub processes cannot both win.

/** Slack's response URLs live 30 minutes; a button older than that could not be answered anyway. */
export const PENDING_TTL_MS = 30 * 60_000;

export async function createPending(
  deps: Pick<Deps, "database" | "clock">,
  input: {
    workspaceId: string;
    kind: SlackPendingRow["kind"];
    teamId: string;
    userId: string;
    payload: unknown;
  },
): Promise<string> {
  const id = newId("slp");
  const now = deps.clock.now();
  await deps.database.db.insert(slackPending).values({
    id,
    workspaceId: input.workspaceId,
    kind: input.kind,
    teamId: input.teamId,
    userId: input.userId,
    payload: JSON.stringify(input.payload),
    createdAt: now,
    expiresAt: now + PENDING_TTL_MS,
  });
  // Old requests nobody answered: cleared as new ones arrive, so the table stays small without a sweeper.
  await deps.database.db.delete(slackPending).where(lt(slackPending.expiresAt, now - PENDING_TTL_MS));
  return id;
}

export async function getPending(deps: Pick<Deps, "database">, id: string): Promise<SlackPendingRow | null> {
  const [row] = await deps.database.db.select().from(slackPending).where(eq(slackPending.id, id)).limit(1);
  return row ?? null;
}

export type Claim =
  | { ok: true; row: SlackPendingRow }
  | { ok: false; why: "missing" | "expired" | "taken"; row?: SlackPendingRow };

/**
 * Resolves a pending request for the press stored as inbox row `rowId`. The same row may claim again (a retry
 * after a crash); any other press finds it taken.
 */
export async function claimPending(
  deps: Pick<Deps, "database" | "clock">,
  id: string,
  rowId: string,
  resolution: string,
): Promise<Claim> {
  const now = deps.clock.now();
  const [claimed] = await deps.database.db
    .update(slackPending)
    .set({ resolvedAt: now, resolvedBy: rowId, resolution })
    .where(
      and(
        eq(slackPending.id, id),
        or(
          // Open and still fresh, or already claimed by this very press (a retry after a crash).
          and(isNull(slackPending.resolvedAt), gte(slackPending.expiresAt, now)),
          eq(slackPending.resolvedBy, rowId),
        ),
      ),
    )
    .returning();
  if (claimed) return { ok: true, row: claimed };
  const row = await getPending(deps, id);
  if (!row) return { ok: false, why: "missing" };
  return { ok: false, why: row.resolvedAt === null ? "expired" : "taken", row };
}

export function payloadOf<T>(row: SlackPendingRow): T {
  return JSON.parse(row.payload) as T;
}
