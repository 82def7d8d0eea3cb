import type { EgressRefusal } from "../access/internet";
import type { Deps } from "../deps";
import { recordAudit } from "../governance/audit";
import type { ProgressUpdate, TaskEnvironment } from "./executors/types";
import type { Task } from "./types";

// Where the egress proxy's refusals go: the task's progress (type `network`, so the person who asked sees why
// a download failed) and the audit log (`network.refused`, for admins and the compliance trail). An agent
// retrying the same request would flood both, so each distinct refusal is recorded once per task, and at most
// `maxDistinct` of them.

const maxDistinct = 20;

export function networkRefusalRecorder(
  deps: Pick<Deps, "database" | "clock" | "logger">,
  task: Pick<Task, "id" | "workspaceId" | "requesterMemberId">,
  environment: TaskEnvironment | undefined,
  onProgress: (event: ProgressUpdate) => void,
): { record(refusal: EgressRefusal): void; settled(): Promise<void> } {
  const seen = new Set<string>();
  let capped = false;
  let audits: Promise<unknown> = Promise.resolve();
  const record = (refusal: EgressRefusal) => {
    const key = `${refusal.kind} ${refusal.method} ${refusal.host}:${refusal.port}`;
    if (seen.has(key)) return;
    if (seen.size >= maxDistinct) {
      if (!capped) {
        capped = true;
        onProgress({
          type: "network",
          text: `More than ${maxDistinct} different requests were refused; further refusals are not listed.`,
        });
      }
      return;
    }
    seen.add(key);
    onProgress({
      type: "network",
      text: `Refused ${refusal.method} ${refusal.host}:${refusal.port}: ${refusal.message}`,
    });
    const audit = recordAudit(deps, {
      workspaceId: task.workspaceId,
      actor: `task:${task.id}`,
      action: "network.refused",
      target: refusal.host,
      after: {
        taskId: task.id,
        requesterMemberId: task.requesterMemberId,
        environmentId: environment?.id ?? null,
        kind: refusal.kind,
        method: refusal.method,
        host: refusal.host,
        port: refusal.port,
        message: refusal.message,
      },
    }).catch((error: Error) =>
      deps.logger.warn({ taskId: task.id, error: error.message }, "an egress refusal was not audited"),
    );
    audits = Promise.all([audits, audit]);
  };
  /** Resolves once every refusal recorded so far is in the audit log. */
  const settled = async () => {
    await audits;
  };
  return { record, settled };
}
