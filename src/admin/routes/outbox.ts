import { z } from "@hono/zod-openapi";
import { outboxStatuses } from "../../db/schema/outbox";
import { retryDeadCall } from "../../outbox/retry";
import { listOutbox } from "../../outbox/store";
import { type AdminApp, actorOf, adminRoute, idParams, listOf, okJson } from "../route-kit";

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
    return c.json(await retryDeadCall(c.var.deps, id, actorOf(c)), 200);
  });
}
