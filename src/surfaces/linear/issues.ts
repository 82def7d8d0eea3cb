import type { Deps } from "../../deps";
import { issueStateCall, type LinearCall, readLinear } from "./outbound";

// The issue a request is about, read from Linear once per event (the webhook carries no labels or state), and
// moving a delegated issue to its team's first `started` state
// (https://linear.app/developers/agent-best-practices).

export interface IssueDetails {
  id: string;
  identifier: string;
  title: string;
  description: string | null;
  url: string;
  teamId: string | null;
  stateId: string | null;
  /** Workflow state type: triage, backlog, unstarted, started, completed, canceled. */
  stateType: string | null;
  labels: string[];
}

export async function readIssue(
  deps: Deps,
  organizationId: string,
  issueId: string,
): Promise<IssueDetails | null> {
  return readLinear<IssueDetails>(deps, organizationId, "issue", { id: issueId });
}

/** A task title: the issue's identifier and title, else the first line of the request. */
export function requestTitle(
  issue: Pick<IssueDetails, "identifier" | "title"> | null,
  fromEvent: { identifier: string | null; title: string | null } | null,
  prompt: string | null,
): string {
  const identifier = issue?.identifier ?? fromEvent?.identifier;
  const title = issue?.title ?? fromEvent?.title;
  if (title) return identifier ? `${identifier} ${title}` : title;
  return prompt?.split("\n")[0]?.trim() || "Linear request";
}

/** Types past which an agent must not move an issue back. */
const SETTLED = new Set(["started", "completed", "canceled"]);

interface TeamStates {
  states: { id: string; name: string; type: string; position: number }[];
}

/**
 * The call moving the issue to its team's first `started` state (lowest position), or null when the issue is
 * already started, done or cancelled, or its team has no started state.
 */
export async function startIssueCall(
  deps: Deps,
  organizationId: string,
  issue: IssueDetails,
  key: string,
): Promise<{ call: LinearCall; stateName: string } | null> {
  if (!issue.teamId || (issue.stateType && SETTLED.has(issue.stateType))) return null;
  const answer = await readLinear<TeamStates>(deps, organizationId, "teamStates", { teamId: issue.teamId });
  const first = (answer?.states ?? [])
    .filter((s) => s.type === "started")
    .sort((a, b) => a.position - b.position)[0];
  if (!first || first.id === issue.stateId) return null;
  return { call: issueStateCall(organizationId, issue.id, first.id, key), stateName: first.name };
}
