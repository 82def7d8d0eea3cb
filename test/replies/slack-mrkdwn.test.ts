import { describe, expect, it } from "vitest";
import { escapeMrkdwn, markdownToMrkdwn, slackLink } from "../../src/replies/markdown-slack";

describe("markdownToMrkdwn", () => {
  it("turns headings into bold lines", () => {
    expect(markdownToMrkdwn("# Summary")).toBe("*Summary*");
    expect(markdownToMrkdwn("### Next **steps** ###")).toBe("*Next steps*");
  });

  it("converts emphasis, strike-through and links", () => {
    expect(markdownToMrkdwn("a **bold** b __also__")).toBe("a *bold* b *also*");
    expect(markdownToMrkdwn("an *italic* and _italic_ word")).toBe("an _italic_ and _italic_ word");
    expect(markdownToMrkdwn("~~gone~~")).toBe("~gone~");
    expect(markdownToMrkdwn("***both***")).toBe("*_both_*");
    expect(markdownToMrkdwn("see [the PR](https://github.com/a/b/pull/1)")).toBe(
      "see <https://github.com/a/b/pull/1|the PR>",
    );
    expect(markdownToMrkdwn("<https://a.io/x>")).toBe("<https://a.io/x>");
  });

  it("escapes &, < and > in text but not the links it produces", () => {
    expect(markdownToMrkdwn("if a < b && c > d [q](https://a.io/?x=1&y=2)")).toBe(
      "if a &lt; b &amp;&amp; c &gt; d <https://a.io/?x=1&y=2|q>",
    );
    // A would-be broadcast typed by the agent is shown, never sent as a notification.
    expect(markdownToMrkdwn("<!channel> hi")).toBe("&lt;!channel&gt; hi");
  });

  it("leaves code spans and fenced code unformatted (only Slack's three characters escaped)", () => {
    expect(markdownToMrkdwn("run `npm **test** <x>` now")).toBe("run `npm **test** &lt;x&gt;` now");
    const md = "```ts\nconst a = **b** * _c_;\nif (x < y) {}\n```";
    expect(markdownToMrkdwn(md)).toBe("```\nconst a = **b** * _c_;\nif (x &lt; y) {}\n```");
    // Markdown runs an unclosed fence to the end; Slack needs it closed.
    expect(markdownToMrkdwn("```\nunclosed **x**")).toBe("```\nunclosed **x**\n```");
  });

  it("keeps lists, with bullets Slack shows as bullets", () => {
    expect(markdownToMrkdwn("- one\n  * two\n1. first\n- [x] done\n- [ ] todo")).toBe(
      "• one\n  • two\n1. first\n• ☑ done\n• ☐ todo",
    );
  });

  it("keeps quotes as quotes and tables as aligned code", () => {
    expect(markdownToMrkdwn("> note **this**")).toBe("> note *this*");
    expect(markdownToMrkdwn("| a | b |\n|---|---|\n| 1 | 2 |\nafter")).toBe(
      "```\n| a | b |\n|---|---|\n| 1 | 2 |\n```\nafter",
    );
  });

  it("does not treat snake_case or lone asterisks as emphasis", () => {
    expect(markdownToMrkdwn("call snake_case_name with 2 * 3 * 4")).toBe(
      "call snake_case_name with 2 * 3 * 4",
    );
  });
});

describe("Slack text helpers", () => {
  it("escapes and links safely", () => {
    expect(escapeMrkdwn("a&b<c>")).toBe("a&amp;b&lt;c&gt;");
    expect(slackLink("https://a.io/x|y", "A <b>")).toBe("<https://a.io/x%7Cy|A &lt;b&gt;>");
    expect(slackLink("https://a.io")).toBe("<https://a.io>");
  });
});
