import type { BatchQuery } from "../db/types";
import type { Platform } from "../ingress/events";

/** GitHub App permission levels, as `POST /app/installations/{id}/access_tokens` takes them. */
export type GitHubPermissions = Record<string, "read" | "write">;

/** Which Slack team a call is for (its bot token posts it); none: the configured SLACK_BOT_TOKEN. */
export interface SlackTarget {
  teamId?: string;
  enterpriseId?: string;
}

/** The installation whose token makes the call, narrowed to one repository and the permissions it needs. */
export interface GitHubTarget {
  installationId: number;
  /** `owner/name`; also fills `{owner}` and `{repo}` in the route. */
  repository: string;
  /** When the route's default (by the resource it touches) is not what the call needs. */
  permissions?: GitHubPermissions;
}

/** Which Linear organization a call is for (its OAuth token makes it); none: LINEAR_API_KEY. */
export interface LinearTarget {
  organizationId?: string;
}

interface Call<P extends Platform, T> {
  platform: P;
  /** The platform's own name for the call: `chat.postMessage`, `POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews`, `agentActivityCreate`. */
  operation: string;
  /** Who the call is made as. Stored with the call in the outbox, so a retry goes to the same place. */
  target?: T;
  args: Record<string, unknown>;
}

/** One call to a platform API, as stored in the outbox and shown on the sandbox page. */
export type OutboundRequest =
  | Call<"slack", SlackTarget>
  | Call<"github", GitHubTarget>
  | Call<"linear", LinearTarget>;

export type SlackRequest = Extract<OutboundRequest, { platform: "slack" }>;
export type GitHubRequest = Extract<OutboundRequest, { platform: "github" }>;
export type LinearRequest = Extract<OutboundRequest, { platform: "linear" }>;

/** Thrown by clients; the outbox decides from it whether and when to try again. */
export class OutboundError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "OutboundError";
  }
}

export interface SendOptions {
  /**
   * Takes the write that records the call, for a client that keeps such a record (the sandbox), instead of
   * the client committing it alone: the outbox lands it in the commit that marks the call sent.
   */
  record?(write: BatchQuery): void;
}

export interface PlatformClient {
  /** Performs the call and returns the platform's answer; throws OutboundError on failure. */
  send(request: OutboundRequest, options?: SendOptions): Promise<unknown>;
}

export type Clients = Record<Platform, PlatformClient>;
