import type { SurfaceAdapter } from "../../deps";
import type { SlackEvent } from "../../ingress/events";
import { handleCommand } from "./commands/index";
import { handleInteraction } from "./interactions";
import { handleMention } from "./mention";
import { replyInSlack } from "./reply";

/**
 * The Slack surface: `@Codex` mentions (and replies in threads Codex was mentioned in) become tasks, `/codex`
 * administers the workspace, and buttons pick environments, confirm writes and cancel tasks.
 */
export function createSlackSurface(): SurfaceAdapter {
  return {
    async receive(deps, { event, row }) {
      const slack = event as SlackEvent;
      switch (slack.kind) {
        case "mention":
          return handleMention(deps, slack, row);
        case "slash_command":
          return handleCommand(deps, slack, row);
        case "interaction":
          return handleInteraction(deps, slack, row);
      }
    },
    reply: replyInSlack,
  };
}
