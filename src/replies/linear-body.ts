import { splitTextParts } from "./split";

// Linear takes Markdown bodies for agent activities and comments. We keep each body under a cap of our own so a
// runaway answer cannot be rejected whole; what is cut is said, with the link to the full answer.

export const LINEAR_BODY_LIMIT = 50_000;

/** Escapes Markdown in a short text we did not write (names, titles) so it shows as typed. */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>#|~])/g, "\\$1");
}

/** A Markdown link with the label escaped and the URL's parentheses and spaces encoded. */
export function markdownLink(label: string, url: string): string {
  const safeUrl = url
    .trim()
    .replace(/[()\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
  return `[${escapeMarkdown(label)}](${safeUrl})`;
}

export interface CapOptions {
  max?: number;
  /** Where the full text can be read; named in the note when something is cut. */
  taskUrl?: string;
}

/** `body` as is when it fits, else its head (cut at a paragraph or line, code fences closed) and a visible note. */
export function capMarkdown(body: string, options: CapOptions = {}): string {
  const max = options.max ?? LINEAR_BODY_LIMIT;
  if (body.length <= max) return body;
  // Room for the note, whatever number of characters it ends up naming.
  const where = options.taskUrl ? ` on the ${markdownLink("task page", options.taskUrl)}` : " left out";
  const noteFor = (rest: number) =>
    `\n\n---\n_Too long to show here: ${rest.toLocaleString("en-US")} more characters${options.taskUrl ? " are" : " were"}${where}._`;
  const room = max - noteFor(body.length).length;
  if (room < 1) return noteFor(body.length).slice(0, max);
  const [head] = splitTextParts(body, room);
  const shown = head?.text.replace(/\n+$/, "") ?? "";
  return shown + noteFor(body.length - (head?.end ?? 0));
}
