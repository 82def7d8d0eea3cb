import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../app";
import { tasks } from "../db/schema/tasks";
import { AppError } from "../errors";
import { consumeNonce } from "./callback-nonces";
import { verifyExecutorRequest } from "./executors/http-signing";
import { IllegalTransition, isTerminal } from "./lifecycle";
import { rowToTask } from "./rows";
import { appendProgress } from "./service";
import { finishTask, type TaskOutcome } from "./transitions";

// POST /callbacks/tasks/:id: progress and the result of a task handed to a remote runner (HUB_EXECUTOR=http).
// Signed as described in executors/http-signing.ts. Idempotent: a result for a task that already finished is
// a 200 that changes nothing, so a runner may safely send it again (signed again).

const maxBodyBytes = 2 * 1024 * 1024;

const progressEvent = z.object({ type: z.string().trim().min(1).max(40), text: z.string().max(4000) });
const usage = z.object({
  inputTokens: z.number().int().nonnegative().optional(),
  outputTokens: z.number().int().nonnegative().optional(),
  cachedInputTokens: z.number().int().nonnegative().optional(),
});

export const callbackBodySchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("progress"), events: z.array(progressEvent).min(1).max(100) }),
  z.object({
    type: z.literal("result"),
    answer: z.string(),
    prUrl: z.url().optional(),
    usage: usage.optional(),
    changedFiles: z.array(z.string()).max(5000).optional(),
  }),
  z.object({ type: z.literal("failure"), error: z.string().trim().min(1).max(4000) }),
]);

export type CallbackBody = z.infer<typeof callbackBodySchema>;

export function taskCallbackRoutes() {
  const app = new Hono<AppEnv>();
  app.post("/tasks/:id", async (c) => {
    const deps = c.var.deps;
    if (!(c.req.header("content-type") ?? "").toLowerCase().startsWith("application/json")) {
      throw new AppError("unsupported_media_type", "Send the callback as application/json.");
    }
    if (Number(c.req.header("content-length") ?? 0) > maxBodyBytes) {
      throw new AppError("payload_too_large", "The callback body is larger than 2 MB.");
    }
    const raw = await c.req.text();
    if (raw.length > maxBodyBytes)
      throw new AppError("payload_too_large", "The callback body is larger than 2 MB.");

    const verified = await verifyExecutorRequest(
      [deps.config.executor.secret],
      raw,
      (n) => c.req.header(n),
      deps.clock.now(),
    );
    if (!verified.ok) throw new AppError(verified.code, verified.message);
    if (!(await consumeNonce(deps.database, verified.delivery, deps.clock.now()))) {
      throw new AppError(
        "unauthorized",
        "This callback was already received (its X-Hub-Delivery was used before).",
      );
    }

    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new AppError("invalid_body", "The callback body is not valid JSON.");
    }
    const parsed = callbackBodySchema.safeParse(json);
    if (!parsed.success) {
      throw new AppError("invalid_body", "The callback body does not match the schema.", {
        issues: parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
      });
    }
    const body = parsed.data;

    const id = c.req.param("id");
    const [row] = await deps.database.db.select().from(tasks).where(eq(tasks.id, id));
    if (!row) throw new AppError("not_found", `No task ${id}.`);
    if (row.executor !== "http") throw new AppError("conflict", `Task ${id} is not run by a remote runner.`);
    if (isTerminal(row.status)) return c.json({ id, status: row.status, changed: false }, 200);
    if (row.status !== "running")
      throw new AppError("conflict", `Task ${id} has not been handed to a runner yet.`);

    if (body.type === "progress") {
      let kept = 0;
      for (const event of body.events) if (await appendProgress(deps, id, event)) kept++;
      return c.json({ id, status: row.status, changed: kept > 0 }, 200);
    }
    const outcome: TaskOutcome =
      body.type === "result"
        ? {
            status: "completed",
            answer: body.answer,
            prUrl: body.prUrl ?? null,
            usage: body.usage ?? null,
            changedFiles: body.changedFiles ?? null,
          }
        : { status: "failed", error: `The runner reported a failure: ${body.error}` };
    try {
      const task = await finishTask(deps, rowToTask(row), outcome);
      return c.json({ id, status: task.status, changed: true }, 200);
    } catch (error) {
      // Settled between our read and our update (a concurrent callback, a cancel, the deadline sweep).
      if (!(error instanceof IllegalTransition)) throw error;
      return c.json({ id, status: error.from, changed: false }, 200);
    }
  });
  return app;
}
