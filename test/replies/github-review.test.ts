import { describe, expect, it } from "vitest";
import type { ReviewFinding } from "../../src/replies/findings";
import { buildReview, type PullRequestFile } from "../../src/replies/github-review";
import { GITHUB_BODY_LIMIT, priorityBadge } from "../../src/replies/github-review-body";

// Same two-hunk patch as the diff parser test: new lines 1-10 and 29-35, old lines 1-8 and 27-34;
// added: 3, 6, 7, 32 (new); deleted: 3, 30, 31 (old).
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

const files: PullRequestFile[] = [
  { filename: "src/parser.ts", status: "modified", patch: parserPatch },
  { filename: "assets/logo.png", status: "modified" },
  {
    filename: "src/legacy.ts",
    status: "removed",
    patch: "@@ -1,2 +0,0 @@\n-export const old = 1;\n-export default old;",
  },
  {
    filename: "src/render/view.ts",
    previous_filename: "src/view.ts",
    status: "renamed",
    patch: "@@ -1,2 +1,2 @@\n-const a = 1;\n+const a = 2;\n export { a };",
  },
];

const HEAD = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b";

const finding = (over: Partial<ReviewFinding>): ReviewFinding => ({
  title: "Untitled",
  body: "Explanation.",
  priority: 1,
  path: "src/parser.ts",
  line: 6,
  ...over,
});

const build = (findings: ReviewFinding[], minPriority: 0 | 1 | 2 | 3 = 1, taskUrl?: string) =>
  buildReview({
    findings,
    summary: "Two problems in the parser.",
    files,
    headSha: HEAD,
    minPriority,
    taskUrl,
  });

function review(result: ReturnType<typeof buildReview>) {
  if (result.kind !== "review") throw new Error(`expected a review, got ${result.kind}`);
  return result;
}

describe("inline anchoring", () => {
  it("puts findings on the right lines and sides", () => {
    const r = review(
      build([
        finding({ title: "Null input returns null, callers expect a value", line: 6 }),
        finding({ title: "Removed log hid a real failure", line: 30, side: "LEFT", priority: 0 }),
        finding({ title: "Context line", line: 33, side: "RIGHT" }),
      ]),
    );
    expect(r.payload.commit_id).toBe(HEAD);
    expect(r.payload.event).toBe("COMMENT");
    expect(r.payload.comments.map(({ path, line, side }) => ({ path, line, side }))).toEqual([
      { path: "src/parser.ts", line: 30, side: "LEFT" },
      { path: "src/parser.ts", line: 6, side: "RIGHT" },
      { path: "src/parser.ts", line: 33, side: "RIGHT" },
    ]);
    expect(r.stats).toMatchObject({ total: 3, inline: 3, summarized: 0, belowThreshold: 0 });
  });

  it("keeps a multi-line range inside one hunk", () => {
    const r = review(build([finding({ start_line: 5, line: 8 })]));
    expect(r.payload.comments[0]).toMatchObject({
      line: 8,
      side: "RIGHT",
      start_line: 5,
      start_side: "RIGHT",
    });
  });

  it("a range crossing hunks becomes a comment on its last line that names the range", () => {
    const r = review(build([finding({ start_line: 9, line: 32 })]));
    const c = r.payload.comments[0]!;
    expect(c.line).toBe(32);
    expect(c.start_line).toBeUndefined();
    expect(c.start_side).toBeUndefined();
    expect(c.body).toContain("Lines 9-32");
  });

  it("each comment carries the priority badge and title, then the body", () => {
    const r = review(
      build([finding({ title: "Limit doubled silently", body: "Was 10.", priority: 0, line: 3 })]),
    );
    expect(r.payload.comments[0]!.body).toBe(
      "**<sub><sub>![P0 Badge](https://img.shields.io/badge/P0-red?style=flat)</sub></sub> Limit doubled silently**\n\nWas 10.",
    );
    expect(priorityBadge(1)).toBe("![P1 Badge](https://img.shields.io/badge/P1-orange?style=flat)");
  });

  it("removed files default to the old side; renamed files match their old path", () => {
    const r = review(
      build([
        finding({ path: "src/legacy.ts", line: 2 }),
        finding({ path: "src/view.ts", line: 1, side: "LEFT" }),
        finding({ path: "./b/src/parser.ts", line: 7 }),
      ]),
    );
    expect(r.payload.comments.map(({ path, line, side }) => [path, line, side])).toEqual([
      ["src/legacy.ts", 2, "LEFT"],
      ["src/render/view.ts", 1, "LEFT"],
      ["src/parser.ts", 7, "RIGHT"],
    ]);
  });
});

