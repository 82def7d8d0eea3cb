// Markdown (what Codex writes) → Slack mrkdwn (what Slack renders).
// https://api.slack.com/reference/surfaces/formatting
// Slack reads `&`, `<` and `>` as control characters everywhere, code included: an unescaped `<!channel>` in a
// code sample would notify a whole channel, and `Vec<String>` would be taken for a link. So those three are
// escaped in code too; everything else in code is left exactly as written.

/** Escapes the three characters Slack treats as markup. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A Slack link `<url|label>`. Characters that would end the link early are percent-encoded in the URL. */
export function slackLink(url: string, label?: string): string {
  const safeUrl = url.trim().replace(/[|<> ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const safeLabel = label?.replace(/[\r\n]+/g, " ").trim();
  return safeLabel ? `<${safeUrl}|${escapeMrkdwn(safeLabel)}>` : `<${safeUrl}>`;
}

/** Spans a mrkdwn splitter must not cut: links and entities. */
export const MRKDWN_PROTECT = /<[^<>\n]*>|&(?:amp|lt|gt);/g;

// Private-use characters stand in for converted pieces while the rest of a line is rewritten.
const HOLD_OPEN = "\uE000";
const HOLD_CLOSE = "\uE001";
const BOLD = "\uE002";

function convertInline(line: string): string {
  const held: string[] = [];
  const hold = (text: string) => `${HOLD_OPEN}${held.push(text) - 1}${HOLD_CLOSE}`;
  let out = line.replace(/[\uE000-\uE002]/g, "");
  // Code spans first: their content is never formatted.
  out = out.replace(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, (_m, ticks: string, code: string) => {
    // Slack has no multi-backtick spans; a single-backtick span holds the same text.
    return hold(
      ticks.length === 1 || !code.includes("`")
        ? `\`${escapeMrkdwn(code)}\``
        : escapeMrkdwn(`${ticks}${code}${ticks}`),
    );
  });
  out = out.replace(
    /!?\[([^\]\n]*)\]\(\s*<?([^()\s<>]+(?:\([^()\s]*\)[^()\s<>]*)*)>?(?:\s+"[^"]*")?\s*\)/g,
    (_m, text: string, url: string) => hold(slackLink(url, text.replace(/\*\*|__|`/g, "") || url)),
  );
  out = out.replace(/<((?:https?|mailto):[^<>\s]+)>/g, (_m, url: string) => hold(slackLink(url)));
  out = escapeMrkdwn(out);
  out = out.replace(/\*\*\*(?=\S)([\s\S]*?\S)\*\*\*/g, `${BOLD}_$1_${BOLD}`);
  out = out.replace(/(\*\*|__)(?=\S)([\s\S]*?\S)\1/g, `${BOLD}$2${BOLD}`);
  out = out.replace(/(?<![*\w])\*(?=[^\s*])([^*\n]*?[^\s*])\*(?![*\w])/g, "_$1_");
  out = out.replace(/~~(?=\S)([\s\S]*?\S)~~/g, "~$1~");
  out = out.replaceAll(BOLD, "*");
  return out.replace(
    new RegExp(`${HOLD_OPEN}(\\d+)${HOLD_CLOSE}`, "g"),
    (_m, i: string) => held[Number(i)] ?? "",
  );
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
const TABLE_ROW = /^\s*\|.*\|\s*$/;
const TABLE_RULE = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

function convertLine(line: string): string {
  const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
  if (heading) {
    const content = (heading[1] ?? "").replace(/\*\*|__/g, "");
    return content ? `*${convertInline(content)}*` : "";
  }
  if (/^\s{0,3}([-*_])(\s*\1){2,}\s*$/.test(line)) return "──────────";
  const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
  if (bullet) {
    const body = (bullet[2] ?? "").replace(/^\[( |x|X)\]\s+/, (_m, x: string) => (x === " " ? "☐ " : "☑ "));
    return `${bullet[1]}• ${convertInline(body)}`;
  }
  const quote = /^\s{0,3}>\s?(.*)$/.exec(line);
  // The quote marker stays a literal `>`: it is the one place Slack wants it unescaped.
  if (quote) return `> ${convertInline(quote[1] ?? "")}`;
  return convertInline(line);
}

/** Converts Markdown to Slack mrkdwn. Code blocks keep their content; fences lose the language (Slack shows it). */
export function markdownToMrkdwn(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
  const out: string[] = [];
  let fence: { char: string; len: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const m = FENCE.exec(line);
    if (fence) {
      if (m && m[2]?.[0] === fence.char && (m[2]?.length ?? 0) >= fence.len && !m[3]) {
        out.push("```");
        fence = null;
      } else {
        out.push(escapeMrkdwn(line));
      }
      continue;
    }
    if (m?.[2]) {
      fence = { char: m[2][0] as string, len: m[2].length };
      out.push("```");
      continue;
    }
    // Slack has no tables: a Markdown table is kept aligned as a code block.
    if (TABLE_ROW.test(line) && TABLE_RULE.test(lines[i + 1] ?? "")) {
      out.push("```");
      while (i < lines.length && TABLE_ROW.test(lines[i] as string))
        out.push(escapeMrkdwn(lines[i++] as string));
      i--;
      out.push("```");
      continue;
    }
    out.push(convertLine(line));
  }
  // Markdown lets an unclosed fence run to the end; Slack would show the backticks instead.
  if (fence) out.push("```");
  return out.join("\n");
}
