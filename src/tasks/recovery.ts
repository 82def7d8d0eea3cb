import type { TaskRow } from "../db/schema/tasks";
import type { Deps } from "../deps";
import { describeDuration } from "./duration";
import { type Executor, restartedMessage } from "./executors/types";
import { IllegalTransition } from "./lifecycle";
import { callbackOwner, detachForCallback, expiredLeases, takeOver } from "./queue";
import { type ExecutorState, executorStateOf, rowToTask } from "./rows";
import { finishTask, LeaseLost } from "./transitions";

export { restartedMessage } from "./executors/types";

export interface RecoveryRunner {
  owner: string;
  executor: Executor;
  leaseMs: number;
  freeSlots(): number;
  /** Runs `executor.resume` for a task this runner just took over. */
  launchResume(row: TaskRow, state: ExecutorState): void;
}

type Plan = "callback-timeout" | "wait-for-callback" | "answered" | "out-of-time" | "resume" | "restarted";

function recordedAnswer(state: ExecutorState): string | null {
  return typeof state.answer === "string" ? state.answer : null;
}

/**
 * What to do with a running task whose runner died. Never run it a second time: an answer already recorded
 * is kept, an http task is still being worked on remotely (its runner calls back), a resumable executor
 * continues from its checkpoint, and anything else fails with a reason the requester can act on.
 */
export function planRecovery(row: TaskRow, executor: Executor, now: number): Plan {
  if (row.leaseOwner === callbackOwner) return "callback-timeout";
  if (row.executor === "http") return "wait-for-callback";
  const state = executorStateOf(row);
  const outOfTime = row.deadlineAt !== null && now >= row.deadlineAt;
  if (outOfTime) return recordedAnswer(state) !== null ? "answered" : "out-of-time";
  if (executor.resume && row.executor === executor.name) return "resume";
  return recordedAnswer(state) !== null ? "answered" : "restarted";
}

/** Settles or resumes tasks left running by a dead runner; returns how many it handled. */
export async function recoverTasks(deps: Deps, runner: RecoveryRunner): Promise<number> {
  const now = deps.clock.now();
  const rows = await expiredLeases(deps.database, now);
  let handled = 0;
  for (const row of rows) {
    const plan = planRecovery(row, runner.executor, now);
    const log = deps.logger.child({ taskId: row.id, plan });
    try {
      if (plan === "callback-timeout") {
        const limit = describeDuration((row.deadlineAt ?? now) - (row.startedAt ?? now));
        await finishTask(
          deps,
          row,
          {
            status: "failed",
            error: `The runner did not answer within ${limit}; the task was stopped.`,
          },
          { owner: callbackOwner },
        );
        handled++;
        continue;
      }
      if (plan === "resume" && runner.freeSlots() <= 0) continue;
      const taken = await takeOver(deps.database, row, runner.owner, now, runner.leaseMs);
      if (!taken) continue;
      handled++;
      log.warn({}, "recovering a task whose runner stopped");
      const state = executorStateOf(taken);
      const guard = { owner: runner.owner };
      switch (plan) {
        case "wait-for-callback":
          await detachForCallback(deps.database, taken.id, runner.owner);
          break;
        case "resume":
          runner.launchResume(taken, state);
          break;
        case "answered":
          await finishTask(
            deps,
            rowToTask(taken),
            {
              status: "completed",
              answer: recordedAnswer(state) ?? "",
              prUrl: typeof state.prUrl === "string" ? state.prUrl : null,
              changedFiles: Array.isArray(state.changedFiles) ? (state.changedFiles as string[]) : null,
            },
            guard,
          );
          break;
        case "out-of-time":
          await finishTask(
            deps,
            taken,
            {
              status: "failed",
              error: "The hub restarted while this task ran and its time ran out; ask again.",
            },
            guard,
          );
          break;
        case "restarted":
          await finishTask(deps, taken, { status: "failed", error: restartedMessage }, guard);
          break;
      }
    } catch (error) {
      // Someone else (a cancel, a callback, another runner) settled it first: nothing left to do.
      if (error instanceof IllegalTransition || error instanceof LeaseLost) continue;
      log.error({ error: (error as Error).message }, "task recovery failed");
    }
  }
  return handled;
}
