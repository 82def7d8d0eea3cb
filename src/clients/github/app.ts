import { App } from "@octokit/app";
import { Octokit } from "@octokit/rest";
import type { Config } from "../../config";
import type { Clock } from "../../lib/clock";
import { OutboundError } from "../types";

// GitHub App authentication with least privilege: every installation token is narrowed to the repositories
// and permissions one operation needs (POST /app/installations/{id}/access_tokens with `repositories` and
// `permissions`, https://docs.github.com/en/rest/apps/apps#create-an-installation-access-token-for-an-app).
// @octokit/app's own installation Octokit cannot narrow a token, so tokens come from app.octokit.auth().
// Tokens live one hour; ours are reused until five minutes before expiry, measured on the injected clock.

export type TokenPermissions = Record<string, "read" | "write">;

export interface InstallationTokenRequest {
  installationId: number | string;
  /** Repository names without the owner (the installation belongs to the owner), or "owner/name". */
  repositories?: string[];
  repositoryIds?: number[];
  permissions: TokenPermissions;
}

export interface InstallationToken {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface GitHubAppAuth {
  installationToken(request: InstallationTokenRequest): Promise<InstallationToken>;
  /** An Octokit authenticated with a narrowed installation token, pointed at GITHUB_API_URL. */
  installationOctokit(request: InstallationTokenRequest): Promise<Octokit>;
}

const REUSE_MARGIN_MS = 5 * 60_000;

/** Maps an Octokit failure to the outbox's retry vocabulary: 429 and 5xx are worth retrying. */
export function toOutboundError(error: unknown, what: string): OutboundError {
  const status = (error as { status?: number }).status;
  const headers = (error as { response?: { headers?: Record<string, string | undefined> } }).response
    ?.headers;
  const retryAfter = Number(headers?.["retry-after"]);
  const retryable = status === undefined || status === 429 || status >= 500;
  return new OutboundError(
    `${what} failed${status ? ` (HTTP ${status})` : ""}: ${(error as Error).message}`,
    retryable,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : undefined,
  );
}

function cacheKey(request: InstallationTokenRequest): string {
  const repos = (request.repositories ?? []).map((r) => repoName(r).toLowerCase()).sort();
  const ids = [...(request.repositoryIds ?? [])].sort((a, b) => a - b);
  const permissions = Object.entries(request.permissions).sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([String(request.installationId), repos, ids, permissions]);
}

/** GitHub wants bare repository names in `repositories`. */
const repoName = (repository: string): string => repository.split("/").pop() ?? repository;

/** Returns undefined when no GitHub App is configured (sandbox mode, or a hub without GitHub). */
export function createGitHubAppAuth(config: Config["github"], clock: Clock): GitHubAppAuth | undefined {
  if (!config.appId || !config.privateKey) return undefined;
  const baseUrl = config.apiUrl;
  const app = new App({
    appId: config.appId,
    privateKey: config.privateKey,
    Octokit: Octokit.defaults({ baseUrl }),
  });
  const cached = new Map<string, InstallationToken>();
  const pending = new Map<string, Promise<InstallationToken>>();

  async function mint(request: InstallationTokenRequest): Promise<InstallationToken> {
    try {
      const auth = (await app.octokit.auth({
        type: "installation",
        installationId: Number(request.installationId),
        ...(request.repositories?.length ? { repositoryNames: request.repositories.map(repoName) } : {}),
        ...(request.repositoryIds?.length ? { repositoryIds: request.repositoryIds } : {}),
        permissions: request.permissions,
        // Our cache (on the injected clock) decides reuse; auth-app's own wall-clock cache is bypassed.
        refresh: true,
      })) as { token: string; expiresAt: string };
      return { token: auth.token, expiresAt: Date.parse(auth.expiresAt) };
    } catch (error) {
      throw toOutboundError(error, `GitHub installation token for installation ${request.installationId}`);
    }
  }

  async function installationToken(request: InstallationTokenRequest): Promise<InstallationToken> {
    const key = cacheKey(request);
    const hit = cached.get(key);
    if (hit && hit.expiresAt - REUSE_MARGIN_MS > clock.now()) return hit;
    const inFlight = pending.get(key);
    if (inFlight) return inFlight;
    const promise = mint(request)
      .then((token) => {
        cached.set(key, token);
        return token;
      })
      .finally(() => pending.delete(key));
    pending.set(key, promise);
    return promise;
  }

  return {
    installationToken,
    async installationOctokit(request) {
      const { token } = await installationToken(request);
      return new Octokit({ auth: token, baseUrl });
    },
  };
}

/** Adapts the App auth to a `(installationId, "owner/name", permissions) → token` provider for REST senders. */
export const tokenProvider =
  (auth: GitHubAppAuth) =>
  async (installationId: number, repository: string, permissions: TokenPermissions): Promise<string> =>
    (await auth.installationToken({ installationId, repositories: [repository], permissions })).token;
