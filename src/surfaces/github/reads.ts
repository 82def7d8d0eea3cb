import { getContent, getPullRequest, listPullRequestFiles, type RepoRef } from "../../clients/github/calls";
import { type GitHubRequest, OutboundError } from "../../clients/types";
import type { Deps } from "../../deps";
import type { PullRequestFile } from "../../replies/github-review";
import type { PullRequestDetails } from "./payloads";

// What the surface reads from GitHub before it acts (a comment's pull request, a review's files and rules).
// Reads go straight through the client; writes are queued in the outbox.

async function read(deps: Deps, request: GitHubRequest): Promise<unknown> {
  const answer = (await deps.clients.github.send(request)) as { data?: unknown } | undefined;
  return answer?.data;
}

/** GitHub answered 404 (the REST client reports it as a non-retryable `HTTP 404`). */
export function isNotFound(error: unknown): boolean {
  if ((error as { status?: number }).status === 404) return true;
  return error instanceof OutboundError && !error.retryable && /\bHTTP 404\b/.test(error.message);
}

interface PullWire {
  number: number;
  title: string;
  state: string;
  draft?: boolean;
  html_url: string;
  user?: { login: string; type?: string } | null;
  labels?: { name: string }[];
  head: { sha: string; ref: string; repo?: { full_name: string } | null };
  base: { sha: string; ref: string };
}

/** GET /repos/{o}/{r}/pulls/{n}: what a comment event does not carry (head, base, fork, author). */
export async function readPullRequest(
  deps: Deps,
  ref: RepoRef,
  prNumber: number,
): Promise<PullRequestDetails> {
  const data = (await read(deps, getPullRequest(ref, { pull_number: prNumber }))) as PullWire | undefined;
  if (!data?.head?.sha || !data.base?.sha) {
    throw new OutboundError(`GitHub returned no usable pull request ${ref.repository}#${prNumber}`, true);
  }
  const login = data.user?.login ?? "ghost";
  return {
    number: data.number,
    title: data.title,
    state: data.state,
    draft: Boolean(data.draft),
    htmlUrl: data.html_url,
    authorLogin: login,
    authorIsBot: data.user?.type === "Bot" || login.endsWith("[bot]"),
    headSha: data.head.sha,
    headRef: data.head.ref,
    headRepoFullName: data.head.repo?.full_name ?? null,
    baseRef: data.base.ref,
    baseSha: data.base.sha,
    labels: (data.labels ?? []).map((l) => l.name),
  };
}

export interface ChangedFile extends PullRequestFile {
  additions?: number;
  deletions?: number;
}

const PAGE = 100;

/**
 * GET /repos/{o}/{r}/pulls/{n}/files, page by page up to `maxFiles` (GitHub lists at most 3000). Each entry
 * carries the file's patch (absent for binary or very large diffs).
 */
export async function readPullRequestFiles(
  deps: Deps,
  ref: RepoRef,
  prNumber: number,
  maxFiles = 300,
): Promise<{ files: ChangedFile[]; complete: boolean }> {
  const files: ChangedFile[] = [];
  for (let page = 1; files.length < maxFiles; page++) {
    const data = (await read(
      deps,
      listPullRequestFiles(ref, { pull_number: prNumber, per_page: PAGE, page }),
    )) as ChangedFile[] | undefined;
    const batch = Array.isArray(data) ? data : [];
    for (const f of batch) {
      if (typeof f?.filename !== "string") continue;
      files.push({
        filename: f.filename,
        status: String(f.status ?? "modified"),
        patch: typeof f.patch === "string" ? f.patch : null,
        ...(f.previous_filename ? { previous_filename: f.previous_filename } : {}),
        ...(typeof f.additions === "number" ? { additions: f.additions } : {}),
        ...(typeof f.deletions === "number" ? { deletions: f.deletions } : {}),
      });
    }
    if (batch.length < PAGE) return { files: files.slice(0, maxFiles), complete: true };
  }
  return { files: files.slice(0, maxFiles), complete: false };
}

function decodeBase64Utf8(text: string): string {
  const bytes = Uint8Array.from(atob(text.replace(/\s+/g, "")), (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** GET /repos/{o}/{r}/contents/{path}?ref=<sha>: a text file at that commit, or null when it does not exist. */
export async function readFileAt(
  deps: Deps,
  ref: RepoRef,
  path: string,
  sha: string,
): Promise<string | null> {
  try {
    const data = (await read(deps, getContent(ref, { path, ref: sha }))) as
      | { type?: string; content?: string; encoding?: string }
      | undefined;
    if (!data || (data.type !== undefined && data.type !== "file") || typeof data.content !== "string")
      return null;
    return data.encoding === "base64" ? decodeBase64Utf8(data.content) : data.content;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}
