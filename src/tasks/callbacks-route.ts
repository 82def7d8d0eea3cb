import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../context";
import type { TaskRow } from "../db/schema/tasks";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { declaredLength, readCappedBody } from "../lib/capped-body";
import { consumeNonce, releaseNonce } from "./callback-nonces";
import { callbackUrl, verifyExecutorRequest } from "./executors/http-signing";
import { IllegalTransition, isTerminal } from "./lifecycle";
import { rowToTask } from "./rows";
import { appendProgress, getTaskRow } from "./service";
import { finishTask, type TaskOutcome } from "./transitions";

// POST /callbacks/tasks/:id: progress and the result of a task handed to a remote runner (HUB_EXECUTOR=http;
// the route is mounted only then). Signed as described in executors/http-signing.ts, over this very path, so a
// callback signed for one task is refused for another. Anyone can reach the route before the signature is
// checked, so everything that needs no body is decided first: a task that does not exist, is not run by a
// runner or is not waiting for one is refused before a byte of the body is read, and the body itself is
// read with a cap. A result for a task that finished meanwhile (a retry that crossed its first delivery) is a
// 200 that changes nothing; once it has finished, callbacks for it are refused with 409.

const maxBodyBytes = 2 * 1024 * 1024;
const tooLarge = () => new AppError("payload_too_large", "The callback body is larger than 2 MB.");
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** A step as `{ "type", "text" }`, or `{ "step": "Running the tests" }` as the command executor reads it on fd 3. */
const progressEvent = z.union([
  z.object({ type: z.string().trim().min(1).max(40), text: z.string().max(4000) }),
  z
    .object({ step: z.string().trim().min(1).max(4000) })
    .transform(({ step }) => ({ type: "step", text: step })),
]);
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
    const id = c.req.param("id");
    if (!(c.req.header("content-type") ?? "").toLowerCase().startsWith("application/json")) {
      throw new AppError("unsupported_media_type", "Send the callback as application/json.");
    }
    if (declaredLength(c.req.raw) > maxBodyBytes) throw tooLarge();
    const waiting = await waitingTask(deps, id);

    const raw = await readCallbackBody(c.req.raw);
    const target = { method: "POST", path: new URL(callbackUrl(deps.config.publicUrl, id)).pathname };
    const verified = await verifyExecutorRequest(
      [deps.config.executor.secret],
      target,
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
    try {
      return c.json(await settle(deps, waiting, parseCallback(raw)), 200);
    } catch (error) {
      // Our own failure (the database refused the write, say) is a 5xx, and the runner sends the same signed
      // request again: it must land then, not be turned away as a replay. A 4xx is final, so its id stays used.
      if (!(error instanceof AppError && error.status < 500))
        await releaseNonce(deps.database, verified.delivery).catch((failure: Error) =>
          // The retry is then refused as a replay, as before, and the task's deadline settles it.
          deps.logger.warn(
            { taskId: id, delivery: verified.delivery, error: failure.message },
            "freeing a failed callback's delivery id failed; the runner's retry will be refused",
          ),
        );
      throw error;
    }
  });
  return app;
}

/** What a verified callback changes: progress steps, or the task's end. */
async function settle(deps: Deps, waiting: TaskRow, body: CallbackBody) {
  const id = waiting.id;

  if (body.type === "progress") {
    // Within the task's limits (a few steps a second, a cap per task): the newest steps of a batch are kept.
    const { kept, refused } = await appendProgress(deps, id, body.events);
    return { id, status: waiting.status, changed: kept > 0, kept, ...(refused ? { refused } : {}) };
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
    const task = await finishTask(deps, rowToTask(waiting), outcome);
    return { id, status: task.status, changed: true };
  } catch (error) {
    // Settled between our read and our update (a concurrent callback, a cancel, the deadline sweep).
    if (!(error instanceof IllegalTransition)) throw error;
    return { id, status: error.from, changed: false };
  }
}

/** The task, when it is running on a remote runner; otherwise the error to answer, before reading the body. */
async function waitingTask(deps: Deps, id: string) {
  const row = await getTaskRow(deps, id);
  if (!row) throw new AppError("not_found", `No task ${id}.`);
  if (row.executor !== "http") throw new AppError("conflict", `Task ${id} is not run by a remote runner.`);
  if (isTerminal(row.status))
    throw new AppError("conflict", `Task ${id} has already finished (${row.status}).`, {
      status: row.status,
    });
  if (row.status !== "running")
    throw new AppError("conflict", `Task ${id} has not been handed to a runner yet.`);
  return row;
}

async function readCallbackBody(request: Request): Promise<string> {
  const bytes = await readCappedBody(request, maxBodyBytes, tooLarge);
  try {
    return decoder.decode(bytes);
  } catch {
    throw new AppError("invalid_body", "The callback body is not valid UTF-8.");
  }
}

function parseCallback(raw: string): CallbackBody {
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
  return parsed.data;
}
