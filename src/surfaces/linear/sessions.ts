import type { Deps } from "../../deps";
import type { StepResult } from "../../inbox/types";
import { loadOwnActivity, loadSessionContext } from "./context";
import { acknowledge, askAgain, runInSession, sayNotLinked } from "./effects";
import type { LinearDelivery } from "./listeners";
import { openSession, planSession } from "./plan";
import { prepareRun } from "./prepare";
import { stopSession } from "./stop";

// Linear agent sessions (https://linear.app/developers/agent-interaction): `created` when someone mentions or
// delegates to Codex, `prompted` for each follow-up in the session. The first thing a `created` event gets is
// a thought, sent before any slow work, since Linear shows the session as unresponsive after 10 seconds. A
// `prompted` event carrying Linear's stop signal halts the session instead (stop.ts).

export async function onAgentSessionEvent(
  deps: Deps,
  { event, row }: LinearDelivery<"AgentSessionEvent">,
): Promise<StepResult> {
  const opening = openSession(event, row.id, await loadOwnActivity(deps, event));
  if (opening.kind === "ignore") return { outcome: opening.outcome };
  // Before the acknowledgement: after a stop, Linear wants nothing from the agent but the final activity.
  if (opening.kind === "stop") return stopSession(deps, event, row);
  // First, before anything that may be slow (Linear reads, GitHub checks, cloning in the runner).
  await acknowledge(deps, event, opening);

  const ctx = await loadSessionContext(deps, event);
  const plan = planSession(event, ctx);
  switch (plan.kind) {
    case "unlinked":
      return sayNotLinked(deps, event, row, plan);
    case "ask-again":
      return askAgain(deps, event, row, plan);
    case "run": {
      const { request } = plan;
      const prepared = await prepareRun(deps, {
        workspaceId: plan.workspaceId,
        snapshot: ctx.linked ? ctx.snapshot : null,
        linearUserId: event.creatorId,
        teamId: request.teamId,
        want: { text: request.text, labels: request.labels, environmentId: plan.environmentId },
        target: `linear:session:${event.sessionId}`,
      });
      return runInSession(deps, event, row, plan, prepared);
    }
  }
}
