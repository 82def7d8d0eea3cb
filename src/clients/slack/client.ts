import type {
  ErrorCode,
  LogLevel,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebClient,
} from "@slack/web-api";
import { withDeadline } from "../../lib/deadline";
import { OutboundError, type OutboundRequest, type PlatformClient, type SlackTarget } from "../types";
import { RESPONSE_URL_OPERATION } from "./calls";

export interface SlackClientOptions {
  /** SLACK_BOT_TOKEN: the token of a single-team app, and the fallback when no installation matches. */
  botToken?: string;
  /** SLACK_API_URL, ending in `/` (a local fake in tests, Slack otherwise). */
  apiUrl: string;
  /** Per-call timeout; a timed-out call is retried by the outbox. */
  timeoutMs?: number;
  /** The bot token of the OAuth installation for a team (or Enterprise Grid organization), if any. */
  tokenFor?: (target: SlackTarget) => Promise<string | null | undefined>;
}

/**
 * Arguments that named a call's team before the team had its own place in the request (`target`); the client
 * still reads them from outbox rows stored then, and never sends them to Slack.
 */
const LEGACY_TEAM_ARG = "_team";
const LEGACY_ENTERPRISE_ARG = "_enterprise";

/** The team a call is for: its target, else what a row stored before targets existed named in its args. */
function targetOf(request: OutboundRequest, legacy: { team: unknown; enterprise: unknown }): SlackTarget {
  if (request.platform === "slack" && request.target) return request.target;
  return {
    ...(typeof legacy.team === "string" ? { teamId: legacy.team } : {}),
    ...(typeof legacy.enterprise === "string" ? { enterpriseId: legacy.enterprise } : {}),
  };
}

/** The SDK's error codes (its `ErrorCode` enum) by value, so that nothing needs the SDK before a call does. */
const CODES = {
  request: "slack_webapi_request_error",
  http: "slack_webapi_http_error",
  platform: "slack_webapi_platform_error",
  rateLimited: "slack_webapi_rate_limited_error",
} as const satisfies Record<string, `${ErrorCode}`>;

/** Platform errors that say "try again later" rather than "this call is wrong". */
const TRANSIENT_ERRORS = new Set([
  "ratelimited",
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
]);

/**
 * Platform errors, per method, that mean there is nothing left for the call to do: the reaction is already
 * there (https://api.slack.com/methods/reactions.add) or already gone (reactions.remove), or the message to
 * update was deleted by someone (chat.update: a status line nobody can see again).
 */
const ALREADY_DONE: Record<string, string> = {
  "reactions.add": "already_reacted",
  "reactions.remove": "no_reaction",
  "chat.update": "message_not_found",
};

/**
 * Slack Web API through `@slack/web-api`. The SDK's own retries are off (it would otherwise retry for about
 * 30 minutes inside one call) and rate-limited calls are rejected at once: the outbox owns retries, and it
 * waits exactly as long as `Retry-After` says without holding a worker.
 */
export function createSlackClient(options: SlackClientOptions): PlatformClient {
  const timeout = options.timeoutMs ?? 30_000;
  // The SDK is loaded at the first call, not when the hub starts: the HTTP thread never calls Slack, and
  // each thread that loads the SDK pays about 15 MB of memory for it.
  let web: Promise<WebClient> | undefined;
  const client = () =>
    (web ??= import("@slack/web-api").then(
      ({ WebClient }) =>
        new WebClient(options.botToken, {
          slackApiUrl: options.apiUrl,
          retryConfig: { retries: 0 },
          rejectRateLimitedCalls: true,
          timeout,
          // An operation is a method name, never a URL of its own choosing.
          allowAbsoluteUrls: false,
          logLevel: "error" as LogLevel,
          fetch: fetchRefusingRedirects,
        }),
    ));
  return {
    async send(request) {
      const {
        [LEGACY_TEAM_ARG]: team,
        [LEGACY_ENTERPRISE_ARG]: enterprise,
        ...args
      } = request.args as Record<string, unknown>;
      if (request.operation === RESPONSE_URL_OPERATION) return postToResponseUrl(options, args, timeout);
      const target = targetOf(request, { team, enterprise });
      const installed = target.teamId || target.enterpriseId ? await options.tokenFor?.(target) : undefined;
      const token = installed || options.botToken;
      if (!token) {
        throw new OutboundError(
          `slack: no bot token for team ${target.teamId ?? target.enterpriseId ?? "(none named)"}; install the app for it at /setup/slack`,
          false,
        );
      }
      try {
        return await (await client()).apiCall(request.operation, { ...args, token });
      } catch (error) {
        const done = alreadyDone(request.operation, error);
        if (done) return done;
        throw toOutboundError(error);
      }
    },
  };
}

