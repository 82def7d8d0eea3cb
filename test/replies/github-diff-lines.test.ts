import { describe, expect, it } from "vitest";
import { isCommentable, isCommentableRange, parsePatch } from "../../src/replies/diff-lines";

// Two hunks, as GET /repos/{o}/{r}/pulls/{n}/files returns `patch` for a modified file:
//   hunk 1: old 1-8 → new 1-10 (line 3 replaced, lines 6-7 added)
//   hunk 2: old 27-34 → new 29-35 (old lines 30-31 replaced by new line 32)
const parserPatch = [
  "@@ -1,8 +1,10 @@",
  ' import { z } from "zod";',
  " ",
  "-export const limit = 10;",
  "+export const limit = 20;",
  " ",
  " export function parse(input: string) {",
  "+  if (!input) return null;",
  "+  const trimmed = input.trim();",
  "   const value = JSON.parse(input);",
  "   return value;",
  " }",
  "@@ -27,8 +29,7 @@ export function render(",
  " function helper(a: number) {",
  "   const b = a * 2;",
  "   const c = b + 1;",
  "-  console.log(c);",
  "-  return c;",
  "+  return Math.max(c, 0);",
  " }",
  " ",
  " export default parse;",
].join("\n");

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("parsePatch", () => {
  const hunks = parsePatch(parserPatch);

  it("finds both hunks with their ranges", () => {
    expect(hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines])).toEqual([
      [1, 8, 1, 10],
      [27, 8, 29, 7],
    ]);
  });

  it("RIGHT holds added and context lines in new numbering", () => {
    expect([...hunks[0]!.right]).toEqual(range(1, 10));
    expect([...hunks[1]!.right]).toEqual(range(29, 35));
    expect([...hunks[0]!.added]).toEqual([3, 6, 7]);
    expect([...hunks[1]!.added]).toEqual([32]);
  });

  it("LEFT holds deleted and context lines in old numbering", () => {
    expect([...hunks[0]!.left].sort((a, b) => a - b)).toEqual(range(1, 8));
    expect([...hunks[1]!.left].sort((a, b) => a - b)).toEqual(range(27, 34));
    expect([...hunks[0]!.deleted]).toEqual([3]);
    expect([...hunks[1]!.deleted]).toEqual([30, 31]);
  });

  it("lines between hunks are not commentable on either side", () => {
    expect(isCommentable(hunks, "RIGHT", 11)).toBe(false);
    expect(isCommentable(hunks, "RIGHT", 28)).toBe(false);
    expect(isCommentable(hunks, "LEFT", 9)).toBe(false);
    expect(isCommentable(hunks, "LEFT", 35)).toBe(false);
    expect(isCommentable(hunks, "RIGHT", 32)).toBe(true);
    expect(isCommentable(hunks, "LEFT", 31)).toBe(true);
  });

  it("a range must stay inside one hunk and go forward", () => {
    expect(isCommentableRange(hunks, "RIGHT", 6, 8)).toBe(true);
    expect(isCommentableRange(hunks, "RIGHT", 29, 33)).toBe(true);
    expect(isCommentableRange(hunks, "RIGHT", 9, 30)).toBe(false);
    expect(isCommentableRange(hunks, "RIGHT", 8, 6)).toBe(false);
    expect(isCommentableRange(hunks, "LEFT", 30, 31)).toBe(true);
    expect(isCommentableRange(hunks, "LEFT", 12, 31)).toBe(false);
  });

  it("skips git headers, even before a deleted line that starts with dashes", () => {
    const patch = [
      "diff --git a/db/schema.sql b/db/schema.sql",
      "index 3b18e51..a9c2f0d 100644",
      "--- a/db/schema.sql",
      "+++ b/db/schema.sql",
      "@@ -1,3 +1,3 @@",
      "--- legacy table",
      "+++ users table",
      " CREATE TABLE users (",
      "   id INTEGER PRIMARY KEY",
      "diff --git a/x b/x",
      "--- a/x",
      "+++ b/x",
    ].join("\n");
    const [hunk, ...rest] = parsePatch(patch);
    expect(rest).toEqual([]);
    expect([...hunk!.deleted]).toEqual([1]);
    expect([...hunk!.added]).toEqual([1]);
    expect([...hunk!.right]).toEqual([1, 2, 3]);
  });

  it("handles new files, single-line hunks and 'No newline at end of file'", () => {
    const created = parsePatch("@@ -0,0 +1,2 @@\n+first\n+second\n\\ No newline at end of file");
    expect([...created[0]!.right]).toEqual([1, 2]);
    expect([...created[0]!.left]).toEqual([]);
    const single = parsePatch("@@ -5 +5 @@\n-old\n+new");
    expect([...single[0]!.left]).toEqual([5]);
    expect([...single[0]!.right]).toEqual([5]);
  });

  it("treats an empty line inside a hunk as context whose space was stripped", () => {
    const [h] = parsePatch("@@ -1,3 +1,3 @@\n a\n\n-b\n+c");
    expect([...h!.right]).toEqual([1, 2, 3]);
    expect([...h!.left]).toEqual([1, 2, 3]);
  });

  it("returns no hunks for an empty or binary patch", () => {
    expect(parsePatch("")).toEqual([]);
    expect(parsePatch("Binary files a/logo.png and b/logo.png differ")).toEqual([]);
  });
});
