import { OUTCOME_LABELS, oneLineTitle } from "./completion";
import { escapeMrkdwn, slackLink } from "./markdown-slack";
import { renderCancelTaskButton } from "./slack-interactive";
import { plainLine } from "./slack-plain";
import { clipText, mrkdwn, SLACK_LIMITS, type SlackBlock, type SlackMessage } from "./slack-types";

// The task's status message in its Slack thread: posted as "working on it" when the task starts, edited in
// place with the latest step while it runs, and edited once more when it ends (done, failed, or cancelled and
// by whom), without its Cancel button. Edits notify nobody; the answer that follows is a new message that does.

/** A step of the running task as the status message shows it. */
export interface ProgressStep {
  /** Slack mrkdwn, one line. */
  mrkdwn: string;
  /** The same without markup, for the `text` fallback. */
  plain: string;
}

export type TaskStatusView =
  | { state: "working"; step?: ProgressStep }
  | { state: "completed" }
  | { state: "failed"; reason: string }
  /** `byUserId`: the Slack user who cancelled; null when it was done outside Slack by an admin. */
  | { state: "cancelled"; byUserId: string | null };

export interface TaskStatusInput {
  taskId: string;
  taskUrl: string;
  environmentName?: string;
  /** An Ask task says so: it answers, and changes nothing. */
  mode?: "ask" | "code";
  view: TaskStatusView;
}

export function renderTaskStatus(input: TaskStatusInput): SlackMessage {
  const env = input.environmentName;
  const ask = input.mode === "ask" ? " (Ask mode)" : "";
  const where = `${env ? ` in *${escapeMrkdwn(env)}*` : ""}${ask}`;
  const plainWhere = `${env ? ` in ${escapeMrkdwn(env)}` : ""}${ask}`;
  const page = slackLink(input.taskUrl, "task page");
  const { view } = input;
  let line: string;
  let text: string;
  const extra: SlackBlock[] = [];
  switch (view.state) {
    case "working":
      line = `👀 Working on it${where}. Follow along on the ${page}.`;
      text = `👀 Working on it${plainWhere}.${view.step ? ` Now: ${view.step.plain}.` : ""} Follow along: ${input.taskUrl}`;
      if (view.step) {
        extra.push({
          type: "context",
          elements: [mrkdwn(clipText(`⏳ ${view.step.mrkdwn}`, SLACK_LIMITS.contextText))],
        });
      }
      extra.push({ type: "actions", elements: [renderCancelTaskButton(input.taskId)] });
      break;
    case "completed":
      line = `${OUTCOME_LABELS.completed.icon} Done${where} · ${page}`;
      text = `${OUTCOME_LABELS.completed.icon} Done${plainWhere}.`;
      break;
    case "failed": {
      // The first line is for people (an executor's error may go on with a stack or a log tail).
      const first = view.reason.split("\n").find((l) => l.trim()) ?? "";
      const reason = plainLine(first, 150) || "Codex could not finish this task";
      line = `${OUTCOME_LABELS.failed.icon} Failed${where}: ${reason} · ${page}`;
      text = `${OUTCOME_LABELS.failed.icon} Failed${plainWhere}: ${reason}`;
      break;
    }
    case "cancelled": {
      const by = view.byUserId ? `<@${view.byUserId}>` : "an admin";
      line = `${OUTCOME_LABELS.cancelled.icon} Cancelled by ${by}${where} · ${page}`;
      text = `${OUTCOME_LABELS.cancelled.icon} Cancelled by ${by}${plainWhere}.`;
      break;
    }
  }
  return {
    text: clipText(text, SLACK_LIMITS.messageText),
    blocks: [{ type: "section", text: mrkdwn(clipText(line, SLACK_LIMITS.sectionText)) }, ...extra],
  };
}

/** Where a step may name what it touched: full answers may be shown there (otherwise only its kind is). */
export type StepDetail = "full" | "kind";

const STEP_KINDS: Record<string, string> = {
  command: "Running commands",
  file_change: "Editing files",
  tool: "Using tools",
  web_search: "Searching the web",
  thought: "Thinking",
  message: "Writing",
  error: "Ran into a problem; still working",
};

/** `[x] done` / `[ ] to do` lines of an agent's plan, counted. */
function planStep(text: string, detail: StepDetail): string {
  const items = text.split("\n").filter((l) => /^\s*\[[ xX]\]/.test(l));
  const done = items.filter((l) => /^\s*\[[xX]\]/.test(l)).length;
  const next = items.find((l) => /^\s*\[ \]/.test(l))?.replace(/^\s*\[ \]\s*/, "");
  const counted = `Plan: ${done} of ${items.length} steps done`;
  return detail === "full" && next ? `${counted}; next: ${next}` : counted;
}

/** A code span of one line; Slack's code spans cannot hold a backtick. */
const code = (text: string) => `\`${escapeMrkdwn(oneLineTitle(text, 120).replace(/`/g, "'"))}\``;

/**
 * A progress event (src/tasks/types.ts) as one line for the status message. With `kind` only what sort of step
 * it is ("Running commands"): a channel that gets link-only answers must not read the work piece by piece.
 */
export function progressStep(event: { type: string; text: string }, detail: StepDetail): ProgressStep {
  const firstLine = event.text.split("\n").find((l) => l.trim()) ?? "";
  if (event.type === "plan") {
    const line = planStep(event.text, detail);
    return { mrkdwn: escapeMrkdwn(oneLineTitle(line, 200)), plain: plainLine(line) };
  }
  if (detail === "kind") {
    const kind = STEP_KINDS[event.type] ?? "Working";
    return { mrkdwn: kind, plain: kind };
  }
  switch (event.type) {
    case "command": {
      const command = firstLine.replace(/^\$\s*/, "");
      return { mrkdwn: `Ran ${code(command)}`, plain: `Ran ${plainLine(command, 120)}` };
    }
    case "file_change": {
      const failed = /^failed to change/i.test(firstLine);
      const files = firstLine.replace(/^(?:failed to change|changed)\s+/i, "");
      const verb = failed ? "Could not edit" : "Edited";
      return {
        mrkdwn: `${verb} ${escapeMrkdwn(oneLineTitle(files, 160))}`,
        plain: `${verb} ${plainLine(files, 160)}`,
      };
    }
    case "web_search":
      return {
        mrkdwn: `Searched the web for ${code(firstLine)}`,
        plain: `Searched the web for ${plainLine(firstLine, 120)}`,
      };
    case "tool":
      return { mrkdwn: `Called ${code(firstLine)}`, plain: `Called ${plainLine(firstLine, 120)}` };
    case "thought":
      return withLabel("Thinking", firstLine);
    case "error":
      return withLabel("Ran into a problem", firstLine);
    default:
      return withLabel("", firstLine);
  }
}

function withLabel(label: string, line: string): ProgressStep {
  const plain = plainLine(line, 160);
  const escapedLabel = label ? `${label}: ` : "";
  if (!plain) return { mrkdwn: label || "Working", plain: label || "Working" };
  return { mrkdwn: `${escapedLabel}${plain}`, plain: `${escapedLabel}${plain}` };
}
