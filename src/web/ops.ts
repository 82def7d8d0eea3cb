import { inArray, sql } from "drizzle-orm";
import { Hono } from "hono";
import type { AppEnv } from "../context";
import { tasks } from "../db/schema/tasks";
import type { Database } from "../db/types";
import type { Deps } from "../deps";
import { inboxDepth } from "../inbox/store";
import type { ScrapeReadings } from "../lib/metrics";
import { outboxDepth } from "../outbox/store";

/** Liveness, readiness and Prometheus metrics. */
export function opsRoutes() {
  const routes = new Hono<AppEnv>();
  routes.get("/healthz", (c) => c.json({ status: "ok" }));
  routes.get("/readyz", async (c) => {
    const { database } = c.var.deps;
    let migrations: { applied: number; shipped: number };
    try {
      migrations = await database.migrationStatus();
    } catch (error) {
      return c.json({ status: "not_ready", database: "unreachable", reason: (error as Error).message }, 503);
    }
    if (migrations.applied < migrations.shipped) {
      return c.json(
        { status: "not_ready", database: "reachable", reason: "migrations are not current", migrations },
        503,
      );
    }
    const failing = await failingWrites(c.var.deps);
    if (failing.length > 0) {
      return c.json(
        {
          status: "not_ready",
          database: "reachable",
          reason: "the last database write failed",
          writes: failing.map((f) => ({ ...f, since: new Date(f.since).toISOString() })),
          migrations,
        },
        503,
      );
    }
    return c.json({ status: "ready", database: "reachable", migrations }, 200);
  });
  routes.get("/metrics", async (c) => {
    const { metrics, database } = c.var.deps;
    const { contentType, body } = await metrics.scrape(await scrapeReadings(database));
    return c.text(body, 200, { "content-type": contentType });
  });
  return routes;
}

/**
 * Writers whose last write failed. When there are some, the check writes once itself: with nothing left to
 * write (no traffic reaches a hub that is not ready), a landed probe is the only way back to ready.
 */
async function failingWrites(deps: Pick<Deps, "database" | "writes">) {
  const failing = deps.writes.failing();
  if (failing.length === 0 || !deps.database.probeWrite) return failing;
  try {
    await deps.database.probeWrite();
  } catch {
    return deps.writes.failing();
  }
  deps.writes.clear();
  return [];
}

async function scrapeReadings(database: Database): Promise<ScrapeReadings> {
  const [inbox, outbox, taskRows] = await Promise.all([
    inboxDepth(database),
    outboxDepth(database),
    database.db
      .select({ status: tasks.status, n: sql<number>`count(*)` })
      .from(tasks)
      .where(inArray(tasks.status, ["queued", "running"]))
      .groupBy(tasks.status),
  ]);
  const count = (status: string) => Number(taskRows.find((r) => r.status === status)?.n ?? 0);
  return {
    inboxDepth: inbox,
    tasks: { queued: count("queued"), running: count("running") },
    outbox: { pending: outbox.pending, dead: outbox.dead },
  };
}
