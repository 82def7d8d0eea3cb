import type { TaskMode } from "../tasks/types";
import { readModePrefix } from "./task-mode";

// `@codex` grammar for pull request comments (issue comments and review comments):
//   `@codex review [focus]`  → a code review of the PR, optionally focused ("@codex review the auth changes")
//   `@codex <anything else>` → a cloud task with the PR as context; `@codex ask: …` answers without pushing
// A mention only counts where a reader sees it as one: not inside code spans or fences, not in quoted
// lines (`> @codex review` quotes someone else's request), not in HTML comments (PR templates).

export type GithubMention =
  | { kind: "review"; focus?: string }
  /** `mode`: `@codex ask: …` or `@codex code: …` (task-mode.ts). */
  | { kind: "task"; prompt: string; mode?: TaskMode };

export interface MentionOptions {
  /** The app's handle, with or without `@` (default `codex`). A trailing `[bot]` is ignored. */
  handle?: string;
}

const blank = (s: string) => s.replace(/[^\n]/g, " ");

/**
 * Returns `text` with every region a mention must not be found in replaced by spaces. Lengths are kept, so an
 * offset in the result is the same offset in `text`.
 */
export function maskNonProse(text: string): string {
  const lines = text.split("\n");
  let fence: { char: string; len: number } | null = null;
  const out = lines.map((line) => {
    if (fence) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
      if (close?.[1] && close[1][0] === fence.char && close[1].length >= fence.len) fence = null;
      return blank(line);
    }
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (open?.[1]) {
      fence = { char: open[1][0]!, len: open[1].length };
      return blank(line);
    }
    if (/^ {0,3}>/.test(line)) return blank(line);
    return line;
  });
  let masked = out.join("\n");
  masked = masked.replace(/<!--[\s\S]*?(?:-->|$)/g, blank);
  return maskCodeSpans(masked);
}

// CommonMark code spans: a run of N backticks up to the next run of exactly N backticks. An unmatched run
// is literal text.
function maskCodeSpans(text: string): string {
  let result = "";
  let i = 0;
  while (i < text.length) {
    if (text[i] !== "`") {
      const next = text.indexOf("`", i);
      const end = next === -1 ? text.length : next;
      result += text.slice(i, end);
      i = end;
      continue;
    }
    let n = 0;
    while (text[i + n] === "`") n++;
    const close = findRun(text, i + n, n);
    if (close === -1) {
      result += text.slice(i, i + n);
      i += n;
    } else {
      result += blank(text.slice(i, close + n));
      i = close + n;
    }
  }
  return result;
}

function findRun(text: string, from: number, n: number): number {
  let j = from;
  while (j < text.length) {
    const at = text.indexOf("`", j);
    if (at === -1) return -1;
    let m = 0;
    while (text[at + m] === "`") m++;
    if (m === n) return at;
    j = at + m;
  }
  return -1;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

function normalizeHandle(handle: string): string {
  return handle
    .trim()
    .replace(/^@/, "")
    .replace(/\[bot\]$/i, "");
}

/** Finds the first visible mention of the handle: its start and end offsets, or null. */
export function findMention(
  body: string,
  options: MentionOptions = {},
): { start: number; end: number } | null {
  const handle = normalizeHandle(options.handle ?? "codex");
  if (handle === "") return null;
  const text = body.replace(/\r\n?/g, "\n");
  // Not preceded by a word character, `@`, `.` or `/` (an email address or URL), and not followed by a
  // character that would make it a different login (`@codex-bot`, `@codex_2`).
  const re = new RegExp(`(?<![\\w@./-])@${escapeRegExp(handle)}(?![\\w-])`, "i");
  const m = re.exec(maskNonProse(text));
  return m ? { start: m.index, end: m.index + m[0].length } : null;
}

/** Parses a PR comment. Null when Codex is not (visibly) mentioned or the mention asks for nothing. */
export function parseGithubMention(body: string, options: MentionOptions = {}): GithubMention | null {
  const text = body.replace(/\r\n?/g, "\n");
  const at = findMention(text, options);
  if (!at) return null;

  const after = text.slice(at.end);
  const review = /^[\s,:]*review(?![\w-])/i.exec(after);
  if (review) {
    const focus = after
      .slice(review[0].length)
      .replace(/^[\s:,.!?\u2013\u2014-]+/, "")
      .trim();
    // "@codex review." or "@codex review!" carry no focus: only text with a letter or digit does.
    return /[\p{L}\p{N}]/u.test(focus) ? { kind: "review", focus } : { kind: "review" };
  }

  // The prompt is the whole comment minus the mention itself, so context written before it
  // ("This breaks on Windows. @codex fix it") reaches the task too.
  const before = text.slice(0, at.start).trimEnd();
  const prefix = readModePrefix(after.replace(/^[\s,:]+/, ""));
  const rest = prefix.text.trimEnd();
  const gap = text.slice(before.length, at.start);
  const prompt = [before, rest].filter((s) => s.length > 0).join(gap.includes("\n") ? "\n" : " ");
  if (!prompt.trim()) return null;
  return { kind: "task", prompt: prompt.trim(), ...(prefix.mode ? { mode: prefix.mode } : {}) };
}
