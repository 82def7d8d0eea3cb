import type { Dispatched, ExecutionContext, Executor, ExecutorResult } from "../../src/tasks/executors/types";
import type { NewTask, Task } from "../../src/tasks/types";

// Tasks as the runner tests start them, an executor whose every move the test decides, and ways to wait for
// what runs in the background.

let counter = 0;

export function newTask(overrides: Partial<NewTask> = {}): NewTask {
  counter += 1;
  return {
    workspaceId: "ws_test",
    requesterMemberId: "mem_alice",
    origin: { surface: "api" },
    environmentId: null,
    kind: "task",
    title: `Task ${counter}`,
    prompt: `Please do thing number ${counter}`,
    context: {},
    dedupeKey: `test:${counter}:${Math.random()}`,
    ...overrides,
  };
}

type Behaviour = (task: Task, context: ExecutionContext) => Promise<ExecutorResult | Dispatched>;

/** An executor whose behaviour the test decides; it remembers every run and resume. */
export function fakeExecutor(
  behaviour: Behaviour,
  extra: { name?: Executor["name"]; resume?: Executor["resume"] } = {},
) {
  const runs: string[] = [];
  const resumes: string[] = [];
  const executor: Executor = {
    name: extra.name ?? "command",
    async run(task, context) {
      runs.push(task.id);
      return behaviour(task, context);
    },
    ...(extra.resume
      ? {
          async resume(task, state, context) {
            resumes.push(task.id);
            return extra.resume!(task, state, context);
          },
        }
      : {}),
  };
  return { executor, runs, resumes };
}

/** Resolves when the signal aborts, then throws like a stopped agent does. */
export function untilAborted(context: ExecutionContext): Promise<never> {
  return new Promise((_, reject) => {
    const stop = () => reject(new Error("stopped"));
    if (context.signal.aborted) stop();
    else context.signal.addEventListener("abort", stop, { once: true });
  });
}

export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 10));
  }
}
