import type { FindingPriority, ReviewFinding } from "./findings";

// Markdown of a Codex review on GitHub: the priority badge every finding carries, inline comment bodies and
// the review's summary body. GitHub rejects bodies over 65,536 characters, so long text is cut with a
// visible note, never silently.

export const GITHUB_BODY_LIMIT = 65_536;

const BADGE_COLORS: Record<FindingPriority, string> = { 0: "red", 1: "orange", 2: "yellow", 3: "lightgrey" };

/** The shields.io badge shown before every finding's title, e.g. `![P1 Badge](...P1-orange...)`. */
export function priorityBadge(priority: FindingPriority): string {
  return `![P${priority} Badge](https://img.shields.io/badge/P${priority}-${BADGE_COLORS[priority]}?style=flat)`;
}

/** The first line of a finding: badge and title, in bold. */
export function findingHeading(finding: Pick<ReviewFinding, "priority" | "title">): string {
  const title = finding.title.replace(/\s+/g, " ").trim();
  return `**<sub><sub>${priorityBadge(finding.priority)}</sub></sub> ${title}**`;
}

/** Cuts `text` to at most `limit` characters, ending with `note`; never splits a surrogate pair. */
export function truncateWithNote(
  text: string,
  limit: number,
  note: string,
): { text: string; truncated: boolean } {
  if (text.length <= limit) return { text, truncated: false };
  let cut = Math.max(0, limit - note.length);
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  return { text: `${text.slice(0, cut)}${note}`.slice(0, limit), truncated: true };
}

const CUT_NOTE = "\n\n_… (truncated: too long for a GitHub comment)_";

/** Body of one inline review comment. */
export function renderInlineComment(
  finding: ReviewFinding,
  rangeNote?: string,
): { body: string; truncated: boolean } {
  const parts = [findingHeading(finding)];
  if (rangeNote) parts.push(`_${rangeNote}_`);
  if (finding.body.trim()) parts.push(finding.body.trim());
  const cut = truncateWithNote(parts.join("\n\n"), GITHUB_BODY_LIMIT, CUT_NOTE);
  return { body: cut.text, truncated: cut.truncated };
}

export interface UnanchoredFinding {
  finding: ReviewFinding;
  /** Why it could not be placed on a diff line. */
  reason: string;
}

export interface SummaryInput {
  summary: string;
  unanchored: readonly UnanchoredFinding[];
  inlineCount: number;
  belowThreshold: number;
  minPriority: FindingPriority;
  taskUrl?: string;
}

export interface RenderedSummary {
  body: string;
  truncated: boolean;
  /** Unanchored findings left out of the body for lack of room. */
  omitted: number;
}

function locationOf(f: ReviewFinding): string {
  const lines =
    f.start_line !== undefined && f.start_line < f.line ? `${f.start_line}-${f.line}` : `${f.line}`;
  return `\`${f.path}:${lines}\``;
}

function unanchoredBlock({ finding, reason }: UnanchoredFinding): string {
  const parts = [findingHeading(finding), `${locationOf(finding)} — ${reason}`];
  if (finding.body.trim()) parts.push(finding.body.trim());
  return parts.join("\n\n");
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The review's top-level body: summary, findings that could not be inlined, then a footer. */
export function renderSummaryBody(input: SummaryInput, limit = GITHUB_BODY_LIMIT): RenderedSummary {
  const footer: string[] = [];
  if (input.belowThreshold > 0) {
    footer.push(
      `_${plural(input.belowThreshold, "finding", "findings")} below P${input.minPriority} ${input.belowThreshold === 1 ? "was" : "were"} not posted._`,
    );
  }
  if (input.taskUrl) footer.push(`[Open the full review](${input.taskUrl})`);
  const footerText = footer.length > 0 ? `\n\n---\n${footer.join("\n\n")}` : "";
  // Room kept for the truncation note, so cutting can never push the body over the limit.
  const noteRoom = 200;
  const budget = limit - footerText.length - noteRoom;

  const head = [`### Codex review`];
  const summary = input.summary.trim();
  if (summary) head.push(summary);
  const blocks = input.unanchored.map(unanchoredBlock);
  if (blocks.length > 0) {
    const where = input.inlineCount > 0 ? "Findings outside the diff" : "Findings";
    head.push(`#### ${where}`);
  }

  let truncated = false;
  const first = truncateWithNote(head.join("\n\n"), Math.floor(budget / 2), CUT_NOTE);
  let body = first.text;
  truncated = first.truncated;
  let omitted = 0;
  for (const [i, block] of blocks.entries()) {
    const room = budget - body.length - 2;
    if (block.length <= room) {
      body += `\n\n${block}`;
      continue;
    }
    if (room > 1_000) {
      body += `\n\n${truncateWithNote(block, room, CUT_NOTE).text}`;
      omitted = blocks.length - i - 1;
    } else {
      omitted = blocks.length - i;
    }
    truncated = true;
    break;
  }
  if (omitted > 0) {
    const where = input.taskUrl ? "; see the full review" : "";
    body += `\n\n_… ${plural(omitted, "more finding", "more findings")} not shown: the review is too long for GitHub${where}._`;
  }
  body += footerText;
  return { body: truncateWithNote(body, limit, CUT_NOTE).text, truncated, omitted };
}
