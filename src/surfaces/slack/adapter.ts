import type { SurfaceAdapter } from "../../deps";
import type { Delivery, StepResult } from "../../inbox/types";
import type { SlackEvent } from "../../ingress/events";
import { createBoltApp } from "./bolt-app";
import { listen } from "./listeners";
import { queuedInSlack } from "./queued";
import { replyInSlack } from "./reply";
import { slackProgress, slackSent, slackSettleCalls } from "./task-status";

/**
 * The Slack surface: one Bolt App per hub, whose listeners (listeners.ts) turn `@Codex` mentions (and replies
 * in threads Codex was mentioned in) into tasks, administer the workspace with `/codex`, and act on the
 * buttons the hub posts; a task's status message and reaction follow it to its end (task-status.ts).
 */
export function createSlackSurface(): SurfaceAdapter {
  const bolt = createBoltApp(listen);
  return {
    async receive(deps, delivery) {
      const slack = delivery as Delivery<SlackEvent>;
      return (await bolt.dispatch(deps, slack)) ?? unanswered(slack.event);
    },
    reply: replyInSlack,
    progress: slackProgress,
    settle: slackSettleCalls,
    sent: slackSent,
    queued: queuedInSlack,
  };
}

/** When no listener took a delivery: every mention and command has one, so this is what Bolt left out. */
function unanswered(event: SlackEvent): StepResult {
  switch (event.kind) {
    case "mention":
      // Bolt's ignoreSelf: the app's own bot user wrote it.
      return { outcome: "ignored: written by a bot" };
    case "interaction":
      return { outcome: "ignored: not a Codex button" };
    case "slash_command":
      return { outcome: `ignored: ${event.command} is not a command of this app` };
  }
}
