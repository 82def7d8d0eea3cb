import {
  agentActivityCreate,
  agentSessionUpdate,
  commentCreate,
  issueUpdate,
} from "../../clients/linear/calls";
import { type LinearRequest, OutboundError, type OutboundRequest } from "../../clients/types";
import type { BatchQuery } from "../../db/types";
import type { Deps } from "../../deps";
import { insertedRow, outboundQuery } from "../../outbox/enqueue";
import { deliverNow } from "../../outbox/worker";
import type { LinearActivityContent } from "../../replies/linear-activity";
import type { TaskOrigin } from "../../tasks/types";
import { linearObjectId, type OwnKind, ownObjectQuery, rememberOwn } from "./own-objects";

// Every call the Linear surface makes goes through the outbox under a fixed dedupe key, so a handler that runs
// again after a crash sends nothing twice. Objects the hub creates get ids of its own (own-objects.ts).

export interface LinearCall {
  request: LinearRequest;
  /** Without the `linear:` prefix, which is added here. */
  key: string;
  taskId?: string;
  own?: { kind: OwnKind; id: string };
}

/** `createAgentActivity` (https://linear.app/developers/agent-interaction#agent-activities). */
export async function activityCall(
  organizationId: string,
  sessionId: string,
  content: LinearActivityContent,
  key: string,
  taskId?: string,
): Promise<LinearCall> {
  const id = await linearObjectId(`activity:${key}`);
  return {
    request: agentActivityCreate({ organizationId }, { id, agentSessionId: sessionId, content }),
    key,
    taskId,
    own: { kind: "activity", id },
  };
}

/** `createComment`, as a reply in the thread of `parentId` when given. */
export async function commentCall(
  organizationId: string,
  issueId: string,
  parentId: string | null,
  body: string,
  key: string,
  taskId?: string,
): Promise<LinearCall> {
  const id = await linearObjectId(`comment:${key}`);
  return {
    request: commentCreate({ organizationId }, { id, issueId, body, parentId: parentId ?? undefined }),
    key,
    taskId,
    own: { kind: "comment", id },
  };
}

/** Points the agent session at the task page (`externalUrls`, which also keeps it from looking unresponsive). */
export function sessionUrlCall(
  organizationId: string,
  sessionId: string,
  url: string,
  taskId: string,
): LinearCall {
  return {
    request: agentSessionUpdate(
      { organizationId },
      {
        id: sessionId,
        input: { externalUrls: [{ label: "Codex task", url }] },
      },
    ),
    key: `session-url:${sessionId}:${taskId}`,
    taskId,
  };
}

export function issueStateCall(
  organizationId: string,
  issueId: string,
  stateId: string,
  key: string,
): LinearCall {
  return { request: issueUpdate({ organizationId }, { id: issueId, input: { stateId } }), key };
}

function queries(deps: Deps, c: LinearCall): BatchQuery[] {
  const own = c.own ? [ownObjectQuery(deps, c.own.kind, c.own.id)] : [];
  return [
    ...own,
    outboundQuery(deps, { request: c.request, dedupeKey: `linear:${c.key}`, taskId: c.taskId }),
  ];
}

/** Queues the calls (each once per key, ever) and wakes the outbox worker; returns how many were new. */
export async function queue(deps: Deps, ...calls: LinearCall[]): Promise<number> {
  if (calls.length === 0) return 0;
  const results = await deps.database.batch(calls.flatMap((c) => queries(deps, c)));
  const created = results.filter((r) => insertedRow(r)).length;
  if (created > 0) deps.wakeOutbox();
  return created;
}

/**
 * Queues a call and sends it right away (see `deliverNow`): Linear marks an agent session unresponsive unless
 * its first activity arrives within 10 seconds of `created`, so the acknowledgement goes out before anything
 * slow starts. "already": the same call was queued before (a redelivered event).
 */
export async function sendNow(
  deps: Deps,
  c: LinearCall,
  waitMs = 5_000,
): Promise<"sent" | "queued" | "already"> {
  const row = insertedRow((await deps.database.batch(queries(deps, c))).at(-1));
  return row ? deliverNow(deps, row.id, waitMs) : "already";
}

/**
 * A read from Linear, made now (the handler needs the answer). A transient failure is thrown so the event is
 * processed again later; a refusal (no such issue, no access) is answered with null and the handler goes on
 * with what the webhook said.
 */
export async function readLinear<T>(deps: Deps, request: LinearRequest): Promise<T | null> {
  try {
    return (await deps.clients.linear.send(request)) as T;
  } catch (error) {
    if (error instanceof OutboundError && error.retryable) throw error;
    deps.logger.info(
      { operation: request.operation, error: (error as Error).message },
      "Linear read refused",
    );
    return null;
  }
}

/**
 * A task's message where it was asked: an activity in its agent session, or a reply to the comment that asked
 * on its issue; none when it has neither. Its id is ours, from `key`, and remembered before sending, so the
 * webhook about it is known as ours and a repeated call names the same object. The caller queues the call.
 */
export async function messageWhereAsked(
  deps: Deps,
  origin: Extract<TaskOrigin, { surface: "linear" }>,
  key: string,
  message: { activity: () => LinearActivityContent; comment: () => string },
): Promise<OutboundRequest[]> {
  const id = await linearObjectId(key);
  const target = { organizationId: origin.organizationId };
  if (origin.agentSessionId) {
    await rememberOwn(deps, "activity", id);
    return [
      agentActivityCreate(target, { id, agentSessionId: origin.agentSessionId, content: message.activity() }),
    ];
  }
  if (!origin.issueId) return [];
  await rememberOwn(deps, "comment", id);
  const parentId = origin.commentId ?? undefined;
  return [commentCreate(target, { id, issueId: origin.issueId, body: message.comment(), parentId })];
}
