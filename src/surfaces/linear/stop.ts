import type { InboxRow } from "../../db/schema/inbox";
import type { Deps } from "../../deps";
import type { StepResult } from "../../inbox/types";
import { cancelledSince, loadStopContext } from "./context";
import { halt, sayStopped } from "./effects";
import type { SessionEvent } from "./listeners";
import { confirmStop, planStop } from "./plan";
import { updateSession } from "./store";

// Linear's stop signal (https://linear.app/developers/agent-signals): the person pressed "stop" on the agent
// session. Linear asks the agent to halt at once, do nothing further, and end with one `response` or `error`
// that says it stopped. So a stop never starts work (not even the usual acknowledgement), cancels whatever the
// session has queued or running, and is confirmed by exactly one final activity: the cancelled task's own
// reply (notify/finish.ts), or, when nothing was running, a response saying so.

/** Handles a `prompted` event carrying the stop signal; idempotent per inbox row like the rest of the surface. */
export async function stopSession(deps: Deps, event: SessionEvent, row: InboxRow): Promise<StepResult> {
  const plan = planStop(event, await loadStopContext(deps, event));
  if (plan.kind === "idle") {
    await sayStopped(deps, event, row, plan.say);
    return { outcome: plan.outcome };
  }
  // The halt comes first; the session's own bookkeeping after it.
  const cancelled = await halt(deps, plan);
  await updateSession(deps, event.sessionId, { state: "closed", pending: null });
  const confirmation = confirmStop(plan, {
    cancelled,
    cancelledSinceStop: await cancelledSince(deps, plan.workspaceId, event.sessionId, row.receivedAt),
  });
  if (confirmation.say) await sayStopped(deps, event, row, confirmation.say);
  return { outcome: confirmation.outcome };
}
