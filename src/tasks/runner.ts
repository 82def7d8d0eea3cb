import type { TaskRow } from "../db/schema/tasks";
import type { Deps } from "../deps";
import { newId } from "../lib/ids";
import type { TaskLimits } from "../workspace/task-limits";
import { announceStarted } from "./announce-progress";
import { sweepCallbackNonces } from "./callback-nonces";
import { describeDuration } from "./duration";
import { resolveTaskEnvironment } from "./environment";
import type { TaskEnvironment } from "./executors/types";
import {
  type ExecutionContext,
  type Executor,
  ExecutorError,
  isDispatched,
  TaskStopped,
} from "./executors/types";
import { IllegalTransition } from "./lifecycle";
import { sweepDayCounts } from "./limit-checks";
import { prepareTask } from "./prepare";
import { createProgressThrottle } from "./progress-throttle";
import {
  claimNextTasks,
  detachForCallback,
  dueTaskWork,
  releaseLease,
  renewLease,
  retryDelayMs,
  saveExecutorState,
} from "./queue";
import { recoverTasks } from "./recovery";
import { type ExecutorState, executorStateOf, rowToTask } from "./rows";
import { appendProgress } from "./service";
import { finishTask, LeaseLost, sweepUnnotified, transitionTask } from "./transitions";
import type { Task } from "./types";
import { tellWaitingTasks } from "./waiting";

export interface TaskRunnerOptions {
  executor: Executor;
  /** Tasks this process runs at once; the per-workspace and per-environment limits apply on top. */
  capacity?: number;
  leaseMs?: number;
  /** Default per-task time limit (a workspace may override it in task_settings). */
  timeoutMs?: number;
  limits?: Pick<TaskLimits, "maxRunning" | "maxRunningPerEnvironment">;
  /** Claims per task; only infrastructure failures use more than one. */
  maxAttempts?: number;
  resolveEnvironment?: (deps: Deps, task: Task) => Promise<TaskEnvironment | undefined>;
  owner?: string;
  /** A task of this runner settled: a slot is free (the loop ticks again). */
  onSettled?: () => void;
}

type StopReason = "timeout" | "cancel" | "lost" | "shutdown";

interface Execution {
  controller: AbortController;
  reason?: StopReason;
  done: Promise<void>;
}

/**
 * How often finished tasks whose reply never went out (the hub stopped between the two) are notified again.
 * Both queries are cheap index lookups; every 5 s (after a 5 s grace) gets such a reply out about 10 s late
 * at worst, rather than after half a minute.
 */
const maintenanceEveryMs = 5_000;
/**
 * The most tasks one batch claims. Every claim in a batch holds the write lock for its limit checks (a few
 * hundred µs), so a larger batch would keep the other threads' commits waiting longer.
 */
const claimBatch = 8;
const shutdownGraceMs = 10_000;

/**
 * Claims queued tasks and runs them with the executor: lease renewed while it runs, stopped at its deadline
 * or on cancel, answer recorded by the statement that ends the task, infrastructure failures retried with
 * backoff, and tasks of a dead runner recovered (see recovery.ts).
 */
