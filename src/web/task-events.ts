import { eq } from "drizzle-orm";
import type { Hono } from "hono";
import { type SSEStreamingApi, streamSSE } from "hono/streaming";
import type { AppEnv } from "../context";
import { tasks } from "../db/schema/tasks";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { isTerminal } from "../tasks/lifecycle";
import { listTaskEvents } from "../tasks/service";
import { taskForViewer } from "./task-access";

// GET /tasks/:id/events: the task page, live (Server-Sent Events, https://html.spec.whatwg.org/multipage/server-sent-events.html).
// Same rule as the page: only a signed-in member who may see the task. The stream sends each new step
// (`step`, its id the step's seq), each change of status (`status`), and once the task has finished its final
// state (`done`), then ends. It polls the database rather than listening in memory: steps are written by
// whichever thread or process runs the task (or takes a runner's callback), and every one of them writes to
// the same database. A stream lives a few minutes at most; the browser then reconnects on its own, sending
// `Last-Event-ID`, and the next stream resumes after that step.

export interface TaskEventsOptions {
  /** How often the database is asked for what is new. */
  pollMs?: number;
  /** How long one stream lasts before the browser is left to reconnect. */
  lifetimeMs?: number;
}

const POLL_MS = 1_000;
const LIFETIME_MS = 5 * 60_000;
/** How long the browser waits before reconnecting (the `retry` field). */
const RETRY_MS = 2_000;
/** Steps sent per poll at most; the rest follow at the next (a task keeps a bounded number anyway). */
const STEPS_PER_POLL = 200;
/** A comment line this often keeps proxies from closing a quiet stream. */
const KEEPALIVE_MS = 20_000;

/** Where to resume: `Last-Event-ID` from a reconnecting browser, else `?after=` (the last step the page shows). */
function resumeAfter(lastEventId: string | undefined, after: string | undefined): number {
  for (const value of [lastEventId, after]) {
    if (value !== undefined && /^\d{1,15}$/.test(value.trim())) return Number(value.trim());
  }
  return 0;
}

async function taskState(deps: Deps, id: string) {
  const [row] = await deps.database.db
    .select({ status: tasks.status, startedAt: tasks.startedAt, finishedAt: tasks.finishedAt })
    .from(tasks)
    .where(eq(tasks.id, id));
  return row ?? null;
}

async function follow(
  deps: Deps,
  stream: SSEStreamingApi,
  id: string,
  after: number,
  options: Required<TaskEventsOptions>,
) {
  let lastSeq = after;
  let lastStatus: string | null = null;
  let quietSince = 0;
  const polls = Math.max(1, Math.ceil(options.lifetimeMs / options.pollMs));
  for (let poll = 0; poll < polls && !stream.aborted; poll++) {
    if (poll > 0) await stream.sleep(options.pollMs);
    // The status first: a task seen finished has written every step it will keep, so none is missed below.
    const state = await taskState(deps, id);
    if (!state) return;
    const steps = await listTaskEvents(deps, id, { after: lastSeq, limit: STEPS_PER_POLL });
    for (const step of steps) {
      await stream.writeSSE({ event: "step", id: String(step.seq), data: JSON.stringify(step) });
      lastSeq = step.seq;
    }
    if (state.status !== lastStatus) {
      await stream.writeSSE({ event: "status", data: JSON.stringify(state), retry: RETRY_MS });
      lastStatus = state.status;
    }
    if (isTerminal(state.status) && steps.length < STEPS_PER_POLL) {
      await stream.writeSSE({ event: "done", data: JSON.stringify(state) });
      return;
    }
    quietSince = steps.length > 0 ? 0 : quietSince + options.pollMs;
    if (quietSince >= KEEPALIVE_MS) {
      await stream.write(": still running\n\n");
      quietSince = 0;
    }
  }
}

export function taskEventsRoutes(routes: Hono<AppEnv>, options: TaskEventsOptions = {}) {
  const settings = { pollMs: options.pollMs ?? POLL_MS, lifetimeMs: options.lifetimeMs ?? LIFETIME_MS };
  routes.get("/tasks/:id/events", async (c) => {
    const deps = c.var.deps;
    const access = await taskForViewer(c, deps, c.req.param("id"));
    if (access.kind === "signed-out") throw new AppError("unauthorized", "Sign in to follow this task.");
    if (access.kind === "missing") throw new AppError("not_found", `No task ${c.req.param("id")}.`);
    if (access.kind === "forbidden") throw new AppError("forbidden", access.reason);
    const id = access.task.id;
    const after = resumeAfter(c.req.header("last-event-id"), c.req.query("after"));
    const response = streamSSE(c, async (stream) => {
      try {
        await follow(deps, stream, id, after, settings);
      } catch (error) {
        // Logged, not sent: the browser reconnects (or the page's refresh link still works).
        deps.logger.warn({ taskId: id, error: (error as Error).message }, "task event stream failed");
      }
    });
    // A person's task, like the page itself: never stored by a cache on the way.
    response.headers.set("Cache-Control", "no-store");
    response.headers.set("X-Content-Type-Options", "nosniff");
    return response;
  });
}
