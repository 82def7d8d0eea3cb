import { type DiffHunk, hunkIndexOf, isCommentableRange, parsePatch } from "./diff-lines";
import type { DiffSide, FindingPriority, ReviewFinding } from "./findings";
import { renderInlineComment, renderSummaryBody, type UnanchoredFinding } from "./github-review-body";

// Findings of a review task → one GitHub pull request review (POST /repos/{o}/{r}/pulls/{n}/reviews).
// Like Codex on GitHub: only findings at or above the repository's threshold are posted (P0 and P1 by
// default), each on its diff line when it can be anchored there, otherwise in the summary; a review with no
// such finding is no review at all but a 👍 reaction, added by the caller.

/** One entry of "list pull request files" (GET /repos/{o}/{r}/pulls/{n}/files). */
export interface PullRequestFile {
  filename: string;
  status: string;
  /** Absent for binary files and diffs too large for GitHub to show. */
  patch?: string | null;
  previous_filename?: string;
}

export interface ReviewCommentPayload {
  path: string;
  body: string;
  line: number;
  side: DiffSide;
  start_line?: number;
  start_side?: DiffSide;
}

export interface ReviewPayload {
  commit_id: string;
  event: "COMMENT";
  body: string;
  comments: ReviewCommentPayload[];
}

export type FindingPlacement =
  | { finding: ReviewFinding; placement: "inline"; comment: ReviewCommentPayload }
  | { finding: ReviewFinding; placement: "summary"; reason: string }
  | { finding: ReviewFinding; placement: "below_threshold" };

export interface ReviewStats {
  /** Findings the executor reported. */
  total: number;
  /** Posted as inline comments. */
  inline: number;
  /** At or above the threshold but not anchorable, so put in the summary body. */
  summarized: number;
  /** Below the threshold, not posted. */
  belowThreshold: number;
  /** Summarized findings that did not fit in the body. */
  omitted: number;
  /** Some text was cut to stay under GitHub's body limit. */
  truncated: boolean;
}

export interface BuildReviewInput {
  findings: readonly ReviewFinding[];
  summary: string;
  files: readonly PullRequestFile[];
  headSha: string;
  /** Lowest priority still posted (1 = P0 and P1). */
  minPriority: FindingPriority;
  /** Task page with the whole answer, linked from the review body. */
  taskUrl?: string;
}

export type BuildReviewResult =
  | { kind: "clean"; stats: ReviewStats; placements: FindingPlacement[] }
  | { kind: "review"; payload: ReviewPayload; stats: ReviewStats; placements: FindingPlacement[] };

export interface IndexedFile {
  file: PullRequestFile;
  hunks: DiffHunk[] | null;
}

export type Anchor =
  | { ok: true; path: string; line: number; side: DiffSide; startLine?: number; rangeNote?: string }
  | { ok: false; reason: string };

function normalizePath(path: string): string {
  return path
    .trim()
    .replace(/\\/g, "/")
    .replace(/^(\.\/|\/)+/, "");
}

/** Indexes the PR's files by path (and by previous path, for findings about a renamed file's old lines). */
export function indexPullRequestFiles(files: readonly PullRequestFile[]): Map<string, IndexedFile> {
  const index = new Map<string, IndexedFile>();
  for (const file of files) {
    const entry = { file, hunks: file.patch ? parsePatch(file.patch) : null };
    index.set(normalizePath(file.filename), entry);
    if (file.previous_filename && !index.has(normalizePath(file.previous_filename))) {
      index.set(normalizePath(file.previous_filename), entry);
    }
  }
  return index;
}

function lookup(index: Map<string, IndexedFile>, path: string): IndexedFile | undefined {
  const p = normalizePath(path);
  // Paths copied from `git diff` output carry an `a/` or `b/` prefix.
  return index.get(p) ?? (/^[ab]\//.test(p) ? index.get(p.slice(2)) : undefined);
}

/** Where a finding can be commented on, or why it cannot. */
export function anchorFinding(finding: ReviewFinding, index: Map<string, IndexedFile>): Anchor {
  const entry = lookup(index, finding.path);
  if (!entry) return { ok: false, reason: "file not changed in this pull request" };
  if (!entry.hunks || entry.hunks.length === 0) {
    return { ok: false, reason: "no text diff for this file (binary or too large)" };
  }
  // Only deleted lines exist in a removed file, so a finding there is about the old version.
  const side: DiffSide = finding.side ?? (entry.file.status === "removed" ? "LEFT" : "RIGHT");
  const { line } = finding;
  const path = entry.file.filename;
  if (hunkIndexOf(entry.hunks, side, line) === -1) {
    return {
      ok: false,
      reason: `line ${line} (${side === "RIGHT" ? "new" : "old"} version) is not in the diff`,
    };
  }
  const start = finding.start_line;
  if (start === undefined || start >= line) return { ok: true, path, line, side };
  if (isCommentableRange(entry.hunks, side, start, line))
    return { ok: true, path, line, side, startLine: start };
  // The range leaves the hunk: GitHub would reject it, so comment on the last line and say which lines.
  return { ok: true, path, line, side, rangeNote: `Lines ${start}-${line}` };
}

function toComment(
  finding: ReviewFinding,
  anchor: Extract<Anchor, { ok: true }>,
): { comment: ReviewCommentPayload; truncated: boolean } {
  const rendered = renderInlineComment(finding, anchor.rangeNote);
  const comment: ReviewCommentPayload = {
    path: anchor.path,
    body: rendered.body,
    line: anchor.line,
    side: anchor.side,
  };
  if (anchor.startLine !== undefined) {
    comment.start_line = anchor.startLine;
    comment.start_side = anchor.side;
  }
  return { comment, truncated: rendered.truncated };
}

/** Turns parsed findings into a review payload, or `clean` when nothing reaches the threshold. */
export function buildReview(input: BuildReviewInput): BuildReviewResult {
  // P0 first; equal priorities keep the executor's order (Array.prototype.sort is stable).
  const sorted = [...input.findings].sort((a, b) => a.priority - b.priority);
  const index = indexPullRequestFiles(input.files);
  const placements: FindingPlacement[] = [];
  const comments: ReviewCommentPayload[] = [];
  const unanchored: UnanchoredFinding[] = [];
  let belowThreshold = 0;
  let truncated = false;

  for (const finding of sorted) {
    if (finding.priority > input.minPriority) {
      belowThreshold++;
      placements.push({ finding, placement: "below_threshold" });
      continue;
    }
    const anchor = anchorFinding(finding, index);
    if (anchor.ok) {
      const { comment, truncated: cut } = toComment(finding, anchor);
      truncated ||= cut;
      comments.push(comment);
      placements.push({ finding, placement: "inline", comment });
    } else {
      unanchored.push({ finding, reason: anchor.reason });
      placements.push({ finding, placement: "summary", reason: anchor.reason });
    }
  }

  const stats: ReviewStats = {
    total: sorted.length,
    inline: comments.length,
    summarized: unanchored.length,
    belowThreshold,
    omitted: 0,
    truncated,
  };
  if (comments.length === 0 && unanchored.length === 0) return { kind: "clean", stats, placements };

  const rendered = renderSummaryBody({
    summary: input.summary,
    unanchored,
    inlineCount: comments.length,
    belowThreshold,
    minPriority: input.minPriority,
    taskUrl: input.taskUrl,
  });
  stats.omitted = rendered.omitted;
  stats.truncated ||= rendered.truncated;
  return {
    kind: "review",
    payload: { commit_id: input.headSha, event: "COMMENT", body: rendered.body, comments },
    stats,
    placements,
  };
}
