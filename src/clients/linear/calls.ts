import type { LinearDocument as L } from "@linear/sdk";
import type { LinearActivityContent } from "../../replies/linear-activity";
import type { LinearRequest, LinearTarget } from "../types";

// One builder per call the hub makes to Linear's GraphQL API (https://linear.app/developers/graphql), by the
// operation names client.ts performs. Each names the organization whose OAuth token makes the call as the
// request's `target`, which the outbox stores next to the args, so a retry goes out with the same token.

export type LinearOperation =
  | "agentActivityCreate"
  | "commentCreate"
  | "agentSessionUpdate"
  | "issueUpdate"
  | "user"
  | "issue"
  | "teamStates"
  | "viewer";

const request = (
  operation: LinearOperation,
  target: LinearTarget,
  args: Record<string, unknown>,
): LinearRequest => ({ platform: "linear", operation, target, args });

/** The hub's own UUID v4 for an object it creates (surfaces/linear/own-objects.ts): a retry names the same one. */
type OwnId = { id: string };

/** `createAgentActivity` (https://linear.app/developers/agent-interaction#agent-activities). */
export function agentActivityCreate(
  target: LinearTarget,
  args: OwnId & Pick<L.AgentActivityCreateInput, "agentSessionId"> & { content: LinearActivityContent },
): LinearRequest {
  return request("agentActivityCreate", target, args);
}

/** `createComment`, a reply in the thread of `parentId` when given (threads are one level deep). */
export function commentCreate(
  target: LinearTarget,
  args: OwnId & Pick<L.CommentCreateInput, "issueId" | "body"> & { parentId?: string },
): LinearRequest {
  const { parentId, ...rest } = args;
  return request("commentCreate", target, { ...rest, ...(parentId ? { parentId } : {}) });
}

/** `updateAgentSession`, e.g. its `externalUrls`. */
export function agentSessionUpdate(
  target: LinearTarget,
  args: { id: string; input: Pick<L.AgentSessionUpdateInput, "externalUrls"> },
): LinearRequest {
  return request("agentSessionUpdate", target, args);
}

/** `updateIssue`, e.g. its workflow state. */
export function issueUpdate(
  target: LinearTarget,
  args: { id: string; input: Pick<L.IssueUpdateInput, "stateId"> },
): LinearRequest {
  return request("issueUpdate", target, args);
}

/** A user's name and email (identity links by email). */
export function userQuery(target: LinearTarget, args: { id: string }): LinearRequest {
  return request("user", target, args);
}

/** An issue with its team, workflow state and labels. */
export function issueQuery(target: LinearTarget, args: { id: string }): LinearRequest {
  return request("issue", target, args);
}

/** A team's workflow states. */
export function teamStatesQuery(target: LinearTarget, args: { teamId: string }): LinearRequest {
  return request("teamStates", target, args);
}

/** Who the token speaks as, and for which organization. */
export function viewerQuery(target: LinearTarget): LinearRequest {
  return request("viewer", target, {});
}
