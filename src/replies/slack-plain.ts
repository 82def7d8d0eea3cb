import { oneLineTitle } from "./completion";
import { escapeMrkdwn } from "./markdown-slack";

// Text for a Slack message's top-level `text`: what a notification preview (and a client that shows no blocks)
// displays. Plain words on purpose: no Markdown, no `*bold*`, no `<url|label>` links; only the three characters
// Slack always parses are escaped. https://api.slack.com/methods/chat.postMessage#text_usage

const FENCE = /^\s*(`{3,}|~{3,})/;
const HEADING = /^\s{0,3}#{1,6}\s+/;

/** One line of Markdown as plain words: links keep their label, code its content; emphasis and markers go. */
export function plainLine(markdown: string, max = 200): string {
  const plain = markdown
    .replace(
      /!?\[([^\]\n]*)\]\(\s*<?([^()\s<>]+)>?[^)]*\)/g,
      (_m, label: string, url: string) => label || url,
    )
    .replace(
      /<((?:https?|mailto):[^<>\s|]+)(?:\|([^<>]*))?>/g,
      (_m, url: string, label?: string) => label || url,
    )
    .replace(/`+([^`]*)`+/g, "$1")
    .replace(/(\*\*|__|~~)(?=\S)(.*?\S)\1/g, "$2")
    .replace(/(?<![\w*])[*_](?=[^\s*_])(.*?[^\s*_])[*_](?![\w*])/g, "$1")
    .replace(HEADING, "")
    .replace(/^\s*(?:[-*+>]|\d+[.)])\s+/, "");
  return plain.trim() ? escapeMrkdwn(oneLineTitle(plain, max)) : "";
}

/**
 * The gist of an answer: its first paragraph (headings and code blocks skipped) as one plain line, or the
 * first heading when there is nothing else. Empty for an empty answer.
 */
export function gistOf(markdown: string, max = 200): string {
  const paragraph: string[] = [];
  let heading = "";
  let inFence = false;
  for (const line of markdown.split("\n")) {
    if (FENCE.test(line)) {
      inFence = !inFence;
      if (paragraph.length > 0) break;
      continue;
    }
    if (inFence) continue;
    if (line.trim() === "" || HEADING.test(line)) {
      if (!heading && HEADING.test(line)) heading = line;
      if (paragraph.length > 0) break;
      continue;
    }
    paragraph.push(line.trim());
  }
  const text = paragraph.length > 0 ? paragraph.join(" ") : heading;
  return text.trim() ? plainLine(text, max) : "";
}
