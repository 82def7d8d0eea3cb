import type { FeedbackSentiment } from "../../db/schema/github";

// The sentiment of what people answer to a review comment, for the code-review analytics. The rule is fixed
// and documented (README, OpenAPI) so a figure can be checked by hand against the comments it counts:
//
// - A reaction is positive (👍 `+1`, ❤️ `heart`, 🎉 `hooray`, 🚀 `rocket`), negative (👎 `-1`, 😕 `confused`)
//   or neutral (😄 `laugh`, 👀 `eyes`, anything else): GitHub's eight reactions
//   (https://docs.github.com/en/rest/reactions/reactions#about-reactions).
// - A reply is read without its quoted lines (`>`) and code (fenced or inline). It is negative when it says the
//   finding is wrong (a false positive, not a bug / an issue / a problem, wrong, incorrect, invalid, not
//   relevant / valid / needed / applicable, does not apply, won't fix, disagree, nope, 👎); otherwise positive
//   when it thanks or accepts (thanks, thank you, good / nice / great catch, good point, fixed, will fix,
//   addressed, done, agree(d), you're right, makes sense, LGTM, 👍, 🎉, ❤️); otherwise neutral (a question, a
//   discussion). Negative is checked first: "thanks, but this is a false positive" is negative.

const REACTIONS: Record<string, FeedbackSentiment> = {
  "+1": "positive",
  heart: "positive",
  hooray: "positive",
  rocket: "positive",
  "-1": "negative",
  confused: "negative",
  laugh: "neutral",
  eyes: "neutral",
};

export const reactionSentiment = (content: string): FeedbackSentiment => REACTIONS[content] ?? "neutral";

const NEGATIVE: readonly RegExp[] = [
  /\bfalse[\s-]+(?:positive|alarm)s?\b/,
  /\b(?:not|isn'?t|is\s+not|aren'?t|wasn'?t)\s+(?:a|an|really\s+an?|actually\s+an?)?\s*(?:real\s+|actual\s+)?(?:bug|issue|problem|concern)s?\b/,
  /\b(?:not|isn'?t|is\s+not|aren'?t)\s+(?:correct|right|true|valid|relevant|applicable|needed|necessary|accurate)\b/,
  /\b(?:wrong|incorrect|invalid|irrelevant|inaccurate|nonsense|hallucinat\w*)\b/,
  /\b(?:doesn'?t|does\s+not|don'?t|do\s+not)\s+apply\b/,
  /\b(?:won'?t|will\s+not)\s+fix\b/,
  /\bwontfix\b/,
  /\bdisagree[sd]?\b/,
  /\bnope\b/,
  /👎|:-1:|:thumbsdown:/,
];

const POSITIVE: readonly RegExp[] = [
  /\bthanks?\b|\bthank\s+you\b|\bthx\b/,
  /\b(?:good|nice|great)\s+(?:catch|find|point|call|spot)\b/,
  /\b(?:fixed|addressed|done|resolved)\b/,
  /\bwill\s+fix\b/,
  /\bagreed?\b/,
  /\byou'?re\s+right\b|\byou\s+are\s+right\b/,
  /\bmakes\s+sense\b/,
  /\blgtm\b/,
  /👍|:\+1:|:thumbsup:|🎉|❤️|:tada:/,
];

/** The words of a reply that are the person's own: no quoted lines, no code. */
function ownWords(text: string): string {
  return text
    .replace(/```[\s\S]*?(?:```|$)/g, " ")
    .replace(/`[^`\n]*`/g, " ")
    .split("\n")
    .filter((line) => !line.trimStart().startsWith(">"))
    .join(" ")
    .toLowerCase()
    .replace(/[’‘]/g, "'");
}

export function replySentiment(text: string): FeedbackSentiment {
  const words = ownWords(text);
  if (NEGATIVE.some((rule) => rule.test(words))) return "negative";
  if (POSITIVE.some((rule) => rule.test(words))) return "positive";
  return "neutral";
}

export const feedbackSentiment = (kind: "reaction" | "reply", content: string): FeedbackSentiment =>
  kind === "reaction" ? reactionSentiment(content) : replySentiment(content);
