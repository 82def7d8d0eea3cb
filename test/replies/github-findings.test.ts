import { describe, expect, it } from "vitest";
import { parseReviewAnswer, reviewAnswerJsonSchema } from "../../src/replies/findings";

const answer = {
  summary: "The retry loop can spin forever when the budget is zero.",
  findings: [
    {
      title: "Infinite retry when budget is 0",
      body: "`while (attempts <= budget)` never ends for budget 0 because attempts is not incremented.",
      priority: 0,
      path: "src/outbox/retry.ts",
      line: 42,
      start_line: 40,
      side: "RIGHT",
    },
    { title: "Typo in log message", body: "recieved → received", priority: 3, path: "src/log.ts", line: 7 },
  ],
};

describe("parseReviewAnswer", () => {
  it("accepts the JSON object", () => {
    const r = parseReviewAnswer(JSON.stringify(answer));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.summary).toBe(answer.summary);
    expect(r.value.findings[0]).toMatchObject({ priority: 0, start_line: 40, side: "RIGHT" });
    expect(r.value.findings[1]?.start_line).toBeUndefined();
    expect(r.value.findings[1]?.side).toBeUndefined();
  });

  it("accepts the object alone inside a ```json fence", () => {
    const r = parseReviewAnswer(`\n\`\`\`json\n${JSON.stringify(answer, null, 2)}\n\`\`\`\n`);
    expect(r.ok && r.value.findings).toHaveLength(2);
    expect(parseReviewAnswer(`\`\`\`\n${JSON.stringify(answer)}\n\`\`\``).ok).toBe(true);
  });

  it("accepts strict-output nulls for the optional fields", () => {
    const strict = { summary: "ok", findings: [{ ...answer.findings[1], start_line: null, side: null }] };
    const r = parseReviewAnswer(JSON.stringify(strict));
    expect(r).toEqual({
      ok: true,
      value: {
        summary: "ok",
        findings: [
          {
            title: "Typo in log message",
            body: "recieved → received",
            priority: 3,
            path: "src/log.ts",
            line: 7,
          },
        ],
      },
    });
  });

  it("accepts an empty findings list (a clean review)", () => {
    expect(parseReviewAnswer('{"summary":"Looks good.","findings":[]}')).toEqual({
      ok: true,
      value: { summary: "Looks good.", findings: [] },
    });
  });

  it.each([
    ["empty", "   ", /empty/],
    ["prose", "Here is my review: looks fine", /not valid JSON/],
    ["prose around a fence", `Sure!\n\`\`\`json\n${JSON.stringify(answer)}\n\`\`\``, /not valid JSON/],
    ["two fences", "```json\n{}\n```\n```json\n{}\n```", /not valid JSON|does not match/],
    ["unclosed fence", "```json\n{}", /code fence/],
    ["array", "[]", /JSON object/],
    ["missing summary", '{"findings":[]}', /summary/],
    ["truncated JSON", '{"summary":"x","findings":[{"title":"a"', /not valid JSON/],
  ])("rejects %s", (_label, text, message) => {
    const r = parseReviewAnswer(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });

  it.each([
    ["priority 4", { priority: 4 }],
    ["priority as a label", { priority: "P1" }],
    ["fractional priority", { priority: 1.5 }],
    ["negative priority", { priority: -1 }],
    ["line 0", { line: 0 }],
    ["line as a string", { line: "42" }],
    ["unknown side", { side: "BOTH" }],
    ["empty path", { path: " " }],
  ])("rejects a finding with %s and names the field", (_label, patch) => {
    const bad = { ...answer, findings: [{ ...answer.findings[0], ...patch }] };
    const r = parseReviewAnswer(JSON.stringify(bad));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(new RegExp(`findings\\[0\\]\\.${Object.keys(patch)[0]}`));
  });

  it("explains the allowed priorities", () => {
    const bad = { ...answer, findings: [{ ...answer.findings[0], priority: "P1" }] };
    const r = parseReviewAnswer(JSON.stringify(bad));
    expect(!r.ok && r.error).toContain("findings[0].priority: priority must be 0, 1, 2 or 3");
  });
});

describe("reviewAnswerJsonSchema", () => {
  it("is strict: every property required, no extra properties, optional values nullable", () => {
    const item = reviewAnswerJsonSchema.properties.findings.items;
    expect([...item.required].sort()).toEqual(Object.keys(item.properties).sort());
    expect(item.additionalProperties).toBe(false);
    expect(reviewAnswerJsonSchema.additionalProperties).toBe(false);
    expect(item.properties.start_line.type).toContain("null");
    expect(item.properties.side.enum).toEqual(["RIGHT", "LEFT", null]);
    expect(item.properties.priority.enum).toEqual([0, 1, 2, 3]);
  });
});
