import type { Requirements, SANDBOX_MODES } from "../../access/requirements";
import type { InternetAccess } from "../../access/types";
import type { ExecutorState } from "../rows";
import type { Task, TaskUsage } from "../types";

export type ExecutorName = "command" | "codex" | "http";

export interface ExecutorResult {
  /** The final answer (for a review: the findings JSON of DESIGN.md §3). */
  answer: string;
  prUrl?: string;
  usage?: TaskUsage;
  changedFiles?: string[];
}

/** The task was handed to a remote runner; its answer arrives later on POST /callbacks/tasks/:id. */
export interface Dispatched {
  dispatched: true;
}

export interface ProgressUpdate {
  type: string;
  text: string;
}

export interface ExecutionContext {
  /** Aborted on timeout, cancellation or shutdown: stop the agent (kill its processes) and throw. */
  signal: AbortSignal;
  onProgress(event: ProgressUpdate): void;
  environment?: TaskEnvironment;
  /**
   * Durably records executor state (merged into what was recorded before), e.g. a thread id to resume, or
   * an answer before the work that follows it (pushing a branch). After a crash the runner hands it to
   * `resume`; a recorded `answer` is never thrown away by running the agent again.
   */
  checkpoint(state: ExecutorState): Promise<void>;
}

/** Runs a task with an agent; one implementation per HUB_EXECUTOR value. */
export interface Executor {
  readonly name: ExecutorName;
  run(task: Task, context: ExecutionContext): Promise<ExecutorResult | Dispatched>;
  /**
   * Continues a task whose hub died while it ran, from the state it checkpointed. Executors without it get
   * such tasks failed with a clear reason, never run a second time.
   */
  resume?(task: Task, state: ExecutorState, context: ExecutionContext): Promise<ExecutorResult>;
}

/**
 * A failure of the executor. `infrastructure` means the agent never got to work (it could not be started,
 * the runner endpoint was unreachable or answered 5xx): only those are retried.
 */
export class ExecutorError extends Error {
  constructor(
    message: string,
    readonly infrastructure: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ExecutorError";
  }
}

/** Why the runner stopped an execution; the abort reason of ExecutionContext.signal. */
export class TaskStopped extends Error {
  constructor(readonly reason: "timeout" | "cancel" | "lost" | "shutdown") {
    super(`task stopped: ${reason}`);
    this.name = "TaskStopped";
  }
}

/** A shutdown stop leaves the task for recovery: keep what a resume needs (e.g. the checkout). */
export function stoppedForShutdown(signal: AbortSignal): boolean {
  return signal.aborted && signal.reason instanceof TaskStopped && signal.reason.reason === "shutdown";
}

export const restartedMessage = "The hub restarted while this task ran; ask again.";

export function isDispatched(result: ExecutorResult | Dispatched): result is Dispatched {
  return (result as Dispatched).dispatched === true;
}

/** Stands in where the configured executor cannot run (e.g. `command` on Workers): tasks fail and say why. */
export function unavailableExecutor(name: ExecutorName, reason: string): Executor {
  return {
    name,
    async run() {
      throw new ExecutorError(reason, false);
    },
  };
}

/**
 * What an executor needs to know about where a task runs: the repository, what the agent may reach on the
 * internet, which sandbox modes the requester's managed policy allows, and whether the requester may push.
 */
export interface TaskEnvironment {
  id: string;
  /** The environment's name, as refusals of the egress proxy name it. */
  name?: string;
  /** `owner/name` on GitHub. */
  repository: string;
  /** What the agent may reach: the environment's setting where the workspace and the requester allow it. */
  internet: InternetAccess;
  /** Why `internet` is off (the environment's setting, the workspace switch or the requester's role). */
  internetReason?: string;
  /** From the requester's managed policy (`allowed_sandbox_modes`); undefined when no policy applies. */
  allowedSandboxModes?: readonly (typeof SANDBOX_MODES)[number][];
  /**
   * The requester's managed policy, when one applies: it wins over the repository's Team Config
   * (executors/team-config.ts).
   */
  managedPolicy?: { name: string; requirements: Requirements };
  /** GitHub said the requester can write to the repository: a pull request may be opened for them. */
  canWrite: boolean;
  /** Why the requester may not write, when canWrite is false (said in the answer instead of opening a PR). */
  noWriteReason?: string;
}
