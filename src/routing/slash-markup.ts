// Slack rewrites what people type before it reaches us: mentions become `<@U123|name>`, channels `<#C123|name>`,
// user groups `<!subteam^S123|@team>`, emails `<mailto:a@b.c|a@b.c>`, links `<https://x|label>`, and the three
// characters `&`, `<`, `>` arrive as HTML entities.
// https://api.slack.com/reference/surfaces/formatting#retrieving-messages
// These helpers turn that wire text back into what the person meant, for the `/codex` grammar and for mentions.

export type SlackRef =
  | { type: "user"; id: string; label?: string }
  | { type: "channel"; id: string; label?: string }
  | { type: "usergroup"; id: string; label?: string }
  | { type: "broadcast"; name: string }
  | { type: "email"; email: string }
  | { type: "link"; url: string; label?: string };

export interface SlackToken {
  /** The token as the person meant it: entities decoded, references unwrapped, quotes removed. */
  text: string;
  /** Set when the whole token was one Slack reference (`<...>`). */
  ref?: SlackRef;
  /** Set when the token was written in quotes (so it may contain spaces). */
  quoted?: boolean;
}

/** Slack only ever encodes these three; anything else that looks like an entity was typed by the person. */
export function decodeSlackEntities(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

function splitLabel(inner: string): { head: string; label?: string } {
  const bar = inner.indexOf("|");
  if (bar < 0) return { head: inner };
  const label = decodeSlackEntities(inner.slice(bar + 1));
  return label ? { head: inner.slice(0, bar), label } : { head: inner.slice(0, bar) };
}

/** Parses the inside of one `<...>` sequence; null when it is not a Slack reference. */
export function parseSlackRef(inner: string): SlackRef | null {
  const { head, label } = splitLabel(inner);
  const withLabel = <T extends object>(ref: T): T => (label ? { ...ref, label } : ref);
  if (/^@[UW][A-Z0-9]+$/.test(head)) return withLabel({ type: "user" as const, id: head.slice(1) });
  if (/^#C[A-Z0-9]+$/.test(head)) return withLabel({ type: "channel" as const, id: head.slice(1) });
  const group = /^!subteam\^([A-Z0-9]+)$/.exec(head);
  if (group?.[1]) return withLabel({ type: "usergroup" as const, id: group[1] });
  const broadcast = /^!(here|channel|everyone)$/.exec(head);
  if (broadcast?.[1]) return { type: "broadcast", name: broadcast[1] };
  if (/^mailto:/i.test(head)) return { type: "email", email: decodeSlackEntities(head.slice(7)) };
  if (/^[a-z][a-z0-9+.-]*:\S+$/i.test(head))
    return withLabel({ type: "link" as const, url: decodeSlackEntities(head) });
  return null;
}

function isAutoLabel(url: string, label: string): boolean {
  return label === url || url === `http://${label}` || url === `https://${label}`;
}

/** Readable plain text for a reference, as it would have been typed. */
export function slackRefText(ref: SlackRef): string {
  switch (ref.type) {
    case "user":
      return `@${ref.label ?? ref.id}`;
    case "channel":
      return `#${ref.label ?? ref.id}`;
    case "usergroup":
      return ref.label ? `@${ref.label.replace(/^@/, "")}` : `@${ref.id}`;
    case "broadcast":
      return `@${ref.name}`;
    case "email":
      return ref.email;
    case "link":
      // Slack auto-links bare URLs with the URL (minus scheme) as label; a real label is worth keeping.
      return ref.label && !isAutoLabel(ref.url, ref.label) ? `${ref.label} (${ref.url})` : ref.url;
  }
}

/** Replaces every `<...>` reference with its readable text and decodes entities. */
export function unwrapSlackText(text: string, render: (ref: SlackRef) => string = slackRefText): string {
  let out = "";
  let last = 0;
  for (const match of text.matchAll(/<([^<>\n]*)>/g)) {
    const ref = parseSlackRef(match[1] ?? "");
    if (!ref) continue;
    out += decodeSlackEntities(text.slice(last, match.index)) + render(ref);
    last = match.index + match[0].length;
  }
  return out + decodeSlackEntities(text.slice(last));
}

const QUOTES: Record<string, string> = { '"': '"', "“": "”", "„": "“", "'": "'", "‘": "’" };

/**
 * Splits wire text into whitespace-separated tokens. A `<...>` reference stays one token even when its label
 * has spaces, and quoted text ("…", or the curly quotes Slack clients type) is one token without its quotes.
 */
export function tokenizeSlackText(text: string): SlackToken[] {
  const tokens: SlackToken[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const close = QUOTES[ch];
    if (close) {
      const end = text.indexOf(close, i + 1);
      if (end > i) {
        tokens.push({ text: unwrapSlackText(text.slice(i + 1, end)), quoted: true });
        i = end + 1;
        continue;
      }
    }
    if (ch === "<") {
      const end = text.indexOf(">", i);
      const ref = end > i ? parseSlackRef(text.slice(i + 1, end)) : null;
      const next = text[end + 1];
      if (ref && (next === undefined || /\s/.test(next))) {
        tokens.push({ text: ref.type === "link" ? ref.url : slackRefText(ref), ref });
        i = end + 1;
        continue;
      }
    }
    let end = i;
    while (end < text.length && !/\s/.test(text[end] as string)) {
      // A reference glued to punctuation (`<@U1|Ann Lee>,`) keeps its label's spaces inside the token.
      const refEnd = text[end] === "<" ? text.indexOf(">", end) : -1;
      end = refEnd > end && !text.slice(end, refEnd).includes("\n") ? refEnd + 1 : end + 1;
    }
    tokens.push({ text: unwrapSlackText(text.slice(i, end)) });
    i = end;
  }
  return tokens;
}
