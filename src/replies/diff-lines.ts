import type { DiffSide } from "./findings";

// Which lines of a pull request file can carry a review comment. GitHub accepts a comment only on a line
// shown in the diff: on the RIGHT side an added or context line (new numbering), on the LEFT side a deleted
// or context line (old numbering); a multi-line comment must start and end inside the same hunk.
// https://docs.github.com/en/rest/pulls/comments#create-a-review-comment-for-a-pull-request

export interface DiffHunk {
  /** The `@@ -a,b +c,d @@` line. */
  header: string;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** Commentable lines in the new version: added and context lines. */
  right: Set<number>;
  /** Commentable lines in the old version: deleted and context lines. */
  left: Set<number>;
  /** Added lines only (new numbering). */
  added: Set<number>;
  /** Deleted lines only (old numbering). */
  deleted: Set<number>;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * Parses a unified diff `patch` as the "list pull request files" API returns it (hunks only), or a full
 * `git diff` of one file (headers before the first hunk are skipped).
 */
export function parsePatch(patch: string): DiffHunk[] {
  const hunks: DiffHunk[] = [];
  let current: DiffHunk | null = null;
  let oldLine = 0;
  let newLine = 0;
  let oldLeft = 0;
  let newLeft = 0;
  const lines = patch.replace(/\r\n?/g, "\n").split("\n");
  for (const line of lines) {
    const header = HUNK_HEADER.exec(line);
    if (header) {
      const oldStart = Number(header[1]);
      const newStart = Number(header[3]);
      current = {
        header: header[0],
        oldStart,
        oldLines: header[2] === undefined ? 1 : Number(header[2]),
        newStart,
        newLines: header[4] === undefined ? 1 : Number(header[4]),
        right: new Set(),
        left: new Set(),
        added: new Set(),
        deleted: new Set(),
      };
      hunks.push(current);
      oldLine = oldStart;
      newLine = newStart;
      oldLeft = current.oldLines;
      newLeft = current.newLines;
      continue;
    }
    // Outside a hunk, or past its announced length: file headers (`--- a/x`, `+++ b/x`) or trailing text,
    // which must not be mistaken for deleted or added lines.
    if (!current || (oldLeft <= 0 && newLeft <= 0)) continue;
    const mark = line[0];
    if (mark === "+") {
      current.right.add(newLine);
      current.added.add(newLine);
      newLine++;
      newLeft--;
    } else if (mark === "-") {
      current.left.add(oldLine);
      current.deleted.add(oldLine);
      oldLine++;
      oldLeft--;
    } else if (mark === " " || mark === undefined) {
      // An empty line inside a hunk is a context line whose leading space was stripped by some tool.
      current.right.add(newLine);
      current.left.add(oldLine);
      newLine++;
      oldLine++;
      newLeft--;
      oldLeft--;
    }
    // `\ No newline at end of file` and anything else: not a line of either version.
  }
  return hunks;
}

/** Index of the hunk in which `line` is commentable on `side`, or -1. */
export function hunkIndexOf(hunks: readonly DiffHunk[], side: DiffSide, line: number): number {
  return hunks.findIndex((h) => (side === "RIGHT" ? h.right : h.left).has(line));
}

/** True when `line` can carry a comment on `side`. */
export function isCommentable(hunks: readonly DiffHunk[], side: DiffSide, line: number): boolean {
  return hunkIndexOf(hunks, side, line) !== -1;
}

/** True when a multi-line comment from `startLine` to `line` on `side` is allowed: both in one hunk. */
export function isCommentableRange(
  hunks: readonly DiffHunk[],
  side: DiffSide,
  startLine: number,
  line: number,
): boolean {
  if (startLine > line) return false;
  const at = hunkIndexOf(hunks, side, line);
  return at !== -1 && at === hunkIndexOf(hunks, side, startLine);
}
