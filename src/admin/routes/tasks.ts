import { z } from "@hono/zod-openapi";
import { AppError } from "../../errors";
import { recordAudit } from "../../governance/audit";
import { IllegalTransition } from "../../tasks/lifecycle";
import { cancelTask, getTask, listTaskEvents, TaskNotFound } from "../../tasks/service";
import { TASK_MODES, TASK_STATUSES } from "../../tasks/types";
import { type AdminApp, actorOf, adminRoute, idParams, okJson } from "../route-kit";

// Tasks in the admin API: look at one (with its progress) and cancel it. Usage limits: task-limits.ts.

const taskSchema = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    requesterMemberId: z.string(),
    origin: z.record(z.string(), z.unknown()),
    environmentId: z.string().nullable(),
    kind: z.enum(["task", "review"]),
    mode: z
      .enum(TASK_MODES)
      .describe("ask: answered read-only, never pushed; code: may change files and open a pull request"),
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
}
