import type { TaskStatus } from "./types";

/**
 * The task state machine. `queued → running → completed | failed | cancelled`, and a queued task may be
 * cancelled or failed before it starts. The one way back, `running → queued`, exists only for a retry after an
 * infrastructure failure, when the executor could not start and so the agent never ran.
 */
export const transitions: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  queued: ["running", "cancelled", "failed"],
  running: ["completed", "failed", "cancelled", "queued"],
  completed: [],
  failed: [],
  cancelled: [],
};

export const terminalStatuses = ["completed", "failed", "cancelled"] as const satisfies readonly TaskStatus[];

export function isTerminal(status: TaskStatus): boolean {
  return (terminalStatuses as readonly TaskStatus[]).includes(status);
}

export function canTransition(from: TaskStatus, to: TaskStatus): boolean {
  return transitions[from].includes(to);
}

/** Statuses from which `to` may be reached: the `WHERE status IN (...)` of a conditional update. */
export function sourcesOf(to: TaskStatus): TaskStatus[] {
  return (Object.keys(transitions) as TaskStatus[]).filter((from) => canTransition(from, to));
}

/** A transition the state machine does not allow, e.g. cancelling a completed task. */
export class IllegalTransition extends Error {
  constructor(
    readonly taskId: string,
    readonly from: TaskStatus,
    readonly to: TaskStatus,
  ) {
    super(`Task ${taskId} is ${from}; it cannot become ${to}.`);
    this.name = "IllegalTransition";
  }
}

export function assertTransition(taskId: string, from: TaskStatus, to: TaskStatus): void {
  if (!canTransition(from, to)) throw new IllegalTransition(taskId, from, to);
}
