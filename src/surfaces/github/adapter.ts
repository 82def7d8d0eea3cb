import type { SurfaceAdapter } from "../../deps";
import { listen } from "./listeners";
import { prepareReviewTask } from "./prepare";
import { queuedOnGitHub } from "./queued";
import { replyOnGitHub } from "./reply";
import { githubSent, githubSettleCalls, startCheck } from "./task-status";
import { createGitHubWebhooks } from "./webhooks";

/**
 * The GitHub surface: one @octokit/webhooks event handler per hub, whose listeners (listeners.ts) keep the
 * repository registry from App installations, start automatic reviews from pull request events by the
 * repository's settings, and answer `@codex` comments with reviews and tasks; a review's check run and a
 * task's reaction follow it to its end (task-status.ts).
 */
export function createGitHubSurface(): SurfaceAdapter {
  const github = createGitHubWebhooks(listen);
  return {
    async receive(deps, delivery) {
      // Every event and action ingress keeps has a listener; this is for an action GitHub added since.
      return (await github.dispatch(deps, delivery)) ?? { outcome: "ignored: nothing for the hub to do" };
    },
    prepare: prepareReviewTask,
    reply: replyOnGitHub,
    queued: queuedOnGitHub,
    started: startCheck,
    settle: githubSettleCalls,
    sent: githubSent,
  };
}
