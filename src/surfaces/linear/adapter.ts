import type { SurfaceAdapter } from "../../deps";
import type { LinearEvent } from "../../ingress/events";
import { onComment } from "./comments";
import { onDelegation } from "./delegation";
import { linearProgress } from "./progress";
import { replyInLinear } from "./reply";
import { onAgentSession } from "./sessions";

// The Linear surface: agent sessions (mentions and delegations of an app installation), delegation webhooks
// (moving the issue, and for LINEAR_API_KEY organizations starting the work) and plain comment mentions. Each
// handler is idempotent per inbox row: tasks are keyed `inbox:<row id>`, every Linear call has a fixed dedupe key.
export function createLinearSurface(): SurfaceAdapter {
  return {
    async receive(deps, { event, row }) {
      const linear = event as LinearEvent;
      switch (linear.kind) {
        case "agent_session":
          return onAgentSession(deps, linear, row);
        case "issue_delegated":
          return onDelegation(deps, linear, row);
        case "comment":
          return onComment(deps, linear, row);
      }
    },
    reply: replyInLinear,
    // Executor progress becomes activities in the agent session that asked.
    progress: linearProgress,
  };
}
