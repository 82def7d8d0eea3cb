import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitText, splitTextParts } from "../../src/replies/split";

/** Fence lines (``` or ~~~) that are open at the end of `text`, by a simple line scan. */
function openFenceCount(text: string): number {
  let open: string | null = null;
  for (const line of text.split("\n")) {
    const m = /^\s*(`{3,}|~{3,})(.*)$/.exec(line);
    if (!m?.[1]) continue;
    if (open === null) open = m[1];
    else if (m[1][0] === open[0] && m[1].length >= open.length && !m[2]?.trim()) open = null;
  }
  return open === null ? 0 : 1;
}

describe("splitText", () => {
  it("returns short text whole and empty text as nothing", () => {
    expect(splitText("hello", 10)).toEqual(["hello"]);
    expect(splitText("", 10)).toEqual([]);
  });

  it("cuts at a paragraph break when one fills at least half a piece", () => {
    const tail = `${"b".repeat(10)}\n${"c".repeat(10)}\n${"d".repeat(30)}`;
    // The line after "c" would fit too, but the paragraph break makes the better cut.
    expect(splitText(`${"a".repeat(40)}\n\n${tail}`, 70)).toEqual([`${"a".repeat(40)}\n\n`, tail]);
    // A paragraph break too early to fill half a piece loses to a later line break.
    const early = `${"a".repeat(10)}\n\n${"b".repeat(40)}\n${"c".repeat(40)}`;
    expect(splitText(early, 70)[0]).toBe(`${"a".repeat(10)}\n\n${"b".repeat(40)}\n`);
  });

  it("cuts at a line break when there is no good paragraph break", () => {
    const text = `${"a".repeat(20)}\n${"b".repeat(20)}\n${"c".repeat(20)}`;
    expect(splitText(text, 45)).toEqual([`${"a".repeat(20)}\n${"b".repeat(20)}\n`, "c".repeat(20)]);
  });

  it("cuts a long line at a space, and a line without spaces anywhere", () => {
    expect(splitText("alpha beta gamma delta", 12)).toEqual(["alpha beta ", "gamma delta"]);
    expect(splitText("x".repeat(25), 10)).toEqual(["x".repeat(10), "x".repeat(10), "x".repeat(5)]);
  });

  it("closes a code fence at the cut and reopens it, language included", () => {
    const code = Array.from({ length: 8 }, (_, i) => `line ${i}`).join("\n");
    const text = `Intro\n\n\`\`\`ts\n${code}\n\`\`\`\nOutro`;
    const pieces = splitText(text, 40);
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(40);
      expect(openFenceCount(piece)).toBe(0);
    }
    expect(pieces[1]?.startsWith("```ts\n")).toBe(true);
  });

  it("never cuts inside a protected span", () => {
    const link = "<https://example.com/very/long/path|a link with words>";
    const text = `${"word ".repeat(8)}${link} tail`;
    for (const piece of splitText(text, 70, { protect: /<[^<>\n]*>/g })) {
      const opens = (piece.match(/</g) ?? []).length;
      const closes = (piece.match(/>/g) ?? []).length;
      expect(opens).toBe(closes);
    }
  });

  it("does not split a surrogate pair", () => {
    const pieces = splitText("😀".repeat(10), 5);
    for (const piece of pieces) expect(piece).not.toMatch(/[\uD800-\uDBFF]$|^[\uDC00-\uDFFF]/);
    expect(pieces.join("")).toBe("😀".repeat(10));
  });

  it("rejects a limit that is not a positive integer", () => {
    expect(() => splitText("abc", 0)).toThrow(RangeError);
  });
});

const line = fc.oneof(
  { weight: 5, arbitrary: fc.string({ maxLength: 60 }).map((s) => s.replace(/\n/g, " ")) },
  {
    weight: 2,
    arbitrary: fc.constantFrom("", "", "```", "```ts", "~~~", "````", "    ```py", "- item", "> quote"),
  },
  {
    weight: 1,
    arbitrary: fc
      .string({ minLength: 100, maxLength: 400, unit: "grapheme" })
      .map((s) => s.replace(/\n/g, "")),
  },
  { weight: 1, arbitrary: fc.constant("<https://example.com/a|a link with spaces> &amp; more") },
);
const document = fc.array(line, { maxLength: 80 }).map((lines) => lines.join("\n"));

describe("splitTextParts on random documents", () => {
  it("respects the limit, loses nothing and adds only fence lines", () => {
    fc.assert(
      fc.property(document, fc.integer({ min: 1, max: 300 }), (text, maxLen) => {
        const parts = splitTextParts(text, maxLen, { protect: /<[^<>\n]*>|&(?:amp|lt|gt);/g });
        let pos = 0;
        for (const part of parts) {
          expect(part.text.length).toBeLessThanOrEqual(maxLen);
          expect(part.start).toBe(pos);
          expect(part.end).toBeGreaterThan(part.start);
          expect(part.text).toBe(part.prefix + text.slice(part.start, part.end) + part.suffix);
          expect(part.prefix).toMatch(/^$|^\s*(`{3,}|~{3,})\S*\n$/);
          expect(part.suffix).toMatch(/^$|^\n?\s*(`{3,}|~{3,})$/);
          pos = part.end;
        }
        expect(pos).toBe(text.length);
        // Apart from the fence lines added at the cuts, the pieces put back together are the text.
        expect(parts.map((p) => text.slice(p.start, p.end)).join("")).toBe(text);
      }),
      { numRuns: 400 },
    );
  });

  it("leaves no piece with a fence open that the whole text had closed", () => {
    fc.assert(
      fc.property(document, fc.integer({ min: 80, max: 400 }), (text, maxLen) => {
        fc.pre(openFenceCount(text) === 0);
        const pieces = splitText(text, maxLen);
        for (const piece of pieces) expect(openFenceCount(piece)).toBe(0);
      }),
      { numRuns: 400 },
    );
  });
});
