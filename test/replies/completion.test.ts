import { describe, expect, it } from "vitest";
import { renderCompletionNotice, replyMode } from "../../src/replies/completion";

const on = { slackFullAnswers: true, linearFullAnswers: true };
const off = { slackFullAnswers: false, linearFullAnswers: false };

describe("replyMode", () => {
  it("posts full answers in Slack only when the switch is on and the channel is not shared externally", () => {
    expect(replyMode({ surface: "slack", toggles: on })).toBe("full");
    expect(replyMode({ surface: "slack", toggles: on, externallyShared: false })).toBe("full");
    expect(replyMode({ surface: "slack", toggles: on, externallyShared: true })).toBe("link");
    expect(replyMode({ surface: "slack", toggles: off })).toBe("link");
    expect(replyMode({ surface: "slack", toggles: { ...on, slackFullAnswers: false } })).toBe("link");
  });

  it("follows Linear's own switch, whatever Slack's says", () => {
    expect(
      replyMode({ surface: "linear", toggles: { slackFullAnswers: false, linearFullAnswers: true } }),
    ).toBe("full");
    expect(
      replyMode({ surface: "linear", toggles: { slackFullAnswers: true, linearFullAnswers: false } }),
    ).toBe("link");
  });

  it("always answers in full on GitHub", () => {
    expect(replyMode({ surface: "github", toggles: off, externallyShared: true })).toBe("full");
  });
});

describe("renderCompletionNotice", () => {
  const input = {
    title: "Fix the flaky\nlogin test",
    status: "completed" as const,
    requesterName: "Ann <ann>",
    taskUrl: "https://hub/tasks/t1",
  };

  it("is one line with outcome, title, requester and link", () => {
    const line = renderCompletionNotice(input);
    expect(line).not.toContain("\n");
    expect(line).toBe(
      "✅ Completed: *Fix the flaky login test*, requested by Ann &lt;ann&gt; · <https://hub/tasks/t1|View task>",
    );
  });

  it("names failures and cancellations", () => {
    expect(renderCompletionNotice({ ...input, status: "failed" })).toMatch(/^❌ Failed: /);
    expect(renderCompletionNotice({ ...input, status: "cancelled" })).toMatch(/^🚫 Cancelled: /);
  });

  it("shortens a very long title visibly", () => {
    const line = renderCompletionNotice({ ...input, title: "x".repeat(500) });
    expect(line).toContain(`${"x".repeat(149)}…`);
    expect(line).not.toContain("x".repeat(150));
  });

  it("can render Markdown for surfaces other than Slack", () => {
    expect(renderCompletionNotice({ ...input, format: "markdown" })).toBe(
      "✅ Completed: **Fix the flaky login test**, requested by Ann \\<ann\\> · [View task](https://hub/tasks/t1)",
    );
  });
});
