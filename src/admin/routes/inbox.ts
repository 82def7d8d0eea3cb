import { z } from "@hono/zod-openapi";
import { inboxStatuses } from "../../db/schema/inbox";
import { retryDeadDelivery } from "../../inbox/retry";
import { listInbox } from "../../inbox/store";
import { type AdminApp, actorOf, adminRoute } from "../route-kit";

const inboxItem = z.object({
  id: z.string(),
  platform: z.string(),
  deliveryKey: z.string(),
  eventType: z.string(),
  status: z.enum(inboxStatuses),
  attempts: z.number(),
  lastError: z.string().nullable(),
  outcome: z.string().nullable(),
  receivedAt: z.number(),
  processedAt: z.number().nullable(),
});

const listRoute = adminRoute({
  method: "get",
  operationId: "listInbox",
  tags: ["Inbox"],
  path: "/inbox",
  summary: "List webhook deliveries (e.g. the dead ones that need attention)",
  request: {
    query: z.object({
      status: z.enum(inboxStatuses).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(100),
    }),
  },
  responses: {
    200: {
      description: "Deliveries, newest first",
      content: { "application/json": { schema: z.object({ items: z.array(inboxItem) }) } },
    },
  },
});

const retryRoute = adminRoute({
  method: "post",
  operationId: "retryInboxDelivery",
  tags: ["Inbox"],
  path: "/inbox/{id}/retry",
  summary: "Queue a dead delivery for processing again",
  request: { params: z.object({ id: z.string() }) },
  responses: {
    200: {
      description: "Queued",
      content: { "application/json": { schema: z.object({ id: z.string(), status: z.literal("pending") }) } },
    },
  },
});

export function inboxApi(app: AdminApp) {
  app.openapi(listRoute, async (c) => {
    const { status, limit } = c.req.valid("query");
    return c.json({ items: await listInbox(c.var.deps.database, { status, limit }) }, 200);
  });
  app.openapi(retryRoute, async (c) => {
    const { id } = c.req.valid("param");
    await retryDeadDelivery(c.var.deps, id, actorOf(c));
    return c.json({ id, status: "pending" as const }, 200);
  });
}
