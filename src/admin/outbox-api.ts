import { z } from "@hono/zod-openapi";
import { outboxStatuses } from "../db/schema/outbox";
import { AppError } from "../errors";
import { auditQuery } from "../governance/audit";
import { getOutboxRow, listOutbox, retryOutboxQuery } from "../outbox/store";
import { type AdminApp, actorOf, adminRoute, idParams, listOf, okJson } from "./route-kit";

const outboxItem = z
  .object({
    id: z.string(),
    dedupeKey: z.string(),
    platform: z.enum(["github", "slack", "linear"]),
    operation: z.string(),
    args: z.record(z.string(), z.unknown()),
    taskId: z.string().nullable(),
    status: z.enum(outboxStatuses),
    attempts: z.number(),
    rateLimited: z.number(),
    availableAt: z.number(),
    lastError: z.string().nullable(),
    response: z.unknown(),
    createdAt: z.number(),
    sentAt: z.number().nullable(),
  })
  .openapi("OutboxItem");

const listRoute = adminRoute({
  method: "get",
  operationId: "listOutbox",
  tags: ["Outbox"],
  path: "/outbox",
  summary: "List outbound calls (e.g. the dead ones that need attention)",
  request: {
    query: z.object({
      status: z.enum(outboxStatuses).optional(),
      taskId: z.string().optional(),
      before: z.coerce.number().int().optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
  },
  responses: okJson(listOf(outboxItem), "Outbound calls, newest first"),
});

const retryRoute = adminRoute({
  method: "post",
  operationId: "retryOutboxCall",
  tags: ["Outbox"],
  path: "/outbox/{id}/retry",
  summary: "Queue a dead outbound call again, with a fresh retry budget",
  request: { params: idParams("id") },
  responses: okJson(outboxItem, "Queued"),
});

export function outboxApi(app: AdminApp) {
  app.openapi(listRoute, async (c) => {
    const { status, taskId, before, limit } = c.req.valid("query");
    const items = await listOutbox(c.var.deps.database, { status, taskId, before, limit });
    return c.json({ items }, 200);
  });
  app.openapi(retryRoute, async (c) => {
    const { id } = c.req.valid("param");
    const deps = c.var.deps;
    const before = await getOutboxRow(deps.database, id);
    if (!before) throw new AppError("not_found", `No outbound call ${id}.`);
    if (before.status !== "dead") {
      throw new AppError(
        "conflict",
        `Outbound call ${id} is ${before.status}; only dead calls can be retried.`,
      );
    }
    // The retry and its audit record land together; the update is conditional, so a concurrent retry is harmless.
    const audit = auditQuery(deps, {
      workspaceId: null,
      actor: actorOf(c),
      action: "outbox.retry",
      target: id,
      before: { status: before.status, attempts: before.attempts, lastError: before.lastError },
      after: { status: "pending" },
    });
    await deps.database.batch([retryOutboxQuery(deps.database, id, deps.clock.now()), audit.query]);
    deps.wakeOutbox();
    return c.json((await getOutboxRow(deps.database, id))!, 200);
  });
}
