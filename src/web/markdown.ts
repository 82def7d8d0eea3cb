import MarkdownIt from "markdown-it";

// Answers are written by an agent that read untrusted code and issues: render them as Markdown, never as HTML.
// `html: false` escapes every tag in the source; links are kept only for schemes a reader can safely follow.

const SAFE_LINK = /^(https?:|mailto:|#|\/(?!\/))/i;

const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

// markdown-it's default check blocks javascript:, vbscript:, file: and most data: URLs; ours is an allowlist,
// so anything else (including schemes yet to be invented) stays plain text.
md.validateLink = (url: string) => SAFE_LINK.test(url.trim());

// Links leave the hub in a new context without handing it the task page as referrer.
const defaultLinkOpen =
  md.renderer.rules.link_open ??
  ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  token.attrSet("rel", "nofollow noopener noreferrer");
  return defaultLinkOpen(tokens, idx, options, env, self);
};

// Images would load third-party URLs for every reader of the page: show them as links instead.
md.renderer.rules.image = (tokens, idx) => {
  const token = tokens[idx]!;
  const src = String(token.attrGet("src") ?? "");
  const alt = md.utils.escapeHtml(token.content || src);
  return SAFE_LINK.test(src)
    ? `<a href="${md.utils.escapeHtml(src)}" rel="nofollow noopener noreferrer">${alt}</a>`
    : alt;
};

/** Markdown → HTML that is safe to insert into the page as is. */
export function renderMarkdown(text: string): string {
  return md.render(text);
}
