import type { Platform } from "../ingress/events";

/** One call to a platform API, as stored in the outbox and shown on the sandbox page. */
export interface OutboundRequest {
  platform: Platform;
  /** The platform's own name for the call: `chat.postMessage`, `POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews`, `agentActivityCreate`. */
  operation: string;
  args: Record<string, unknown>;
}

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

export interface PlatformClient {
  /** Performs the call and returns the platform's answer; throws OutboundError on failure. */
  send(request: OutboundRequest): Promise<unknown>;
}

export type Clients = Record<Platform, PlatformClient>;
