import type { SurfaceAdapter } from "../../deps";
import type { GitHubEvent } from "../../ingress/events";
import { handleComment } from "./comments";
import { handleInstallation } from "./installations";
import { handlePullRequest } from "./pull-request";
import { queuedOnGitHub } from "./queued";
import { replyOnGitHub } from "./reply";

/**
 * The GitHub surface: App installations keep the repository registry, pull request events start automatic
 * reviews by the repository's settings, and `@codex` comments ask for reviews and tasks.
 */
export function createGitHubSurface(): SurfaceAdapter {
  return {
    async receive(deps, { event }) {
      const github = event as GitHubEvent;
      switch (github.kind) {
        case "installation":
          return handleInstallation(deps, github);
        case "pull_request":
          return handlePullRequest(deps, github);
        case "comment":
          return handleComment(deps, github);
      }
    },
    reply: replyOnGitHub,
    queued: queuedOnGitHub,
  };
}
