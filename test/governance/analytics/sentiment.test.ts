import { describe, expect, it } from "vitest";
import { reactionSentiment, replySentiment } from "../../../src/governance/analytics/sentiment";

// The documented rule that sorts reactions and replies to review comments into positive, negative and neutral.

describe("reaction sentiment", () => {
  it.each([
    ["+1", "positive"],
    ["heart", "positive"],
    ["hooray", "positive"],
    ["rocket", "positive"],
    ["-1", "negative"],
    ["confused", "negative"],
    ["laugh", "neutral"],
    ["eyes", "neutral"],
    ["something-new", "neutral"],
  ])("%s is %s", (content, sentiment) => {
    expect(reactionSentiment(content)).toBe(sentiment);
  });
});

describe("reply sentiment", () => {
  it.each([
    // Accepting or thanking.
    ["Good catch, fixed in the next commit.", "positive"],
    ["Thanks!", "positive"],
    ["thank you, will fix", "positive"],
    ["Nice find", "positive"],
    ["You’re right, addressed in 3f2a1b.", "positive"],
    ["Agreed.", "positive"],
    ["LGTM 👍", "positive"],
    ["Done", "positive"],
    ["Makes sense.", "positive"],
    // Saying the finding is wrong, even politely.
    ["This is a false positive.", "negative"],
    ["Thanks, but this is a false positive", "negative"],
    ["Not a bug: the value is checked above.", "negative"],
    ["This isn't an issue here", "negative"],
    ["That's wrong, the lock is held.", "negative"],
    ["incorrect", "negative"],
    ["Not relevant for this change", "negative"],
    ["This doesn't apply to generated code", "negative"],
    ["Won't fix.", "negative"],
    ["I disagree", "negative"],
    ["nope", "negative"],
    ["👎", "negative"],
    // Anything else: questions and discussion.
    ["Why is that?", "neutral"],
    ["Can you explain the second case?", "neutral"],
    ["I'll look at it tomorrow", "neutral"],
    ["", "neutral"],
    // Words that only contain a keyword do not count.
    ["The thankless task of refactoring", "neutral"],
    ["Is the agreement signed?", "neutral"],
  ])("%j is %s", (text, sentiment) => {
    expect(replySentiment(text)).toBe(sentiment);
  });

  it("reads only the person's own words: not quoted lines, not code", () => {
    expect(replySentiment("> This is wrong\n\nWhy do you think so?")).toBe("neutral");
    expect(replySentiment("```\nconst wrong = 1;\n```\nthanks")).toBe("positive");
    expect(replySentiment("Rename `isWrong` please")).toBe("neutral");
  });
});