describe("findings that cannot be anchored go to the summary", () => {
  const r = review(
    build([
      finding({ title: "Outside hunk", line: 20 }),
      finding({ title: "Not in diff", path: "src/other.ts", line: 1 }),
      finding({ title: "Binary", path: "assets/logo.png", line: 1 }),
      finding({ title: "Old side outside hunk", line: 10, side: "LEFT" }),
      finding({ title: "Anchored", line: 7 }),
    ]),
  );

  it("only anchorable findings become comments", () => {
    expect(r.payload.comments).toHaveLength(1);
    expect(r.payload.comments[0]!.line).toBe(7);
    expect(r.stats).toMatchObject({ inline: 1, summarized: 4 });
  });

  it("the summary body lists each with its location, reason and badge", () => {
    const body = r.payload.body;
    expect(body).toContain("Two problems in the parser.");
    expect(body).toContain("Outside hunk");
    expect(body).toContain("`src/parser.ts:20` — line 20 (new version) is not in the diff");
    expect(body).toContain("`src/other.ts:1` — file not changed in this pull request");
    expect(body).toContain("`assets/logo.png:1` — no text diff for this file (binary or too large)");
    expect(body).toContain("`src/parser.ts:10` — line 10 (old version) is not in the diff");
    expect(body).not.toContain("Anchored");
    expect(body.split(priorityBadge(1)).length - 1).toBe(4);
  });

  it("placements say where each finding went", () => {
    expect(r.placements.map((p) => [p.finding.title, p.placement])).toEqual([
      ["Outside hunk", "summary"],
      ["Not in diff", "summary"],
      ["Binary", "summary"],
      ["Old side outside hunk", "summary"],
      ["Anchored", "inline"],
    ]);
  });
});

describe("threshold and ordering", () => {
  it("drops findings below the threshold and says how many", () => {
    const r = review(
      build(
        [
          finding({ title: "Nit", priority: 3, line: 1 }),
          finding({ title: "Minor", priority: 2, line: 2 }),
          finding({ title: "Bug", priority: 1, line: 3 }),
        ],
        1,
        "https://hub.example.com/tasks/t_123",
      ),
    );
    expect(r.payload.comments.map((c) => c.line)).toEqual([3]);
    expect(r.stats).toMatchObject({ total: 3, inline: 1, belowThreshold: 2 });
    expect(r.payload.body).toContain("2 findings below P1 were not posted.");
    expect(r.payload.body).toContain("[Open the full review](https://hub.example.com/tasks/t_123)");
  });

  it("a lower threshold posts them", () => {
    const r = review(build([finding({ priority: 3, line: 1 }), finding({ priority: 2, line: 2 })], 3));
    expect(r.stats.inline).toBe(2);
    expect(r.payload.body).not.toContain("not posted");
  });

  it("sorts P0 first, keeping the executor's order within a priority", () => {
    const r = review(
      build([
        finding({ title: "b", priority: 1, line: 1 }),
        finding({ title: "a", priority: 0, line: 2 }),
        finding({ title: "c", priority: 1, line: 3 }),
      ]),
    );
    expect(r.payload.comments.map((c) => c.line)).toEqual([2, 1, 3]);
  });
});

describe("clean reviews", () => {
  it("no finding at all is clean", () => {
    expect(build([])).toEqual({
      kind: "clean",
      placements: [],
      stats: { total: 0, inline: 0, summarized: 0, belowThreshold: 0, omitted: 0, truncated: false },
    });
  });

  it("only findings below the threshold is clean too", () => {
    const r = build([finding({ priority: 2 }), finding({ priority: 3, path: "nowhere.ts" })]);
    expect(r.kind).toBe("clean");
    expect(r.stats.belowThreshold).toBe(2);
  });

  it("an unanchorable finding above the threshold is not clean", () => {
    expect(build([finding({ path: "nowhere.ts" })]).kind).toBe("review");
  });
});

describe("GitHub's body limit", () => {
  it("cuts an oversized comment body with a visible note", () => {
    const r = review(build([finding({ body: "x".repeat(70_000) })]));
    const body = r.payload.comments[0]!.body;
    expect(body.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(body).toMatch(/truncated: too long for a GitHub comment/);
    expect(r.stats.truncated).toBe(true);
  });

  it("lists as many unanchored findings as fit, then says how many are missing", () => {
    const many = Array.from({ length: 40 }, (_, i) =>
      finding({ title: `Finding ${i}`, path: `gen/file-${i}.ts`, body: "y".repeat(3_000) }),
    );
    const r = review(build(many, 1, "https://hub.example.com/tasks/t_9"));
    const body = r.payload.body;
    expect(body.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(r.stats.truncated).toBe(true);
    expect(r.stats.omitted).toBeGreaterThan(0);
    expect(body).toContain(`${r.stats.omitted} more findings not shown`);
    expect(body).toContain("Finding 0");
    expect(body).not.toContain("Finding 39");
    expect(body.endsWith("[Open the full review](https://hub.example.com/tasks/t_9)")).toBe(true);
  });

  it("cuts an oversized summary and keeps the findings list", () => {
    const r = review(
      buildReview({
        findings: [finding({ path: "nowhere.ts", title: "Still listed" })],
        summary: "z".repeat(100_000),
        files,
        headSha: HEAD,
        minPriority: 1,
      }),
    );
    expect(r.payload.body.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(r.payload.body).toContain("Still listed");
    expect(r.stats.truncated).toBe(true);
  });
});
