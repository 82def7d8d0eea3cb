import type { OutboundRequest } from "../clients/types";
import type { Deps } from "../deps";
import type { Task } from "../tasks/types";

/**
 * Builds the GitHub calls that publish a finished review task (e.g. one `POST .../pulls/{n}/reviews` with its
 * inline findings, after reading the PR's files to anchor them). It may read from GitHub but must not write:
 * what it returns is queued in the outbox under `reply:<taskId>` (first call) and `reply:<taskId>:<n>` (the
 * rest), so a second completion of the same task sends nothing twice.
 */
export type ReviewPublisher = (
  deps: Deps,
  task: Task,
  context: { taskUrl: string },
) => Promise<OutboundRequest[]>;
