import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { retentionSettings } from "../db/schema/compliance";
import type { Deps } from "../deps";
import { commitChange } from "./change";
import { requireWorkspaceRow } from "./workspaces";

// How long a workspace keeps task text and compliance log files (days; null: forever). The hourly sweep
// (src/governance/retention.ts) applies them. Zero data retention is a workspace switch, not one of these:
// it erases task text as soon as the reply is delivered, whatever these say.

export interface RetentionSettings {
  /** Prompts, thread context, answers and progress text of finished tasks. */
  taskContentDays: number | null;
  /** Closed compliance log files, by the time of their last event. */
  complianceLogDays: number | null;
}

const days = z.number().int().min(1).max(36_500).nullable();

/** A change: at least one of the two; null goes back to keeping forever. The console validates with it too. */
export const retentionPatchSchema = z
  .object({ taskContentDays: days.optional(), complianceLogDays: days.optional() })
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: "name at least one retention period to change" });

export async function getRetention(
  deps: Pick<Deps, "database">,
  workspaceId: string,
): Promise<RetentionSettings> {
  await requireWorkspaceRow(deps, workspaceId);
  const [row] = await deps.database.db
    .select()
    .from(retentionSettings)
    .where(eq(retentionSettings.workspaceId, workspaceId))
    .limit(1);
  return { taskContentDays: row?.taskContentDays ?? null, complianceLogDays: row?.complianceLogDays ?? null };
}

/** Changes the retention periods, audited with before → after (and logged for the Compliance API). */
export async function updateRetention(
  deps: Pick<Deps, "database" | "clock">,
  workspaceId: string,
  patch: Partial<RetentionSettings>,
  actor: string,
): Promise<RetentionSettings> {
  const before = await getRetention(deps, workspaceId);
  const after = { ...before, ...patch };
  const values = { ...after, updatedAt: deps.clock.now() };
  await commitChange(deps, {
    workspaceId,
    actor,
    action: "retention.update",
    target: workspaceId,
    before,
    after,
    writes: [
      deps.database.db
        .insert(retentionSettings)
        .values({ workspaceId, ...values })
        .onConflictDoUpdate({ target: retentionSettings.workspaceId, set: values }),
    ],
  });
  return after;
}
