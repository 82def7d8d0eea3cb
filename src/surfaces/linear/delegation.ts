import type { Deps } from "../../deps";
import type { StepResult } from "../../inbox/types";
import { startInThread } from "./comments";
import { loadDelegationContext } from "./context";
import { moveIssue } from "./effects";
import type { LinearDelivery } from "./listeners";
import { planDelegation } from "./plan";

// An issue delegated (or assigned) to Codex: it moves to the team's first `started` state when it is not
// started yet (https://linear.app/developers/agent-best-practices), then the work starts. For an app
// installation Linear also opens an agent session for the delegation, which carries the work (one task, with
// progress in the session); an organization reached with LINEAR_API_KEY has no sessions, so the task starts
// here and answers with a comment on the issue. Other issue updates never get here (ingress/linear/normalize.ts).

export async function onIssueUpdate(
  deps: Deps,
  { event, row }: LinearDelivery<"Issue">,
): Promise<StepResult> {
  const ctx = await loadDelegationContext(deps, event);
  const plan = planDelegation(event, ctx);
  if (plan.kind === "ignore") return { outcome: plan.outcome };
  const moves = plan.move ? [await moveIssue(deps, event.organizationId, row, plan.move)] : [];
  if (plan.work.kind === "session") {
    return { outcome: [...moves, "its agent session carries the work"].join("; ") };
  }
  const { reply, prompt, target } = plan.work;
  const result = await startInThread(deps, row, {
    reply,
    prompt,
    target,
    workspaceId: plan.workspaceId,
    linearUserId: event.actorId,
    issue: ctx.issue,
  });
  return { ...result, outcome: [...moves, result.outcome].join("; ") };
}
