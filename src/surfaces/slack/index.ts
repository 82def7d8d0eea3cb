import type { SlackEvent } from "../../ingress/events";
import type { SurfaceHandler } from "../../pipeline/step";
import { handleCommand } from "./commands/index";
import { handleInteraction } from "./interactions";
import { handleMention } from "./mention";

/**
 * The Slack surface: `@Codex` mentions (and replies in threads Codex was mentioned in) become tasks, `/codex`
 * administers the workspace, and buttons pick environments, confirm writes and cancel tasks.
 */
export const slackSurface: SurfaceHandler<SlackEvent> = async (deps, event, row) => {
  switch (event.kind) {
    case "mention":
      return handleMention(deps, event, row);
    case "slash_command":
      return handleCommand(deps, event, row);
    case "interaction":
      return handleInteraction(deps, event, row);
  }
};
