/**
 * How the rest of the hub talks to the task runner of its own process: new work is waiting, or a task was
 * cancelled and its executor should stop now rather than at its next lease renewal.
 */
export interface TaskSignals {
  wake(): void;
  abort(taskId: string): void;
}

export const noTaskSignals: TaskSignals = { wake() {}, abort() {} };
