import { z } from "@hono/zod-openapi";
import { getRetention, retentionPatchSchema, updateRetention } from "../../workspace/retention";
import { type AdminApp, actorOf, adminRoute, jsonBody, okJson, workspaceParams } from "../route-kit";

// How long a workspace keeps task text and compliance log files. Zero data retention is a workspace switch
// (PATCH …/toggles `zeroDataRetention`); these periods apply on top of it, by the hourly sweep.

const tags = ["Workspace settings"];

const retentionSchema = z
  .object({
    taskContentDays: z.number().int().nullable().openapi({
      example: 90,
      description:
        "Days a finished task keeps its prompt, thread context, answer and progress text (null: forever)",
    }),
    complianceLogDays: z.number().int().nullable().openapi({
      example: 365,
      description: "Days a closed compliance log file is kept after its last event (null: forever)",
    }),
  })
  .openapi("RetentionSettings");

const retentionPatch = retentionPatchSchema.openapi({
  example: { taskContentDays: 30, complianceLogDays: null },
});

export function retentionApi(app: AdminApp) {
  app.openapi(
    adminRoute({
      method: "get",
      operationId: "getRetention",
      path: "/workspaces/{workspaceId}/retention",
      tags,
      summary: "Retention periods of task text and compliance log files",
      request: { params: workspaceParams },
      responses: okJson(retentionSchema, "The periods"),
    }),
    async (c) => c.json(await getRetention(c.var.deps, c.req.valid("param").workspaceId), 200),
  );
  app.openapi(
    adminRoute({
      method: "patch",
      operationId: "updateRetention",
      path: "/workspaces/{workspaceId}/retention",
      tags,
      summary: "Change retention periods (null keeps forever); the hourly sweep applies them",
      request: { params: workspaceParams, body: jsonBody(retentionPatch) },
      responses: okJson(retentionSchema, "The periods after the change"),
    }),
    async (c) => {
      const { workspaceId } = c.req.valid("param");
      return c.json(await updateRetention(c.var.deps, workspaceId, c.req.valid("json"), actorOf(c)), 200);
    },
  );
}