export function createTaskRunner(deps: Deps, options: TaskRunnerOptions) {
  const owner = options.owner ?? newId("run");
  const capacity = options.capacity ?? deps.config.tasks.capacity;
  const leaseMs = options.leaseMs ?? deps.config.tasks.leaseMs;
  const timeoutMs = options.timeoutMs ?? deps.config.tasks.timeoutMs;
  const maxAttempts = options.maxAttempts ?? 3;
  const resolveEnvironment = options.resolveEnvironment ?? resolveTaskEnvironment;
  const executor = options.executor;
  const active = new Map<string, Execution>();
  const log = deps.logger.child({ component: "task-runner", owner });
  let stopping = false;
  let lastMaintenance = Number.NEGATIVE_INFINITY;

  const stop = (execution: Execution | undefined, reason: StopReason) => {
    if (!execution || execution.reason) return;
    execution.reason = reason;
    execution.controller.abort(new TaskStopped(reason));
  };

  function launch(row: TaskRow, resumeState?: ExecutorState) {
    const execution: Execution = { controller: new AbortController(), done: Promise.resolve() };
    active.set(row.id, execution);
    execution.done = execute(row, execution, resumeState)
      .catch((error) =>
        log.error({ taskId: row.id, error: (error as Error).message }, "task execution crashed"),
      )
      .finally(() => {
        active.delete(row.id);
        options.onSettled?.();
      });
  }

  async function execute(row: TaskRow, execution: Execution, resumeState?: ExecutorState): Promise<void> {
    let task = rowToTask(row);
    const taskLog = log.child({ taskId: task.id, kind: task.kind, attempt: task.attempts });
    let state: ExecutorState = resumeState ?? executorStateOf(row);
    // Progress is written in order, within the task's rate, and all of it before the task settles (later
    // events are dropped).
    const progress = createProgressThrottle({
      now: () => deps.clock.now(),
      write: (step, last) => appendProgress(deps, task.id, step, { last }),
      onError: (error) => taskLog.warn({ error: (error as Error).message }, "progress not recorded"),
    });
    const context: ExecutionContext = {
      signal: execution.controller.signal,
      onProgress: (event) => progress.push(event),
      async checkpoint(update) {
        state = { ...state, ...update };
        if (!(await saveExecutorState(deps.database, task.id, owner, state)))
          throw new LeaseLost(task.id, owner);
      },
    };
    const deadline = row.deadlineAt ?? deps.clock.now() + timeoutMs;
    const timer = setTimeout(() => stop(execution, "timeout"), Math.max(0, deadline - deps.clock.now()));
    const heartbeat = setInterval(
      () => {
        renewLease(deps.database, task.id, owner, deps.clock.now(), leaseMs).then(
          (held) => held || stop(execution, "lost"),
          (error) => taskLog.warn({ error: (error as Error).message }, "lease renewal failed"),
        );
      },
      Math.max(50, Math.floor(leaseMs / 3)),
    );
    try {
      task = await prepareTask(deps, task, owner);
      try {
        context.environment = await resolveEnvironment(deps, task);
      } catch (error) {
        throw new ExecutorError(
          `The task's environment could not be loaded: ${(error as Error).message}`,
          true,
        );
      }
      taskLog.info({ resume: Boolean(resumeState) }, "task started");
      await announceStarted(deps, task);
      const result =
        resumeState && executor.resume
          ? await executor.resume(task, state, context)
          : await executor.run(task, context);
      await progress.settle();
      if (isDispatched(result)) {
        if (!(await detachForCallback(deps.database, task.id, owner)))
          taskLog.info({}, "task settled while dispatching");
        return;
      }
      await finishTask(deps, task, { status: "completed", ...result }, { owner });
    } catch (error) {
      await progress.settle();
      await settleFailure(task, row, execution, error, Boolean(resumeState));
    } finally {
      clearTimeout(timer);
      clearInterval(heartbeat);
    }
  }

  async function settleFailure(
    task: Task,
    row: TaskRow,
    execution: Execution,
    error: unknown,
    resumed: boolean,
  ) {
    const message = error instanceof Error ? error.message : String(error);
    const guard = { owner };
    try {
      // Cancelled (already recorded), taken over by another runner, or left for recovery on shutdown.
      if (execution.reason && execution.reason !== "timeout") return;
      if (error instanceof LeaseLost) return;
      if (execution.reason === "timeout") {
        const limit = describeDuration((row.deadlineAt ?? 0) - (row.startedAt ?? 0));
        await finishTask(
          deps,
          task,
          {
            status: "failed",
            error: `The task took longer than its limit of ${limit} and was stopped.`,
          },
          guard,
        );
        return;
      }
      // A resumed task is past its first start: whatever stops it now is told as is, never retried.
      if (error instanceof ExecutorError && error.infrastructure && !resumed) {
        if (row.attempts < maxAttempts) {
          const delay = retryDelayMs(row.attempts);
          await transitionTask(
            deps,
            task.id,
            "queued",
            {
              availableAt: deps.clock.now() + delay,
              leaseOwner: null,
              leaseUntil: null,
              startedAt: null,
              deadlineAt: null,
              error: `Attempt ${row.attempts} could not start: ${message}`,
            },
            guard,
          );
          log.warn({ taskId: task.id, attempt: row.attempts, delay, error: message }, "task requeued");
          return;
        }
        await finishTask(
          deps,
          task,
          {
            status: "failed",
            error: `The agent could not be started after ${row.attempts} attempt(s): ${message}`,
          },
          guard,
        );
        return;
      }
      const reason = error instanceof ExecutorError ? message : `The task failed: ${message}`;
      await finishTask(deps, task, { status: "failed", error: reason }, guard);
    } catch (settleError) {
      if (settleError instanceof IllegalTransition || settleError instanceof LeaseLost) return;
      throw settleError;
    }
  }

  async function maintenance() {
    const now = deps.clock.now();
    if (now - lastMaintenance < maintenanceEveryMs) return;
    lastMaintenance = now;
    await sweepUnnotified(deps);
    await sweepCallbackNonces(deps.database, now);
    await sweepDayCounts(deps.database, now);
  }

  /** Recovers abandoned tasks and claims queued ones up to capacity; returns how many it started or settled. */
  async function tick(): Promise<number> {
    if (stopping) return 0;
    const due = await dueTaskWork(deps.database, deps.clock.now());
    let n = due.expired
      ? await recoverTasks(deps, {
          owner,
          executor,
          leaseMs,
          freeSlots: () => capacity - active.size,
          launchResume: (row, state) => launch(row, state),
        })
      : 0;
    // A recovered task may have gone back to the queue.
    const queued = due.queued || n > 0;
    // One claim first; while every claim asked for is taken, twice as many in the next batch (up to
    // `claimBatch`): a lone task costs two commits as before (its claim, then a batch that finds nothing),
    // and a busy queue starts many tasks per commit.
    for (let want = 1; queued && !stopping && active.size < capacity; want = Math.min(want * 2, claimBatch)) {
      const asked = Math.min(want, capacity - active.size);
      const rows = await claimNextTasks(
        deps.database,
        {
          now: deps.clock.now(),
          owner,
          leaseMs,
          executor: executor.name,
          defaultTimeoutMs: timeoutMs,
          limits: options.limits,
        },
        asked,
      );
      for (const row of rows) launch(row);
      n += rows.length;
      if (rows.length < asked) break;
    }
    // With room to spare, what is still due waits for a limit: tell those people where they stand.
    if (queued && !stopping && active.size < capacity)
      await tellWaitingTasks(deps, deps.clock.now(), options.limits);
    await maintenance();
    return n;
  }

  /** Runs until nothing is due and nothing runs (tests and the demo use it to wait for quiet). */
  async function drain(): Promise<void> {
    for (;;) {
      const n = await tick();
      if (active.size === 0 && n === 0) return;
      if (active.size > 0) await Promise.race([...active.values()].map((e) => e.done));
    }
  }

  /**
   * Stops claiming and stops the running executors, leaving their tasks for recovery at the next start
   * (resumed if the executor can, else failed with a clear reason). Their leases are released so that
   * happens right away rather than after the lease would have run out.
   */
  async function shutdown(): Promise<void> {
    stopping = true;
    const running = [...active.entries()];
    for (const [, execution] of running) stop(execution, "shutdown");
    // An executor that ignores its abort signal must not keep the process from exiting.
    let grace: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all(running.map(([, e]) => e.done)),
      new Promise((resolve) => {
        grace = setTimeout(resolve, shutdownGraceMs);
      }),
    ]);
    clearTimeout(grace);
    for (const [id] of running) await releaseLease(deps.database, id, owner, deps.clock.now());
  }

  return {
    owner,
    tick,
    drain,
    shutdown,
    /** Stops the executor of a task cancelled in this process (its status is already `cancelled`). */
    abort: (taskId: string) => stop(active.get(taskId), "cancel"),
    active: () => [...active.keys()],
  };
}

export type TaskRunner = ReturnType<typeof createTaskRunner>;