/** Slack only hands out response URLs on its own hosts; a local fake lives where SLACK_API_URL points. */
function allowedResponseUrl(url: string, apiUrl: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.origin === new URL(apiUrl).origin) return true;
  return (
    parsed.protocol === "https:" &&
    (parsed.hostname === "slack.com" || parsed.hostname.endsWith(".slack.com"))
  );
}

async function postToResponseUrl(
  options: SlackClientOptions,
  args: Record<string, unknown>,
  timeoutMs: number,
): Promise<unknown> {
  const url = typeof args.url === "string" ? args.url : "";
  if (!allowedResponseUrl(url, options.apiUrl)) {
    throw new OutboundError("slack: response_url is not a Slack URL", false);
  }
  let response: Response;
  let text: string;
  try {
    // The deadline covers the answer's body too: a server that sends headers and then stalls is no answer.
    [response, text] = await withDeadline(timeoutMs, async (signal) => {
      const answer = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8" },
        body: JSON.stringify(args.body ?? {}),
        signal,
      });
      const body = await answer.text().catch((error: unknown) => {
        if (signal.aborted) throw error;
        return "";
      });
      return [answer, body] as const;
    });
  } catch (error) {
    const e = error as Error;
    throw new OutboundError(`slack: response_url request failed: ${e.name}: ${e.message}`, true);
  }
  if (response.status === 429) {
    const seconds = Number(response.headers.get("retry-after"));
    throw new OutboundError(
      "slack: response_url rate limited",
      true,
      Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined,
    );
  }
  if (!response.ok) {
    // 404 means the URL expired (30 minutes) or was used up (5 posts): another try cannot help.
    throw new OutboundError(
      `slack: response_url answered HTTP ${response.status}${text ? `: ${text.slice(0, 200)}` : ""}`,
      response.status >= 500 || response.status === 408,
    );
  }
  return { ok: true, answer: text.slice(0, 200) };
}

function alreadyDone(operation: string, error: unknown): Record<string, unknown> | undefined {
  const code = (error as { code?: string }).code;
  if (code !== CODES.platform) return undefined;
  const data = (error as WebAPIPlatformError).data;
  return ALREADY_DONE[operation] === data.error ? { ok: true, already: data.error } : undefined;
}

/** Maps the SDK's errors to what the outbox needs to know: retry or not, and when. */
export function toOutboundError(error: unknown): OutboundError {
  const code = (error as { code?: string } | null)?.code;
  switch (code) {
    case CODES.rateLimited: {
      const retryAfter = (error as WebAPIRateLimitedError).retryAfter;
      return new OutboundError(`slack: rate limited (Retry-After ${retryAfter}s)`, true, retryAfter * 1000);
    }
    case CODES.platform: {
      const slackError = (error as WebAPIPlatformError).data.error;
      return new OutboundError(`slack: ${slackError}`, TRANSIENT_ERRORS.has(slackError));
    }
    case CODES.http: {
      const status = (error as WebAPIHTTPError).statusCode;
      return new OutboundError(`slack: HTTP ${status}`, status >= 500 || status === 408);
    }
    case CODES.request: {
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

/**
 * The Web API client asks fetch to fail on a redirect (`redirect: "error"`), which the Workers runtime does not
 * implement (its fetch throws on that option). The same refusal, portably: fetch without following, and fail
 * on a redirect as fetch itself would have.
 */
async function fetchRefusingRedirects(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const refuse = init?.redirect === "error";
  const response = await fetch(input, refuse ? { ...init, redirect: "manual" } : init);
  // A browser-style fetch answers a refused redirect as an opaque response with status 0.
  if (refuse && (response.status === 0 || (response.status >= 300 && response.status < 400))) {
    throw new TypeError(`fetch failed: the server answered with a redirect (HTTP ${response.status})`);
  }
  return response;
}
