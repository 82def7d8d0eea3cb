import { escapeMrkdwn, slackLink } from "./markdown-slack";

// What a finished task says, and where: the full answer or only a link (DESIGN.md §4), and the one-line notice
// sent to channels subscribed to the task's environment.

export type ReplySurface = "slack" | "linear" | "github";
export type ReplyMode = "full" | "link";
export type TaskOutcome = "completed" | "failed" | "cancelled";

export interface ReplyModeInput {
  surface: ReplySurface;
  toggles: { slackFullAnswers: boolean; linearFullAnswers: boolean };
  /** Slack `is_ext_shared_channel`: people from other organizations read the channel. */
  externallyShared?: boolean;
}

/**
 * Slack posts the full answer only when the workspace allows it and the channel is not shared with another
 * organization (an answer may quote private code); Linear follows its own switch; GitHub always gets the full
 * answer, since it lands where the code already is.
 */
export function replyMode(input: ReplyModeInput): ReplyMode {
  switch (input.surface) {
    case "slack":
      return input.toggles.slackFullAnswers && !input.externallyShared ? "full" : "link";
    case "linear":
      return input.toggles.linearFullAnswers ? "full" : "link";
    case "github":
      return "full";
  }
}

export const OUTCOME_LABELS: Record<TaskOutcome, { icon: string; word: string }> = {
  completed: { icon: "✅", word: "Completed" },
  failed: { icon: "❌", word: "Failed" },
  cancelled: { icon: "🚫", word: "Cancelled" },
};

/** A title on one line, cut with a visible ellipsis (the task page has it whole). */
export function oneLineTitle(title: string, max = 150): string {
  const flat = title.replace(/\s+/g, " ").trim() || "Untitled task";
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

export interface CompletionNoticeInput {
  title: string;
  status: TaskOutcome;
  requesterName: string;
  taskUrl: string;
  /** Slack mrkdwn (the default: notices go to subscribed channels) or Markdown. */
  format?: "slack" | "markdown";
}

/** One line: outcome, title, who asked, and the task link. */
export function renderCompletionNotice(input: CompletionNoticeInput): string {
  const { icon, word } = OUTCOME_LABELS[input.status];
  const title = oneLineTitle(input.title);
  const requester = oneLineTitle(input.requesterName, 80);
  if (input.format === "markdown") {
    const safe = (text: string) => text.replace(/([\\`*_[\]<>])/g, "\\$1");
    return `${icon} ${word}: **${safe(title)}**, requested by ${safe(requester)} · [View task](${input.taskUrl})`;
  }
  return `${icon} ${word}: *${escapeMrkdwn(title)}*, requested by ${escapeMrkdwn(requester)} · ${slackLink(input.taskUrl, "View task")}`;
}
