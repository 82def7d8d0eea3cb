import { describe, expect, it } from "vitest";
import { parseSlackRef, tokenizeSlackText, unwrapSlackText } from "../../src/routing/slash-markup";

describe("Slack references", () => {
  it("parses each kind of reference", () => {
    expect(parseSlackRef("@U123|ann")).toEqual({ type: "user", id: "U123", label: "ann" });
    expect(parseSlackRef("@U123")).toEqual({ type: "user", id: "U123" });
    expect(parseSlackRef("#C42|general")).toEqual({ type: "channel", id: "C42", label: "general" });
    expect(parseSlackRef("!subteam^S9|@eng")).toEqual({ type: "usergroup", id: "S9", label: "@eng" });
    expect(parseSlackRef("!here")).toEqual({ type: "broadcast", name: "here" });
    expect(parseSlackRef("mailto:a@b.co|a@b.co")).toEqual({ type: "email", email: "a@b.co" });
    expect(parseSlackRef("https://x.io/a?b=1&amp;c=2|x")).toEqual({
      type: "link",
      url: "https://x.io/a?b=1&c=2",
      label: "x",
    });
    expect(parseSlackRef("not a ref")).toBeNull();
  });

  it("unwraps text to what the person typed", () => {
    expect(unwrapSlackText("hi <@U1|ann> in <#C1|dev>: 1 &lt; 2 &amp;&amp; <https://a.io|a.io>")).toBe(
      "hi @ann in #dev: 1 < 2 && https://a.io",
    );
    expect(unwrapSlackText("see <https://a.io/x|the docs>")).toBe("see the docs (https://a.io/x)");
    expect(unwrapSlackText("mail <mailto:a@b.co|a@b.co>")).toBe("mail a@b.co");
    // Something that only looks like markup stays as typed.
    expect(unwrapSlackText("a <b> c")).toBe("a <b> c");
  });

  it("keeps a reference with spaces in its label as one token", () => {
    const tokens = tokenizeSlackText("grant <@U1|Ann Lee> <https://a.io|two words> x");
    expect(tokens.map((t) => t.text)).toEqual(["grant", "@Ann Lee", "https://a.io", "x"]);
    expect(tokens[1]?.ref).toEqual({ type: "user", id: "U1", label: "Ann Lee" });
    // Glued to punctuation it is still one token, just not a bare reference.
    expect(tokenizeSlackText("<@U1|Ann Lee>, x").map((t) => t.text)).toEqual(["@Ann Lee,", "x"]);
  });
});
