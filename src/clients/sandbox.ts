import { desc } from "drizzle-orm";
import type { Database } from "../db/types";
import { sandboxOutbound } from "../db/schema/sandbox";
import type { Platform } from "../ingress/events";
import type { Clock } from "../lib/clock";
import { newId } from "../lib/ids";
import type { OutboundRequest, PlatformClient } from "./types";

/**
 * Stands in for a platform when the hub has no credentials for it: records what would have been sent
 * and answers like the platform would, so the rest of the pipeline runs unchanged.
 */
export function createSandboxClient(
  platform: Platform,
  database: Database,
  clock: Clock,
  respond: (request: OutboundRequest) => unknown = () => ({ ok: true }),
): PlatformClient {
  return {
    async send(request) {
      await database.db.insert(sandboxOutbound).values({
        id: newId("sbx"),
        platform,
        operation: request.operation,
        request: JSON.stringify(request.args),
        createdAt: clock.now(),
      });
      return respond(request);
    },
  };
}

export async function listSandboxOutbound(database: Database, limit: number) {
  const rows = await database.db
    .select()
    .from(sandboxOutbound)
    .orderBy(desc(sandboxOutbound.createdAt))
    .limit(limit);
  return rows.map((r) => ({ ...r, request: JSON.parse(r.request) as unknown }));
}
