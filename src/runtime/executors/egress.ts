import type { Deps } from "../../deps";
import type { ExecutionContext, Executor } from "../../tasks/executors/types";
import { networkRefusalRecorder } from "../../tasks/network-refusals";
import type { Task } from "../../tasks/types";
import type { EgressProxy } from "../egress-proxy";

/**
 * An executor whose tasks hold egress proxy credentials while they run: the task's effective internet access
 * (the environment's allowlist where the workspace and the requester allow it; nothing otherwise) is what the
 * proxy lets through, and its refusals go to the task's progress and the audit log. The wrapped executor reads
 * the proxy variables with `proxy.envFor(task.id)`.
 */
export function withEgressProxy(executor: Executor, proxy: EgressProxy, getDeps: () => Deps): Executor {
  async function holding<T>(task: Task, context: ExecutionContext, work: () => Promise<T>): Promise<T> {
    const environment = context.environment;
    const refusals = networkRefusalRecorder(getDeps(), task, environment, (event) =>
      context.onProgress(event),
    );
    const session = proxy.open({
      taskId: task.id,
      internet: environment?.internet ?? { mode: "off" },
      scope: {
        environment: environment ? { id: environment.id, name: environment.name } : null,
        offReason: environment?.internetReason,
      },
      onRefusal: refusals.record,
    });
    try {
      return await work();
    } finally {
      session.close();
      await refusals.settled();
    }
  }
  return {
    name: executor.name,
    run: (task, context) => holding(task, context, () => executor.run(task, context)),
    ...(executor.resume
      ? {
          resume: (task, state, context) =>
            holding(task, context, () => executor.resume!(task, state, context)),
        }
      : {}),
  };
}
