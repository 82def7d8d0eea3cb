import { issueQuery, teamStatesQuery } from "../../clients/linear/calls";
import type { Deps } from "../../deps";
import { readLinear } from "./outbound";

// The issue a request is about, read from Linear once per event (the webhook carries no labels or state), and
// its team's workflow states, for moving a delegated issue to the first `started` one
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

export interface TeamState {
  id: string;
  name: string;
  type: string;
  position: number;
}

export async function readIssue(
  deps: Deps,
  organizationId: string,
  issueId: string,
): Promise<IssueDetails | null> {
  return readLinear<IssueDetails>(deps, issueQuery({ organizationId }, { id: issueId }));
}

/** The team's workflow states; none when Linear refuses to say. */
export async function readTeamStates(
  deps: Deps,
  organizationId: string,
  teamId: string,
): Promise<TeamState[]> {
  const answer = await readLinear<{ states: TeamState[] }>(
    deps,
    teamStatesQuery({ organizationId }, { teamId }),
  );
  return answer?.states ?? [];
}
