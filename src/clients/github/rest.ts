import { Octokit } from "@octokit/rest";
import { withDeadline } from "../../lib/deadline";
import {
  type GitHubPermissions,
  type GitHubTarget,
  OutboundError,
  type OutboundRequest,
  type PlatformClient,
} from "../types";

export type { GitHubPermissions };

/**
 * Returns an installation token narrowed to one repository and the permissions a call needs (the App's
 * token cache lives with whoever implements it).
 */
export type InstallationTokenProvider = (
  installationId: number,
  repository: string,
  permissions: GitHubPermissions,
) => Promise<string>;

export interface GitHubRestClientOptions {
  /** GITHUB_API_URL: https://api.github.com, or `https://<host>/api/v3` on GitHub Enterprise Server. */
  apiUrl: string;
  tokenFor: InstallationTokenProvider;
  /** Milliseconds since the epoch, to turn `x-ratelimit-reset` into a wait. */
  now: () => number;
  timeoutMs?: number;
}

/** The permission a route needs, by the resource it touches; a GET only reads. */
export function permissionsFor(route: string): GitHubPermissions {
  const [method = "GET", path = ""] = route.split(" ");
  const level = method.toUpperCase() === "GET" ? "read" : "write";
  if (/\/pulls(\/|$)/.test(path)) return { pull_requests: level };
  if (/\/issues(\/|$)/.test(path)) return { issues: level };
  if (/\/(contents|git)(\/|$)/.test(path)) return { contents: level };
  if (/\/(check-runs|check-suites)(\/|$)/.test(path)) return { checks: level };
  if (/\/statuses(\/|$)/.test(path)) return { statuses: level };
  return { metadata: "read" };
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Who makes a call: its target, or for rows the outbox stored before calls had targets, the `installationId`,
 * `repository` and optional `permissions` they carried among their args (taken out of what is sent).
 */
function targetOf(request: OutboundRequest): {
  target: Partial<GitHubTarget>;
  params: Record<string, unknown>;
} {
  if (request.platform === "github" && request.target)
    return { target: request.target, params: request.args };
  const { installationId, repository, permissions, ...params } = request.args as Partial<GitHubTarget> &
    Record<string, unknown>;
  return { target: { installationId, repository, permissions }, params };
}

/**
 * A thin REST sender: `operation` is an Octokit route (`POST /repos/{owner}/{repo}/issues/{issue_number}/comments`),
 * `args` its parameters, and `target` the installation whose token makes the call, its repository
 * (`owner/name`, which also fills `{owner}` and `{repo}`) and the permissions the call needs (by default, the
 * route's, see permissionsFor).
 */
export function createGitHubRestClient(options: GitHubRestClientOptions): PlatformClient {
  // No retry or throttling plugins: 429/5xx surface as errors and the outbox decides when to try again.
  const octokit = new Octokit({ baseUrl: options.apiUrl, log: silent });
  const timeoutMs = options.timeoutMs ?? 30_000;
  return {
    async send(request: OutboundRequest) {
      const { target, params } = targetOf(request);
      const { installationId, repository, permissions } = target;
      if (typeof installationId !== "number" || typeof repository !== "string" || !repository.includes("/")) {
        throw new OutboundError(
          "github: the target's `installationId` (number) and `repository` (owner/name) are required",
          false,
        );
      }
      const [owner, repo] = repository.split("/");
      let token: string;
      try {
        token = await options.tokenFor(
          installationId,
          repository,
          permissions ?? permissionsFor(request.operation),
        );
      } catch (error) {
        throw toOutboundError(error, options.now());
      }
      try {
        const response = await withDeadline(timeoutMs, (signal) =>
          octokit.request(request.operation, {
            owner,
            repo,
            ...params,
            headers: { authorization: `token ${token}` },
            request: { signal },
          }),
        );
        return { status: response.status, data: response.data };
      } catch (error) {
        throw toOutboundError(error, options.now());
      }
    },
  };
}

interface HttpErrorLike {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | undefined>; data?: unknown };
}

/**
 * GitHub's rate limits: a 429, or a 403 carrying `retry-after` (secondary limits) or `x-ratelimit-remaining: 0`
 * with `x-ratelimit-reset` (primary). https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
 */
export function toOutboundError(error: unknown, now: number): OutboundError {
  if (error instanceof OutboundError) return error;
  const e = (error ?? {}) as HttpErrorLike;
  const status = typeof e.status === "number" ? e.status : undefined;
  const headers = e.response?.headers ?? {};
  const detail = githubMessage(e);
  if (status === 429 || status === 403) {
    const retryAfter = Number(headers["retry-after"]);
    if (headers["retry-after"] !== undefined && Number.isFinite(retryAfter)) {
      return new OutboundError(
        `github: rate limited (retry-after ${retryAfter}s): ${detail}`,
        true,
        retryAfter * 1000,
      );
    }
    const reset = Number(headers["x-ratelimit-reset"]);
    if (headers["x-ratelimit-remaining"] === "0" && Number.isFinite(reset)) {
      return new OutboundError(
        `github: rate limit exhausted: ${detail}`,
        true,
        Math.max(0, reset * 1000 - now),
      );
    }
    if (status === 429) return new OutboundError(`github: rate limited: ${detail}`, true);
  }
  if (status === undefined || status >= 500) {
    // Octokit reports network failures and timeouts as status 500 too.
    return new OutboundError(`github: ${status ? `HTTP ${status}: ` : ""}${detail}`, true);
  }
  return new OutboundError(`github: HTTP ${status}: ${detail}`, false);
}

function githubMessage(e: HttpErrorLike): string {
  const data = e.response?.data as { message?: string; errors?: unknown } | undefined;
  if (data?.message) return data.errors ? `${data.message} ${JSON.stringify(data.errors)}` : data.message;
  return e.message ?? "request failed";
}
