import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderSlackAnswer, type SlackAnswerInput } from "../../src/replies/slack-blocks";
import { SLACK_LIMITS, type SlackMessage, validateSlackMessage } from "../../src/replies/slack-types";

const base: SlackAnswerInput = {
  answer: "Fixed the **flaky** test.",
  taskUrl: "https://hub.example.com/tasks/t1",
  status: "completed",
  title: "Fix the flaky login test",
  mode: "full",
};

function sectionTexts(message: SlackMessage): string[] {
  return message.blocks.flatMap((b) => (b.type === "section" ? [b.text.text] : []));
}

describe("renderSlackAnswer", () => {
  it("posts the full answer as mrkdwn with the task and PR links", () => {
    const message = renderSlackAnswer({ ...base, prUrl: "https://github.com/acme/api/pull/9" });
    expect(validateSlackMessage(message)).toEqual([]);
    const texts = sectionTexts(message);
    expect(texts[0]).toContain("Completed");
    expect(texts[0]).toContain("Fix the flaky login test");
    expect(texts).toContain("Fixed the *flaky* test.");
    expect(texts.at(-1)).toContain("<https://github.com/acme/api/pull/9|Open the pull request>");
    expect(texts.at(-1)).toContain("<https://hub.example.com/tasks/t1|View the task>");
    // The notification preview: outcome and gist first, plain words, each link once.
    expect(message.text).toBe(
      "✅ Completed: Fix the flaky login test\nFixed the flaky test.\nPull request: https://github.com/acme/api/pull/9\nTask: https://hub.example.com/tasks/t1",
    );
  });

  it("posts only the link in link mode, once", () => {
    const message = renderSlackAnswer({ ...base, mode: "link", answer: "SECRET ANSWER" });
    expect(validateSlackMessage(message)).toEqual([]);
    expect(JSON.stringify(message)).not.toContain("SECRET ANSWER");
    expect(sectionTexts(message)).toEqual([
      "✅ *Completed:* Fix the flaky login test",
      "The answer is on the <https://hub.example.com/tasks/t1|task page>.",
    ]);
    expect(message.text).toBe(
      "✅ Completed: Fix the flaky login test\nThe answer is on the task page: https://hub.example.com/tasks/t1",
    );
  });

  it("never repeats a link the answer already holds", () => {
    const pr = "https://github.com/acme/api/pull/9";
    const onlyLink = renderSlackAnswer({ ...base, answer: pr, prUrl: pr });
    const all = JSON.stringify(onlyLink.blocks);
    expect(all.split(pr)).toHaveLength(2);
    expect(sectionTexts(onlyLink).at(-1)).toBe("🔗 <https://hub.example.com/tasks/t1|View the task>");
    expect(onlyLink.text.split(pr)).toHaveLength(2);

    const linked = renderSlackAnswer({
      ...base,
      answer:
        "See [the task](https://hub.example.com/tasks/t1) and [the PR](https://github.com/acme/api/pull/9).",
      prUrl: pr,
    });
    expect(sectionTexts(linked)).toHaveLength(2);
    expect(linked.text).toBe(
      "✅ Completed: Fix the flaky login test\nSee the task and the PR.\nPull request: https://github.com/acme/api/pull/9\nTask: https://hub.example.com/tasks/t1",
    );
  });

  it("says what failed and what to do", () => {
    const message = renderSlackAnswer({
      ...base,
      status: "failed",
      answer: null,
      failure: {
        what: "The tests did not run: npm install failed.",
        nextStep: "Check the lockfile, then mention me again.",
      },
    });
    const body = sectionTexts(message).join("\n");
    expect(body).toContain("*What failed:* The tests did not run: npm install failed.");
    expect(body).toContain("*What you can do:* Check the lockfile, then mention me again.");
    expect(sectionTexts(renderSlackAnswer({ ...base, status: "failed" })).join("\n")).toMatch(
      /What you can do:\* Open/,
    );
  });

  it("reports a cancellation", () => {
    const message = renderSlackAnswer({ ...base, status: "cancelled" });
    expect(sectionTexts(message).join("\n")).toContain("cancelled before it finished");
    expect(JSON.stringify(message)).not.toContain("flaky* test");
  });

  it("says so when the answer is empty", () => {
    const message = renderSlackAnswer({ ...base, answer: "   " });
    expect(validateSlackMessage(message)).toEqual([]);
    expect(sectionTexts(message).join("\n")).toContain("without a written answer");
  });

  it("splits a long answer into valid sections, keeping code blocks whole in each", () => {
    const code = Array.from({ length: 200 }, (_, i) => `  console.log(${i}); // <tag> & more`).join("\n");
    const answer = `# Result\n\n${"Some prose here. ".repeat(300)}\n\n\`\`\`js\n${code}\n\`\`\`\n\nDone.`;
    const message = renderSlackAnswer({ ...base, answer });
    expect(validateSlackMessage(message)).toEqual([]);
    const texts = sectionTexts(message);
    expect(texts.length).toBeGreaterThan(4);
    for (const text of texts) expect((text.match(/```/g) ?? []).length % 2).toBe(0);
    expect(texts.join("\n")).toContain("console.log(199); // &lt;tag&gt; &amp; more");
  });

  it("truncates visibly, with the link to the full answer, when 50 blocks are not enough", () => {
    const answer = Array.from({ length: 60 }, (_, i) => `Paragraph ${i} ${"x".repeat(2900)}`).join("\n\n");
    const message = renderSlackAnswer({ ...base, answer });
    expect(validateSlackMessage(message)).toEqual([]);
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    const texts = sectionTexts(message);
    // The note links the task page, so no links line repeats it.
    const note = texts.at(-1) ?? "";
    expect(note).toMatch(/too long for Slack: [\d,]+ more characters/);
    expect(note).toContain("<https://hub.example.com/tasks/t1|task page>");
    expect(texts.join("\n")).toContain("Paragraph 46");
    expect(texts.join("\n")).not.toContain("Paragraph 59");
    expect(message.text).toMatch(/^✅ Completed: Fix the flaky login test\nParagraph 0 x+…\nTask: /);
  });

  it("stays within Slack's limits for any answer", () => {
    const answerLine = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.constantFrom(
        "```",
        "```py",
        "# Heading",
        "- **item**",
        "",
        "<!here> & <b>",
        "[x](https://a.io/(y))",
      ),
      fc.string({ minLength: 1000, maxLength: 5000 }),
    );
    fc.assert(
      fc.property(
        fc.array(answerLine, { maxLength: 120 }),
        fc.constantFrom("full", "link"),
        (lines, mode) => {
          const message = renderSlackAnswer({
            ...base,
            answer: lines.join("\n"),
            mode: mode as "full" | "link",
          });
          expect(validateSlackMessage(message)).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("validateSlackMessage", () => {
  it("catches what Slack would reject", () => {
    const tooMany: SlackMessage = {
      text: "x",
      blocks: Array.from({ length: 51 }, () => ({
        type: "section" as const,
        text: { type: "mrkdwn" as const, text: "a" },
      })),
    };
    expect(validateSlackMessage(tooMany)).toContain("blocks: 51 blocks");
    const longSection: SlackMessage = {
      text: "x",
      blocks: [{ type: "section", text: { type: "mrkdwn", text: "a".repeat(3001) } }],
    };
    expect(validateSlackMessage(longSection)[0]).toMatch(/3001 characters/);
    expect(validateSlackMessage({ text: "", blocks: [] })).toContain("text: empty fallback text");
  });
});
