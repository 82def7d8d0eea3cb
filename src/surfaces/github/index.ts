import type { GitHubEvent } from "../../ingress/events";
import type { SurfaceHandler } from "../../pipeline/step";
import { handleComment } from "./comments";
import { handleInstallation } from "./installations";
import { handlePullRequest } from "./pull-request";

export { publishReview } from "./publisher";

/**
 * The GitHub surface: App installations keep the repository registry, pull request events start automatic
 * reviews by the repository's settings, and `@codex` comments ask for reviews and tasks.
 */
export const githubSurface: SurfaceHandler<GitHubEvent> = async (deps, event) => {
  switch (event.kind) {
    case "installation":
      return handleInstallation(deps, event);
    case "pull_request":
      return handlePullRequest(deps, event);
    case "comment":
      return handleComment(deps, event);
  }
};
