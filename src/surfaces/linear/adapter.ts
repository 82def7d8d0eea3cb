import type { SurfaceAdapter } from "../../deps";
import { onComment } from "./comments";
import { onIssueUpdate } from "./delegation";
import { createLinearListeners } from "./listeners";
import { linearProgress } from "./progress";
import { queuedInLinear } from "./queued";
import { replyInLinear } from "./reply";
import { onAgentSessionEvent } from "./sessions";

// The Linear surface: agent sessions (mentions and delegations of an app installation), delegation webhooks
// (moving the issue, and for LINEAR_API_KEY organizations starting the work) and plain comment mentions. Each
// listener is idempotent per inbox row: tasks are keyed `inbox:<row id>`, every Linear call has a fixed
// dedupe key.
export function createLinearSurface(): SurfaceAdapter {
  const listeners = createLinearListeners()
    .on("AgentSessionEvent", onAgentSessionEvent)
    .on("Issue", onIssueUpdate)
    .on("Comment", onComment);
  return {
    receive: listeners.dispatch,
    reply: replyInLinear,
    queued: queuedInLinear,
    // Executor progress becomes activities in the agent session that asked.
    progress: linearProgress,
  };
}
