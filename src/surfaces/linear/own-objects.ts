import { inArray } from "drizzle-orm";
import { linearOwnObjects } from "../../db/schema/linear";
import type { BatchQuery } from "../../db/types";
import type { Deps } from "../../deps";

// Linear lets the creator of a comment or agent activity choose its id (a UUID v4). The hub derives that id
// from what it is answering (`reply:<task id>`, `ack:<session id>`...) and writes it down before sending, so
// (1) a webhook about that comment or activity is recognised as the hub's own and never starts work, and (2) a
// retried send names the same object instead of creating a second one.

const encoder = new TextEncoder();

/** A UUID v4 (version and variant bits set) derived from `key`: the same key always gives the same id. */
export async function linearObjectId(key: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", encoder.encode(`codex-hub/linear/${key}`)),
  );
  const bytes = digest.slice(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export type OwnKind = "comment" | "activity";

/** The insert that remembers an id as the hub's own, for the batch that queues the call creating it. */
export function ownObjectQuery(
  deps: Pick<Deps, "database" | "clock">,
  kind: OwnKind,
  id: string,
): BatchQuery {
  return deps.database.db
    .insert(linearOwnObjects)
    .values({ id, kind, createdAt: deps.clock.now() })
    .onConflictDoNothing();
}

export async function rememberOwn(deps: Pick<Deps, "database" | "clock">, kind: OwnKind, id: string) {
  await ownObjectQuery(deps, kind, id);
}

/** Whether any of these ids is a comment or activity the hub created. */
export async function isOwnObject(
  deps: Pick<Deps, "database">,
  ...ids: (string | null | undefined)[]
): Promise<boolean> {
  const wanted = ids.filter((id): id is string => Boolean(id));
  if (wanted.length === 0) return false;
  const rows = await deps.database.db
    .select({ id: linearOwnObjects.id })
    .from(linearOwnObjects)
    .where(inArray(linearOwnObjects.id, wanted))
    .limit(1);
  return rows.length > 0;
}
