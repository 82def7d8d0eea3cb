import type { LinearEvent } from "../../ingress/events";
import type { SurfaceHandler } from "../../pipeline/step";
import { addProgressListener } from "../../tasks/progress-listeners";
import { onComment } from "./comments";
import { onDelegation } from "./delegation";
import { linearProgress } from "./progress";
import { onAgentSession } from "./sessions";

// The Linear surface: agent sessions (mentions and delegations of an app installation), delegation webhooks
// (moving the issue, and for LINEAR_API_KEY organizations starting the work) and plain comment mentions. Each
// handler is idempotent per inbox row: tasks are keyed `inbox:<row id>`, every Linear call has a fixed dedupe key.

// Executor progress becomes activities in the agent session that asked, for every hub that loads this surface.
addProgressListener(linearProgress);

export const linearSurface: SurfaceHandler<LinearEvent> = async (deps, event, row) => {
  switch (event.kind) {
    case "agent_session":
      return onAgentSession(deps, event, row);
    case "issue_delegated":
      return onDelegation(deps, event, row);
    case "comment":
      return onComment(deps, event, row);
  }
};
