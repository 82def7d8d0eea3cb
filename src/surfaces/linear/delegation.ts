import type { InboxRow } from "../../db/schema/inbox";
import type { Deps } from "../../deps";
import type { StepResult } from "../../inbox/processor";
import type { LinearEvent } from "../../ingress/events";
import { findWorkspaceByLink } from "../../workspace/workspaces";
import { startFromComment } from "./comments";
import { readIssue, startIssueCall } from "./issues";
import { queue } from "./outbound";
import { hubUserId, usesAgentSessions } from "./store";

// An issue delegated (or assigned) to Codex: it moves to the team's first `started` state when it is not
// started yet (https://linear.app/developers/agent-best-practices), then the work starts. For an app
// installation Linear also opens an agent session for the delegation, which carries the work (one task, with
// progress in the session); an organization reached with LINEAR_API_KEY has no sessions, so the task starts
// here and answers with a comment on the issue.

type DelegationEvent = Extract<LinearEvent, { kind: "issue_delegated" }>;

export async function onDelegation(deps: Deps, event: DelegationEvent, row: InboxRow): Promise<StepResult> {
  const org = event.organizationId;
  const workspace = await findWorkspaceByLink(deps, "linear_org", org);
  if (!workspace) return { outcome: `ignored: Linear organization ${org} is not linked to a workspace` };
  const ours = await hubUserId(deps, org, workspace.id);
  if (!ours) return { outcome: "ignored: Linear did not say which user Codex is" };
  if (event.delegateId !== ours && event.assigneeId !== ours) {
    return { outcome: "ignored: the issue is delegated to someone else" };
  }
  if (event.actorId === ours) return { outcome: "ignored: Codex changed the issue itself" };

  const issue = await readIssue(deps, org, event.issueId);
  const moves: string[] = [];
  if (issue) {
    const start = await startIssueCall(deps, org, issue, `issue-state:${row.id}`);
    if (start) {
      await queue(deps, start.call);
      moves.push(`moved ${issue.identifier} to ${start.stateName}`);
    }
  }
  if (await usesAgentSessions(deps, org)) {
    return { outcome: [...moves, "its agent session carries the work"].join("; ") };
  }
  const ref = issue ? `${issue.identifier}: ${issue.title}` : event.issueId;
  const prompt = `Work on the Linear issue ${ref}.${issue?.description ? `\n\n${issue.description}` : ""}`;
  const result = await startFromComment(deps, {
    row,
    workspaceId: workspace.id,
    linearUserId: event.actorId,
    reply: { organizationId: org, issueId: event.issueId, threadId: null },
    issue,
    prompt,
    text: prompt,
    target: `linear:issue:${event.issueId}`,
  });
  return { ...result, outcome: [...moves, result.outcome].join("; ") };
}
