import { and, asc, eq, isNull, or, sql } from "drizzle-orm";
import { preparedQuery } from "../db/prepared";
import { notifySubscriptions } from "../db/schema/notify";
import type { Deps } from "../deps";
import { newId } from "../lib/ids";

// Which Slack channels hear about finished tasks (`/codex notify on|off [env]`). A subscription names one
// environment, or none for every environment of the workspace.

export interface Subscription {
  id: string;
  workspaceId: string;
  /** null: every environment. */
  environmentId: string | null;
  slackTeamId: string;
  channelId: string;
  createdBy: string | null;
  createdAt: number;
}

const ALL = "*";

export interface SubscribeInput {
  workspaceId: string;
  environmentId: string | null;
  slackTeamId: string;
  channelId: string;
  /** Member id of who asked, kept for admins reading the list. */
  createdBy?: string;
}

/** Subscribes a channel; subscribing again to the same environment changes nothing (`created: false`). */
export async function subscribe(
  deps: Pick<Deps, "database" | "clock">,
  input: SubscribeInput,
): Promise<{ subscription: Subscription; created: boolean }> {
  const inserted = await deps.database.db
    .insert(notifySubscriptions)
    .values({
      id: newId("sub"),
      workspaceId: input.workspaceId,
      environmentId: input.environmentId,
      environmentKey: input.environmentId ?? ALL,
      slackTeamId: input.slackTeamId,
      channelId: input.channelId,
      createdBy: input.createdBy ?? null,
      createdAt: deps.clock.now(),
    })
    .onConflictDoNothing({
      target: [
        notifySubscriptions.workspaceId,
        notifySubscriptions.channelId,
        notifySubscriptions.environmentKey,
      ],
    })
    .returning();
  if (inserted[0]) return { subscription: toSubscription(inserted[0]), created: true };
  const [existing] = await deps.database.db
    .select()
    .from(notifySubscriptions)
    .where(
      and(
        eq(notifySubscriptions.workspaceId, input.workspaceId),
        eq(notifySubscriptions.channelId, input.channelId),
        eq(notifySubscriptions.environmentKey, input.environmentId ?? ALL),
      ),
    );
  if (!existing) throw new Error("subscription neither inserted nor found");
  return { subscription: toSubscription(existing), created: false };
}

export interface UnsubscribeInput {
  workspaceId: string;
  channelId: string;
  /** A given environment; null: the "every environment" subscription; left out: all of the channel's. */
  environmentId?: string | null;
}

/** Removes subscriptions of a channel; returns how many there were. */
export async function unsubscribe(deps: Pick<Deps, "database">, input: UnsubscribeInput): Promise<number> {
  const scope =
    input.environmentId === undefined
      ? undefined
      : eq(notifySubscriptions.environmentKey, input.environmentId ?? ALL);
  const removed = await deps.database.db
    .delete(notifySubscriptions)
    .where(
      and(
        eq(notifySubscriptions.workspaceId, input.workspaceId),
        eq(notifySubscriptions.channelId, input.channelId),
        scope,
      ),
    )
    .returning({ id: notifySubscriptions.id });
  return removed.length;
}

/** A workspace's subscriptions, optionally of one channel, oldest first. */
export async function listSubscriptions(
  deps: Pick<Deps, "database">,
  filter: { workspaceId: string; channelId?: string },
): Promise<Subscription[]> {
  const rows = await deps.database.db
    .select()
    .from(notifySubscriptions)
    .where(
      and(
        eq(notifySubscriptions.workspaceId, filter.workspaceId),
        filter.channelId ? eq(notifySubscriptions.channelId, filter.channelId) : undefined,
      ),
    )
    .orderBy(asc(notifySubscriptions.createdAt), asc(notifySubscriptions.id));
  return rows.map(toSubscription);
}

/**
 * Subscriptions to every environment, and to `environmentId`. A null `environmentId` matches only the former:
 * `environment_id = NULL` is never true in SQL, so one prepared shape serves both.
 */
const channelsFor = preparedQuery((db, v: { workspaceId: string; environmentId: string | null }) =>
  db
    .select({ slackTeamId: notifySubscriptions.slackTeamId, channelId: notifySubscriptions.channelId })
    .from(notifySubscriptions)
    .where(
      and(
        eq(notifySubscriptions.workspaceId, v.workspaceId),
        or(
          isNull(notifySubscriptions.environmentId),
          sql`${notifySubscriptions.environmentId} = ${v.environmentId}`,
        ),
      ),
    )
    .orderBy(asc(notifySubscriptions.createdAt)),
);

/** Channels to tell about a task in `environmentId` (null: a task without environment: only "all" subscribers). */
export async function subscribedChannels(
  deps: Pick<Deps, "database">,
  workspaceId: string,
  environmentId: string | null,
): Promise<{ slackTeamId: string; channelId: string }[]> {
  const rows = await channelsFor(deps.database.db).all({ workspaceId, environmentId });
  // A channel subscribed both to "all" and to this environment hears once.
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.channelId) && seen.add(r.channelId));
}

function toSubscription(row: typeof notifySubscriptions.$inferSelect): Subscription {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    environmentId: row.environmentId,
    slackTeamId: row.slackTeamId,
    channelId: row.channelId,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
  };
}
