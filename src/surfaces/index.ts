import type { SurfaceHandlers } from "../pipeline/step";
import { githubSurface } from "./github/index";
import { linearSurface } from "./linear/index";
import { slackSurface } from "./slack/index";

/**
 * Each platform's surface handler: what the hub does with a normalized event from Slack, GitHub or Linear
 * (resolve the workspace and member, check access, start a task or answer). One line per platform.
 */
export const surfaceHandlers: SurfaceHandlers = {
  github: githubSurface,
  linear: linearSurface,
  slack: slackSurface,
};
