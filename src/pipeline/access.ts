import { decide } from "../access/decide";
import type { AccessRequest, Decision } from "../access/types";
import type { Deps } from "../deps";
import { auditQuery, recordAudit } from "../governance/audit";
import { getSnapshot } from "../workspace/snapshot";

export interface RecordedDecision extends Decision {
  /** Audit id: `/codex explain <id>` and `GET /api/v1/decisions/{id}` read it back. */
  decisionId: string;
}

/**
 * The one access check every surface makes on live traffic: decide on the workspace's cached snapshot, then
 * store the decision (allowed or not, with its ordered trace) so "why did this happen?" has an answer.
 */
export async function decideAndRecord(
  deps: Deps,
  input: { workspaceId: string; request: AccessRequest; actorLabel: string; target?: string },
): Promise<RecordedDecision> {
  const snapshot = await getSnapshot(deps, input.workspaceId);
  const decision = decide(input.request, snapshot);
  return recordDecision(deps, { ...input, decision });
}

/**
 * Stores a decision already made (allowed or not, with its ordered trace) and logs a denial; the surfaces that
 * decide on their event's own snapshot record through here, as `decideAndRecord` does.
 */
export async function recordDecision(
  deps: Deps,
  input: {
    workspaceId: string;
    request: AccessRequest;
    decision: Decision;
    actorLabel: string;
    target?: string;
  },
): Promise<RecordedDecision> {
  const { workspaceId, request, decision } = input;
  const entry = {
    workspaceId,
    actor: input.actorLabel,
    action: `decision.${request.action}`,
    target: input.target,
    decision,
    request,
  };
  let decisionId: string;
  if (deps.stepScope) {
    // Made while processing a stored delivery: the record lands with the delivery's completion.
    const record = auditQuery(deps, entry);
    deps.stepScope.writes.push(...record.queries);
    decisionId = record.id;
  } else {
    decisionId = await recordAudit(deps, entry);
  }
  if (!decision.allowed) {
    deps.logger.info(
      { workspaceId, action: request.action, code: decision.code, decisionId },
      "access denied",
    );
  }
  return { ...decision, decisionId };
}
