import { z } from "@hono/zod-openapi";
import {
  clearLimitOverride,
  getTaskLimits,
  LIMIT_SCOPES,
  type LimitScope,
  listLimitOverrides,
  scopeLimitsPatchSchema,
  setLimitOverride,
  setTaskLimits,
  taskLimitsPatchSchema,
} from "../../workspace/task-limits";
import { requireWorkspaceRow } from "../../workspace/workspaces";
import { type AdminApp, actorOf, adminRoute, jsonBody, listOf, okJson, workspaceParams } from "../route-kit";

// Usage limits in the admin API: the workspace's (tasks at once, per environment, per day; reviews per day;
// time limit) and those of its environments, groups and members. A request over a limit waits its turn and
// its requester is told where it stands. Unknown fields are refused (400), never dropped.

const tags = ["Usage limits"];

const limitsSchema = z
  .object({
    maxRunning: z.number().int(),
    maxRunningPerEnvironment: z.number().int(),
    timeoutSeconds: z.number().int().optional(),
    tasksPerDay: z.number().int().optional().openapi({ description: "Absent: no daily limit" }),
    reviewsPerDay: z.number().int().optional().openapi({ description: "Absent: no daily limit" }),
  })
  .openapi("TaskLimits");

const overrideSchema = z
  .object({
    scope: z.enum(LIMIT_SCOPES as [LimitScope, ...LimitScope[]]),
    id: z.string(),
    name: z.string(),
    maxRunning: z.number().int().optional(),
    tasksPerDay: z.number().int().optional(),
    reviewsPerDay: z.number().int().optional(),
  })
  .openapi("TaskLimitOverride");

/** Paths name the collection (`environments`), the domain its scope (`environment`). */
const SCOPE_OF = { environments: "environment", groups: "group", members: "member" } as const;
const scopeParams = workspaceParams.extend({
  scope: z.enum(["environments", "groups", "members"]).openapi({ description: "Whose limits" }),
  scopeId: z.string().min(1).openapi({ description: "The environment's, group's or member's id" }),
});

const workspacePatch = taskLimitsPatchSchema.openapi("TaskLimitsPatch", {
  description: "Fields left out stay as they are; null goes back to the default (or no limit).",
});
const overridePatch = scopeLimitsPatchSchema.openapi("TaskLimitOverridePatch", {
  description: "Fields left out stay as they are; null removes the limit.",
});

export function taskLimitsApi(app: AdminApp) {
  app.openapi(
    adminRoute({
      method: "get",
      operationId: "getTaskLimits",
      tags,
      path: "/workspaces/{workspaceId}/task-limits",
      summary: "How many tasks may run at once and start per day in the workspace, and for how long",
      request: { params: workspaceParams },
      responses: okJson(limitsSchema, "Limits in force"),
    }),
    async (c) => {
      const { workspaceId } = c.req.valid("param");
      await requireWorkspaceRow(c.var.deps, workspaceId);
      return c.json(await getTaskLimits(c.var.deps, workspaceId), 200);
    },
  );

  app.openapi(
    adminRoute({
      method: "put",
      operationId: "setTaskLimits",
      tags,
      path: "/workspaces/{workspaceId}/task-limits",
      summary: "Change the workspace's limits (null restores a default, or removes a daily limit)",
      request: { params: workspaceParams, body: jsonBody(workspacePatch) },
      responses: okJson(limitsSchema, "Limits in force"),
    }),
    async (c) => {
      const { workspaceId } = c.req.valid("param");
      await requireWorkspaceRow(c.var.deps, workspaceId);
      return c.json(await setTaskLimits(c.var.deps, workspaceId, c.req.valid("json"), actorOf(c)), 200);
    },
  );

  app.openapi(
    adminRoute({
      method: "get",
      operationId: "listTaskLimitOverrides",
      tags,
      path: "/workspaces/{workspaceId}/task-limits/overrides",
      summary: "Environments, groups and members with limits of their own",
      request: { params: workspaceParams },
      responses: okJson(listOf(overrideSchema), "Their limits"),
    }),
    async (c) => {
      const { workspaceId } = c.req.valid("param");
      await requireWorkspaceRow(c.var.deps, workspaceId);
      return c.json({ items: await listLimitOverrides(c.var.deps, workspaceId) }, 200);
    },
  );

  app.openapi(
    adminRoute({
      method: "put",
      operationId: "setTaskLimitOverride",
      tags,
      path: "/workspaces/{workspaceId}/task-limits/{scope}/{scopeId}",
      summary:
        "Set an environment's, group's or member's own limits; a task starts only when every limit that applies has room",
      request: { params: scopeParams, body: jsonBody(overridePatch) },
      responses: okJson(
        overrideSchema.nullable(),
        "Its limits after the change; null when none is left (the override is removed)",
      ),
    }),
    async (c) => {
      const { workspaceId, scope, scopeId } = c.req.valid("param");
      const body = c.req.valid("json");
      const after = await setLimitOverride(
        c.var.deps,
        workspaceId,
        SCOPE_OF[scope],
        scopeId,
        body,
        actorOf(c),
      );
      return c.json(after, 200);
    },
  );

  app.openapi(
    adminRoute({
      method: "delete",
      operationId: "removeTaskLimitOverride",
      tags,
      path: "/workspaces/{workspaceId}/task-limits/{scope}/{scopeId}",
      summary: "Remove an environment's, group's or member's own limits",
      request: { params: scopeParams },
      responses: { 204: { description: "Removed" } },
    }),
    async (c) => {
      const { workspaceId, scope, scopeId } = c.req.valid("param");
      await clearLimitOverride(c.var.deps, workspaceId, SCOPE_OF[scope], scopeId, actorOf(c));
      return c.body(null, 204);
    },
  );
}
