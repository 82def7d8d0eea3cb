// Splits long answers into pieces a surface accepts (a Slack section holds 3,000 characters, a Linear body we cap
// ourselves). Pieces end at paragraph breaks when possible, else at line breaks, else at a space; a code fence cut
// in two is closed at the end of one piece and reopened at the start of the next, so each piece renders on its
// own. Nothing is dropped: the pieces, minus the added fence lines, put back together are the original text.

export interface SplitPart {
  /** The piece as it should be posted: `prefix + original slice + suffix`, never longer than `maxLen`. */
  text: string;
  /** The slice of the original text this piece carries: `[start, end)`. */
  start: number;
  end: number;
  /** A fence line reopening a code block cut by the previous piece, or "". */
  prefix: string;
  /** A fence line closing a code block this piece cuts, or "". */
  suffix: string;
}

export interface SplitOptions {
  /** Spans never cut in the middle (a global regex), e.g. Slack links `<url|text>` and entities `&amp;`. */
  protect?: RegExp;
}

interface Fence {
  indent: string;
  marker: string;
  info: string;
  /** False when reopening and closing would eat most of a piece: such a fence is cut like plain text. */
  repairable: boolean;
}

interface Line {
  start: number;
  /** Position after the line's newline (or the end of the text). */
  next: number;
  /** Fence open before this line. */
  before: Fence | null;
  /** Fence open after this line. */
  after: Fence | null;
  blank: boolean;
}

const OPENER = /^(\s*)(`{3,}|~{3,})([^\n]*)$/;

function scanLines(text: string, maxLen: number): Line[] {
  const lines: Line[] = [];
  let open: Fence | null = null;
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf("\n", start);
    const end = nl < 0 ? text.length : nl;
    const next = nl < 0 ? text.length : nl + 1;
    const content = text.slice(start, end);
    const before: Fence | null = open;
    const m = OPENER.exec(content);
    if (m && open === null && !(m[2]?.startsWith("`") && m[3]?.includes("`"))) {
      const fence = { indent: m[1] ?? "", marker: m[2] ?? "", info: (m[3] ?? "").trim(), repairable: false };
      fence.repairable = reopenLine(fence).length + closeLine(fence, false).length <= maxLen / 2;
      open = fence;
    } else if (
      m &&
      open &&
      m[2]?.[0] === open.marker[0] &&
      (m[2]?.length ?? 0) >= open.marker.length &&
      !m[3]?.trim()
    ) {
      open = null;
    }
    lines.push({ start, next, before, after: open, blank: content.trim() === "" });
    start = next;
  }
  return lines;
}

function reopenLine(fence: Fence): string {
  // Long info strings are dropped: the language hint is not worth a large share of every piece.
  return `${fence.indent}${fence.marker}${fence.info.length <= 40 ? fence.info : ""}\n`;
}

function closeLine(fence: Fence, afterNewline: boolean): string {
  return `${afterNewline ? "" : "\n"}${fence.indent}${fence.marker}`;
}

function lineIndexAt(lines: Line[], pos: number): number {
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lines[mid] as Line).start <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The fence a cut at `pos` would leave open (a cut inside an opening fence line counts as inside it). */
function fenceAt(lines: Line[], pos: number): Fence | null {
  const line = lines[lineIndexAt(lines, pos)] as Line;
  const fence = line.start === pos ? line.before : (line.before ?? line.after);
  return fence?.repairable ? fence : null;
}

function suffixAt(text: string, lines: Line[], end: number): string {
  if (end >= text.length) return "";
  const fence = fenceAt(lines, end);
  return fence ? closeLine(fence, text[end - 1] === "\n") : "";
}

function protectedSpans(text: string, protect: RegExp | undefined): Array<[number, number]> {
  if (!protect) return [];
  const re = new RegExp(protect.source, protect.flags.includes("g") ? protect.flags : `${protect.flags}g`);
  return [...text.matchAll(re)].map((m) => [m.index, m.index + m[0].length] as [number, number]);
}

/** A cut inside a line: at a space when one is in the second half, never inside a protected span or a surrogate pair. */
function hardCut(text: string, pos: number, limit: number, spans: Array<[number, number]>): number {
  let cut = limit;
  const space = text.lastIndexOf(" ", limit - 1);
  if (space >= pos + (limit - pos) / 2) cut = space + 1;
  for (const [a, b] of spans) {
    if (a > pos && a < cut && cut < b) cut = a;
  }
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff && cut - 1 > pos) cut -= 1;
  return Math.max(cut, pos + 1);
}

/** Splits `text` into pieces of at most `maxLen` characters; see SplitPart. An empty text gives no piece. */
export function splitTextParts(text: string, maxLen: number, options: SplitOptions = {}): SplitPart[] {
  if (!Number.isInteger(maxLen) || maxLen < 1)
    throw new RangeError(`maxLen must be a positive integer, got ${maxLen}`);
  const lines = scanLines(text, maxLen);
  const spans = protectedSpans(text, options.protect);
  const parts: SplitPart[] = [];
  let pos = 0;
  while (pos < text.length) {
    const reopen = fenceAt(lines, pos);
    const prefix = pos > 0 && reopen ? reopenLine(reopen) : "";
    const budget = maxLen - prefix.length;
    let end = -1;
    if (text.length - pos <= budget) {
      end = text.length;
    } else {
      // Rank the line ends that fit: after a blank line outside code (3), any line outside code (2), inside (1).
      // The best rank that still fills half the piece wins, so pieces are neither ragged nor tiny.
      const best: number[] = [-1, -1, -1, -1];
      for (let i = lineIndexAt(lines, pos); i < lines.length; i++) {
        const line = lines[i] as Line;
        const e = line.next;
        if (e - pos > budget) break;
        if (e - pos + suffixAt(text, lines, e).length > budget) continue;
        const inCode = line.after !== null;
        best[inCode ? 1 : line.blank ? 3 : 2] = e;
      }
      for (let rank = 3; rank >= 1 && end < 0; rank--) {
        if ((best[rank] as number) - pos >= budget / 2) end = best[rank] as number;
      }
      if (end < 0) end = Math.max(...best);
      if (end <= pos) {
        const line = lines[lineIndexAt(lines, pos)] as Line;
        const fence = line.before ?? line.after;
        const overhead = fence?.repairable ? closeLine(fence, false).length : 0;
        end = hardCut(text, pos, pos + Math.max(1, budget - overhead), spans);
      }
    }
    const suffix = suffixAt(text, lines, end);
    parts.push({ text: prefix + text.slice(pos, end) + suffix, start: pos, end, prefix, suffix });
    pos = end;
  }
  return parts;
}

/** The pieces of `splitTextParts` as strings. */
export function splitText(text: string, maxLen: number, options: SplitOptions = {}): string[] {
  return splitTextParts(text, maxLen, options).map((part) => part.text);
}
