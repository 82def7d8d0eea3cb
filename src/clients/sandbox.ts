import { desc } from "drizzle-orm";
import { sandboxOutbound } from "../db/schema/sandbox";
import type { Database } from "../db/types";
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

/** Sandbox people: the demo's sample events come from these platform users (see admin/sandbox-seed.ts). */
const SANDBOX_PEOPLE: Record<string, { email: string; name: string }> = {
  U0ADMIN: { email: "admin@example.com", name: "Sandbox Admin" },
  "lin-user-admin": { email: "admin@example.com", name: "Sandbox Admin" },
};

const personFor = (id: string) =>
  SANDBOX_PEOPLE[id] ?? { email: `${id.toLowerCase()}@sandbox.example.com`, name: `Sandbox user ${id}` };

/**
 * Plausible answers to the reads the hub makes, so identity linking works offline: Slack `users.info`
 * (https://api.slack.com/methods/users.info) and the Linear `user` query. Every other call gets `{ ok: true }`.
 */
export function sandboxRespond(platform: Platform): (request: OutboundRequest) => unknown {
  return (request) => {
    const args = request.args as { user?: unknown; id?: unknown };
    if (platform === "slack" && request.operation === "users.info" && typeof args.user === "string") {
      const person = personFor(args.user);
      return {
        ok: true,
        user: {
          id: args.user,
          name: person.name,
          deleted: false,
          is_bot: false,
          profile: { email: person.email, real_name: person.name },
        },
      };
    }
    if (platform === "linear" && request.operation === "user" && typeof args.id === "string") {
      const person = personFor(args.id);
      return { id: args.id, name: person.name, displayName: person.name, email: person.email, active: true };
    }
    return { ok: true };
  };
}
