import { noMore, repository, triggers } from "./slash-args";
import type { SlackToken } from "./slash-markup";
import type { SlashCommand } from "./slash-types";

// `/codex review me ...`: a member's own automatic reviews. Without a repository it is the workspace-wide
// opt-in (`/codex review-my-prs on|off`); with one, the events that start a review of their pull requests there.

export const REVIEW_ME_USAGE =
  "`/codex review me [owner/name] [opened,ready_for_review,synchronize | off | default]`";

const OFF = new Set(["off", "none", "never", "no"]);
const DEFAULT = new Set(["default", "reset", "repository", "repo"]);

export function parseReviewMe(args: SlackToken[]): SlashCommand {
  const [first, ...rest] = args;
  if (!first) return { kind: "review.me" };
  const word = first.text.toLowerCase();
  if (word === "on" || word === "off") {
    noMore(rest, REVIEW_ME_USAGE);
    return { kind: "review-my-prs", enabled: word === "on" };
  }
  const repo = repository(first);
  if (rest.length === 0) return { kind: "review.me", repository: repo };
  const choice = rest.map((t) => t.text.toLowerCase()).join(" ");
  if (OFF.has(choice)) return { kind: "review.me", repository: repo, triggers: [] };
  if (DEFAULT.has(choice)) return { kind: "review.me", repository: repo, triggers: null };
  return { kind: "review.me", repository: repo, triggers: triggers(rest, REVIEW_ME_USAGE) };
}
