import { Hono } from "hono";
import type { AppEnv } from "../app";
import { inboxStatuses } from "../db/schema/inbox";
import { inboxDepth } from "../inbox/store";
import { renderGauge } from "../lib/metrics";

/** Liveness, readiness and Prometheus metrics. */
export function opsRoutes() {
  const routes = new Hono<AppEnv>();
  routes.get("/healthz", (c) => c.json({ status: "ok" }));
  routes.get("/readyz", async (c) => {
    try {
      const { applied, shipped } = await c.var.deps.database.migrationStatus();
      const current = applied >= shipped;
      return c.json(
        { status: current ? "ready" : "not_ready", database: "reachable", migrations: { applied, shipped } },
        current ? 200 : 503,
      );
    } catch (error) {
      return c.json({ status: "not_ready", database: "unreachable", reason: (error as Error).message }, 503);
    }
  });
  routes.get("/metrics", async (c) => {
    const { metrics, database } = c.var.deps;
    const depth = await inboxDepth(database);
    const body = [
      metrics.deliveries.render(),
      metrics.ackLatency.render(),
      metrics.processed.render(),
      renderGauge(
        "hub_inbox_depth",
        "Inbox rows by status.",
        inboxStatuses.map((status) => ({ labels: { status }, value: depth[status] })),
      ),
    ].join("\n\n");
    return c.text(`${body}\n`, 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
  });
  return routes;
}
