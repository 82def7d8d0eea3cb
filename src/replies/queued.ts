import type { Standing, WaitScope } from "../tasks/standing";
import { escapeMarkdown, markdownLink } from "./linear-body";
import { escapeMrkdwn, slackLink } from "./markdown-slack";
import { clipText, mrkdwn, SLACK_LIMITS, type SlackMessage } from "./slack-types";

// What a person is told when their request waits for a limit: where it stands and, for a daily limit, when it
// starts. Plain sentences (each surface escapes and frames them): "3rd in line; your workspace runs 4 tasks
// at a time." or "Your workspace has used its 50 tasks for today; this one starts after 00:00 UTC."

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** 1st, 2nd, 3rd, 4th… 11th, 12th, 13th, 21st. */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix =
    tens >= 11 && tens <= 13 ? "th" : n % 10 === 1 ? "st" : n % 10 === 2 ? "nd" : n % 10 === 3 ? "rd" : "th";
  return `${n}${suffix}`;
}

/** Who runs the tasks, as the rest of a sentence: "your workspace runs", "you can run". */
function runs(scope: WaitScope): string {
  switch (scope.type) {
    case "workspace":
      return "your workspace runs";
    case "environment":
      return `the environment ${scope.name} runs`;
    case "group":
      return `the group ${scope.name} runs`;
    case "member":
      return "you can run";
  }
}

/** Who used the daily allowance: subject, verb and possessive agree ("You have used your…"). */
function whose(scope: WaitScope): { subject: string; has: string; its: string } {
  switch (scope.type) {
    case "workspace":
      return { subject: "Your workspace", has: "has", its: "its" };
    case "environment":
      return { subject: `The environment ${scope.name}`, has: "has", its: "its" };
    case "group":
      return { subject: `The group ${scope.name}`, has: "has", its: "its" };
    case "member":
      return { subject: "You", has: "have", its: "your" };
  }
}

/** The reset as people read it: daily limits start over at 00:00 UTC. */
function resetTime(resetsAt: number): string {
  const at = new Date(resetsAt);
  const hh = String(at.getUTCHours()).padStart(2, "0");
  const mm = String(at.getUTCMinutes()).padStart(2, "0");
  return `${hh}:${mm} UTC`;
}

/** The sentence that tells a person where their waiting request stands. */
export function describeStanding(standing: Standing): string {
  if (standing.code === "running") {
    const place = standing.position === 1 ? "Next in line" : `${ordinal(standing.position)} in line`;
    return `${place}; ${runs(standing.scope)} ${plural(standing.limit, "task")} at a time.`;
  }
  const { subject, has, its } = whose(standing.scope);
  const what = plural(standing.limit, standing.kind === "review" ? "review" : "task").replace(/^\d+ /, "");
  const starts = `this one starts after ${resetTime(standing.resetsAt)}`;
  if (standing.used >= standing.limit) {
    return `${subject} ${has} used ${its} ${standing.limit} ${what} for today; ${starts}.`;
  }
  const left = standing.limit - standing.used;
  return `${subject} ${has} ${left} of ${its} ${standing.limit} ${what} for today left, and the requests ahead of this one take them; ${starts}.`;
}

const NEXT = "It starts on its own when its turn comes.";

/** The notice in a Slack thread (mrkdwn). */
export function renderSlackQueued(standing: Standing, taskUrl: string): SlackMessage {
  const text = `⏳ *Queued.* ${escapeMrkdwn(describeStanding(standing))} ${NEXT} Follow along on the ${slackLink(taskUrl, "task page")}.`;
  return { text, blocks: [{ type: "section", text: mrkdwn(clipText(text, SLACK_LIMITS.sectionText)) }] };
}

/** The notice as Markdown: a GitHub pull request comment, a Linear activity or comment. */
export function renderMarkdownQueued(standing: Standing, taskUrl: string, heading = "Queued"): string {
  return `⏳ **${escapeMarkdown(heading)}.** ${escapeMarkdown(describeStanding(standing))} ${NEXT} ${markdownLink("View the task", taskUrl)}`;
}
