import { describe, expect, it } from "vitest";
import { findMention, maskNonProse, parseGithubMention } from "../../src/routing/github-mention";

describe("@codex review", () => {
  it.each([
    ["@codex review", { kind: "review" }],
    ["@Codex REVIEW", { kind: "review" }],
    ["@codex review.", { kind: "review" }],
    ["Thanks!\n\n@codex review", { kind: "review" }],
    ["@codex, review", { kind: "review" }],
    ["@codex review for security issues", { kind: "review", focus: "for security issues" }],
    ["@codex review: the migration only", { kind: "review", focus: "the migration only" }],
    [
      "@codex review\nfocus on error handling\nand retries",
      { kind: "review", focus: "focus on error handling\nand retries" },
    ],
  ])("%j", (body, expected) => {
    expect(parseGithubMention(body)).toEqual(expected);
  });

  it("'review' must be the whole first word", () => {
    expect(parseGithubMention("@codex reviewed this already?")).toEqual({
      kind: "task",
      prompt: "reviewed this already?",
    });
    expect(parseGithubMention("@codex review-bot config is wrong")?.kind).toBe("task");
  });
});

describe("@codex <task>", () => {
  it("anything else is a task whose prompt is the comment without the mention", () => {
    expect(parseGithubMention("@codex fix the CI failure")).toEqual({
      kind: "task",
      prompt: "fix the CI failure",
    });
    expect(parseGithubMention("This breaks on Windows. @codex can you fix it?")).toEqual({
      kind: "task",
      prompt: "This breaks on Windows. can you fix it?",
    });
    expect(parseGithubMention("Flaky test in `retry.test.ts`\n\n@codex address that feedback")).toEqual({
      kind: "task",
      prompt: "Flaky test in `retry.test.ts`\naddress that feedback",
    });
  });

  it("keeps code that follows the mention in the prompt", () => {
    const body = "@codex apply this:\r\n```ts\nconst x = 1;\n```";
    expect(parseGithubMention(body)).toEqual({
      kind: "task",
      prompt: "apply this:\n```ts\nconst x = 1;\n```",
    });
  });

  it("a bare mention asks for nothing", () => {
    expect(parseGithubMention("@codex")).toBeNull();
    expect(parseGithubMention("  @codex  \n")).toBeNull();
  });
});

describe("what is not a mention", () => {
  it.each([
    ["no mention at all", "LGTM, merging"],
    ["inline code", "Run `@codex review` to get a review"],
    ["double-backtick code", "Type ``@codex `review` `` here"],
    ["fenced code", "Example:\n```\n@codex review\n```\n"],
    ["tilde fence", "~~~md\n@codex fix it\n~~~"],
    ["quoted line", "> @codex review\n\nWhy was this asked?"],
    ["indented quote", "   > @codex fix it"],
    ["HTML comment", "<!-- Mention @codex review to get a review -->\nDescription here"],
    ["email address", "Mail ops@codex.dev about it"],
    ["another login", "@codex-bot review"],
    ["longer handle", "@codexer review"],
    ["URL", "see https://github.com/@codex review"],
  ])("%s", (_label, body) => {
    expect(parseGithubMention(body)).toBeNull();
  });

  it("a real mention after a quoted one still counts", () => {
    expect(parseGithubMention("> @codex fix it\n\n@codex review")).toEqual({ kind: "review" });
  });

  it("an unclosed code span is literal text, so the mention counts", () => {
    expect(parseGithubMention("a stray ` then @codex review")).toEqual({ kind: "review" });
  });
});

describe("configurable handle", () => {
  it("uses the app's own handle, with or without @ and [bot]", () => {
    expect(parseGithubMention("@acme-reviewer review", { handle: "acme-reviewer" })).toEqual({
      kind: "review",
    });
    expect(parseGithubMention("@acme-reviewer review", { handle: "@acme-reviewer[bot]" })).toEqual({
      kind: "review",
    });
    expect(parseGithubMention("@codex review", { handle: "acme-reviewer" })).toBeNull();
  });
});

describe("masking keeps offsets", () => {
  it("masked text has the same length and newlines", () => {
    const body = "a `b` c\n```\nd\n```\n> e\nf";
    const masked = maskNonProse(body);
    expect(masked.length).toBe(body.length);
    expect(masked.split("\n").length).toBe(body.split("\n").length);
    expect(masked).toBe("a     c\n   \n \n   \n   \nf");
    expect(findMention("x `y` @codex z")).toEqual({ start: 6, end: 12 });
  });
});
