import {
  ErrorCode,
  LogLevel,
  type WebAPIHTTPError,
  type WebAPIPlatformError,
  type WebAPIRateLimitedError,
  WebClient,
} from "@slack/web-api";
import { OutboundError, type PlatformClient } from "./types";

export interface SlackClientOptions {
  botToken: string;
  /** SLACK_API_URL, ending in `/` (a local fake in tests, Slack otherwise). */
  apiUrl: string;
  /** Per-call timeout; a timed-out call is retried by the outbox. */
  timeoutMs?: number;
}

/** Platform errors that say "try again later" rather than "this call is wrong". */
const TRANSIENT_ERRORS = new Set([
  "ratelimited",
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
]);

/** Platform errors that mean the call's effect is already there. https://api.slack.com/methods/reactions.add */
const ALREADY_DONE = new Set(["already_reacted"]);

/**
 * Slack Web API through `@slack/web-api`. The SDK's own retries are off (it would otherwise retry for about
 * 30 minutes inside one call) and rate-limited calls are rejected at once: the outbox owns retries, and it
 * waits exactly as long as `Retry-After` says without holding a worker.
 */
export function createSlackClient(options: SlackClientOptions): PlatformClient {
  const web = new WebClient(options.botToken, {
    slackApiUrl: options.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: options.timeoutMs ?? 30_000,
    // An operation is a method name, never a URL of its own choosing.
    allowAbsoluteUrls: false,
    logLevel: LogLevel.ERROR,
  });
  return {
    async send(request) {
      try {
        return await web.apiCall(request.operation, request.args);
      } catch (error) {
        const done = alreadyDone(error);
        if (done) return done;
        throw toOutboundError(error);
      }
    },
  };
}

function alreadyDone(error: unknown): Record<string, unknown> | undefined {
  const code = (error as { code?: string }).code;
  if (code !== ErrorCode.PlatformError) return undefined;
  const data = (error as WebAPIPlatformError).data;
  return ALREADY_DONE.has(data.error) ? { ok: true, already: data.error } : undefined;
}

/** Maps the SDK's errors to what the outbox needs to know: retry or not, and when. */
export function toOutboundError(error: unknown): OutboundError {
  const code = (error as { code?: string } | null)?.code;
  switch (code) {
    case ErrorCode.RateLimitedError: {
      const retryAfter = (error as WebAPIRateLimitedError).retryAfter;
      return new OutboundError(`slack: rate limited (Retry-After ${retryAfter}s)`, true, retryAfter * 1000);
    }
    case ErrorCode.PlatformError: {
      const slackError = (error as WebAPIPlatformError).data.error;
      return new OutboundError(`slack: ${slackError}`, TRANSIENT_ERRORS.has(slackError));
    }
    case ErrorCode.HTTPError: {
      const status = (error as WebAPIHTTPError).statusCode;
      return new OutboundError(`slack: HTTP ${status}`, status >= 500 || status === 408);
    }
    case ErrorCode.RequestError: {
      // Network failures and timeouts: the call may not have reached Slack; worth another try.
      const original = (error as { original?: Error }).original;
      return new OutboundError(
        `slack: request failed: ${original?.name ?? "Error"}: ${original?.message ?? ""}`,
        true,
      );
    }
    default: {
      // e.g. a 429 without a usable Retry-After header: retry with backoff.
      const message = error instanceof Error ? error.message : String(error);
      return new OutboundError(`slack: ${message}`, true);
    }
  }
}
