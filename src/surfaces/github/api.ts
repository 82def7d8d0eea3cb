import type { GitHubPermissions } from "../../clients/github/rest";
import { OutboundError, type OutboundRequest } from "../../clients/types";
import type { Deps } from "../../deps";
import type { PullRequestFile } from "../../replies/github-review";

// The GitHub calls of this surface. Every call names its installation, its one repository and the least
// permissions it needs, so the REST client mints a token narrowed to exactly that
// (https://docs.github.com/en/rest/apps/apps#create-an-installation-access-token-for-an-app).
// Reads go straight through the client (they are needed before acting); writes are returned as requests
// for the outbox.

export interface RepoRef {
  installationId: number;
  /** `owner/name`. */
  repository: string;
}

const READ_PR: GitHubPermissions = { pull_requests: "read" };
const READ_CONTENTS: GitHubPermissions = { contents: "read" };
/** Comments and reactions on a pull request's conversation need `pull_requests: write`, not `issues`. */
const WRITE_PR: GitHubPermissions = { pull_requests: "write" };

export function githubCall(
  ref: RepoRef,
  operation: string,
  permissions: GitHubPermissions,
  params: Record<string, unknown>,
): OutboundRequest {
  return {
    platform: "github",
    operation,
    args: { installationId: ref.installationId, repository: ref.repository, permissions, ...params },
  };
}

async function read(deps: Deps, request: OutboundRequest): Promise<unknown> {
  const answer = (await deps.clients.github.send(request)) as { data?: unknown } | undefined;
  return answer?.data;
}

/** GitHub answered 404 (the REST client reports it as a non-retryable `HTTP 404`). */
export function isNotFound(error: unknown): boolean {
  if ((error as { status?: number }).status === 404) return true;
  return error instanceof OutboundError && !error.retryable && /\bHTTP 404\b/.test(error.message);
}

export interface PullRequestDetails {
  number: number;
  title: string;
  state: string;
  draft: boolean;
  htmlUrl: string;
  authorLogin: string;
  authorIsBot: boolean;
  headSha: string;
  headRef: string;
  headRepoFullName: string | null;
  baseRef: string;
  baseSha: string;
  labels: string[];
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
export async function getPullRequest(
  deps: Deps,
  ref: RepoRef,
  prNumber: number,
): Promise<PullRequestDetails> {
  const data = (await read(
    deps,
    githubCall(ref, "GET /repos/{owner}/{repo}/pulls/{pull_number}", READ_PR, { pull_number: prNumber }),
  )) as PullWire | undefined;
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
export async function listPullRequestFiles(
  deps: Deps,
  ref: RepoRef,
  prNumber: number,
  maxFiles = 300,
): Promise<{ files: ChangedFile[]; complete: boolean }> {
  const files: ChangedFile[] = [];
  for (let page = 1; files.length < maxFiles; page++) {
    const data = (await read(
      deps,
      githubCall(ref, "GET /repos/{owner}/{repo}/pulls/{pull_number}/files", READ_PR, {
        pull_number: prNumber,
        per_page: PAGE,
        page,
      }),
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
    const data = (await read(
      deps,
      githubCall(ref, "GET /repos/{owner}/{repo}/contents/{path}", READ_CONTENTS, { path, ref: sha }),
    )) as { type?: string; content?: string; encoding?: string } | undefined;
    if (!data || (data.type !== undefined && data.type !== "file") || typeof data.content !== "string")
      return null;
    return data.encoding === "base64" ? decodeBase64Utf8(data.content) : data.content;
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

export type CommentSource = "issue_comment" | "review_comment";
export type Reaction = "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";

/** A reaction on the comment that asked (issue comment or review comment). */
export function reactToComment(
  ref: RepoRef,
  source: CommentSource,
  commentId: number,
  content: Reaction,
): OutboundRequest {
  const operation =
    source === "issue_comment"
      ? "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions"
      : "POST /repos/{owner}/{repo}/pulls/comments/{comment_id}/reactions";
  return githubCall(ref, operation, WRITE_PR, { comment_id: commentId, content });
}

/** A reaction on the pull request itself (its conversation is an issue). */
export function reactToPullRequest(ref: RepoRef, prNumber: number, content: Reaction): OutboundRequest {
  return githubCall(ref, "POST /repos/{owner}/{repo}/issues/{issue_number}/reactions", WRITE_PR, {
    issue_number: prNumber,
    content,
  });
}

/** A comment on the pull request's conversation. */
export function commentOnPullRequest(ref: RepoRef, prNumber: number, body: string): OutboundRequest {
  return githubCall(ref, "POST /repos/{owner}/{repo}/issues/{issue_number}/comments", WRITE_PR, {
    issue_number: prNumber,
    body,
  });
}

export const readPermissions = { pr: READ_PR, contents: READ_CONTENTS } as const;
export const writePullRequests = WRITE_PR;
