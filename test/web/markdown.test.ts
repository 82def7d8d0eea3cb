import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../src/web/markdown";

describe("answer Markdown", () => {
  it("escapes raw HTML instead of rendering it", () => {
    const html = renderMarkdown('<img src=x onerror="alert(1)"> <iframe src="https://evil.test"></iframe>');
    expect(html).not.toMatch(/<img|<iframe/);
    expect(html).toContain("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
  });

  it("keeps http(s), mailto and relative links and drops every other scheme", () => {
    const html = renderMarkdown(
      "[a](https://ok.test) [b](mailto:x@ok.test) [c](/tasks/1) [d](javascript:alert(1)) [e](JaVaScRiPt:alert(1)) [f](data:text/html;base64,PHNjcmlwdD4=) [g](vbscript:x) [h](//evil.test) <javascript:alert(1)>",
    );
    expect(html.match(/<a /g)).toHaveLength(3);
    expect(html).not.toMatch(/href="(javascript|data|vbscript):|href="\/\//i);
    expect(html).toContain('rel="nofollow noopener noreferrer"');
  });

  it("shows images as links rather than loading them", () => {
    expect(renderMarkdown("![chart](https://img.test/c.png)")).toBe(
      '<p><a href="https://img.test/c.png" rel="nofollow noopener noreferrer">chart</a></p>\n',
    );
    expect(renderMarkdown("![x](javascript:alert(1))")).not.toMatch(/href=|src=/);
  });

  it("renders code blocks with their markup escaped", () => {
    expect(renderMarkdown("```html\n<b>bold</b>\n```")).toContain("&lt;b&gt;bold&lt;/b&gt;");
  });
});
