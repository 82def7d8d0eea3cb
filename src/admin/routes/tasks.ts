import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { workspaces } from "../../db/schema/workspaces";
import { AppError } from "../../errors";
import { recordAudit } from "../../governance/audit";
import { IllegalTransition } from "../../tasks/lifecycle";
import { cancelTask, getTask, listTaskEvents, TaskNotFound } from "../../tasks/service";
import { TASK_STATUSES } from "../../tasks/types";
import { getTaskLimits, setTaskLimits } from "../../workspace/task-limits";
import {
  type AdminApp,
  actorOf,
  adminRoute,
  idParams,
  jsonBody,
  okJson,
  workspaceParams,
} from "../route-kit";

// Tasks in the admin API: look at one (with its progress), cancel it, and set a workspace's queue limits.

const taskSchema = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    requesterMemberId: z.string(),
    origin: z.record(z.string(), z.unknown()),
    environmentId: z.string().nullable(),
    kind: z.enum(["task", "review"]),
    title: z.string(),
    prompt: z.string(),
    status: z.enum(TASK_STATUSES),
    answer: z.string().nullable(),
    error: z.string().nullable(),
    prUrl: z.string().nullable(),
    attempts: z.number(),
    createdAt: z.number(),
    startedAt: z.number().nullable(),
    finishedAt: z.number().nullable(),
    events: z.array(z.object({ seq: z.number(), at: z.number(), type: z.string(), text: z.string() })),
  })
  .openapi("Task");

const limitsSchema = z
  .object({
    maxRunning: z.number().int(),
    maxRunningPerEnvironment: z.number().int(),
    timeoutSeconds: z.number().int().optional(),
  })
  .openapi("TaskLimits");

const limitsPatch = z.object({
  maxRunning: z.number().int().min(1).max(1000).nullable().optional(),
  maxRunningPerEnvironment: z.number().int().min(1).max(1000).nullable().optional(),
  timeoutSeconds: z
    .number()
    .int()
    .min(10)
    .max(24 * 3600)
    .nullable()
    .optional(),
});

const getRoute = adminRoute({
  method: "get",
  operationId: "getTask",
  tags: ["Tasks"],
  path: "/tasks/{id}",
  summary: "A task with its progress",
  request: { params: idParams("id") },
  responses: okJson(taskSchema, "The task"),
});

const cancelRoute = adminRoute({
  method: "post",
  operationId: "cancelTask",
  tags: ["Tasks"],
  path: "/tasks/{id}/cancel",
  summary: "Cancel a queued or running task (a running task's agent is stopped)",
  request: { params: idParams("id") },
  responses: okJson(taskSchema, "Cancelled"),
});

const getLimitsRoute = adminRoute({
  method: "get",
  operationId: "getTaskLimits",
  tags: ["Tasks"],
  path: "/workspaces/{workspaceId}/task-limits",
  summary: "How many tasks may run at once in the workspace and per environment, and for how long",
  request: { params: workspaceParams },
  responses: okJson(limitsSchema, "Limits in force"),
});

const setLimitsRoute = adminRoute({
  method: "put",
  operationId: "setTaskLimits",
  tags: ["Tasks"],
  path: "/workspaces/{workspaceId}/task-limits",
  summary: "Change the workspace's task limits (null restores a default)",
  request: { params: workspaceParams, body: jsonBody(limitsPatch) },
  responses: okJson(limitsSchema, "Limits in force"),
});

export function tasksApi(app: AdminApp) {
  const withEvents = async (deps: Parameters<typeof listTaskEvents>[0], id: string) => {
    const task = await getTask(deps, id);
    if (!task) throw new AppError("not_found", `No task ${id}.`);
    return {
      ...task,
      origin: task.origin as Record<string, unknown>,
      events: await listTaskEvents(deps, id),
    };
  };

  app.openapi(getRoute, async (c) => c.json(await withEvents(c.var.deps, c.req.valid("param").id), 200));

  app.openapi(cancelRoute, async (c) => {
    const { id } = c.req.valid("param");
    const deps = c.var.deps;
    try {
      const task = await cancelTask(deps, id, { admin: true });
      await recordAudit(deps, {
        workspaceId: task.workspaceId,
        actor: actorOf(c),
        action: "task.cancel",
        target: id,
        after: { status: task.status },
      });
    } catch (error) {
      if (error instanceof TaskNotFound) throw new AppError("not_found", error.message);
      if (error instanceof IllegalTransition) {
        throw new AppError(
          "conflict",
          `Task ${id} already ${error.from}; only queued or running tasks can be cancelled.`,
        );
      }
      throw error;
    }
    return c.json(await withEvents(deps, id), 200);
  });

  app.openapi(getLimitsRoute, async (c) =>
    c.json(await getTaskLimits(c.var.deps, c.req.valid("param").workspaceId), 200),
  );

  app.openapi(setLimitsRoute, async (c) => {
    const { workspaceId } = c.req.valid("param");
    const deps = c.var.deps;
    const [workspace] = await deps.database.db
      .select({ id: workspaces.id })
      .from(workspaces)
      .where(eq(workspaces.id, workspaceId));
    if (!workspace) throw new AppError("not_found", `No workspace ${workspaceId}.`);
    return c.json(await setTaskLimits(deps, workspaceId, c.req.valid("json"), actorOf(c)), 200);
  });
}
