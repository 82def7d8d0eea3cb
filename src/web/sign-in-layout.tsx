import type { Context } from "hono";
import { html } from "hono/html";
import type { Child } from "hono/jsx";

// The frame of the hub's own pages (sign-in, task page): no scripts, no third-party assets. The policy
// below makes that a rule the browser enforces, so even a rendering bug cannot run code on these pages.

const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d1f23}
main{max-width:52rem;margin:2rem auto;padding:1.5rem 2rem;background:#fff;border:1px solid #dde1e6;border-radius:8px}
h1{font-size:1.4rem;margin-top:0}dt{font-weight:600}dd{margin:0 0 .6rem}
pre{background:#f0f2f5;padding:.75rem;overflow:auto;border-radius:6px}code{font-size:.9em}
.status{display:inline-block;padding:.1rem .5rem;border-radius:4px;background:#e8eaee}
.completed{background:#dcf5e3}.failed{background:#fde2e1}.cancelled{background:#eee}.running{background:#e3edfd}
.events li{margin:.2rem 0}.muted{color:#5f6670}.button{display:inline-block;padding:.5rem 1rem;margin:.25rem 0;border:1px solid #1d1f23;border-radius:6px;background:#fff;color:inherit;text-decoration:none;font:inherit;cursor:pointer}
header{display:flex;justify-content:space-between;align-items:center;gap:1rem}`;

/** The hidden field that carries a form's token (see csrf.tsx). */
export const FORM_TOKEN_FIELD = "form_token";

export function FormToken(props: { token: string }) {
  return <input type="hidden" name={FORM_TOKEN_FIELD} value={props.token} />;
}

export function Page(props: {
  title: string;
  children: Child;
  /** Who is signed in, and the token for the sign-out form (from `formToken`). */
  signedIn?: { name: string; formToken: string };
}) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{props.title} · Codex hub</title>
        <style>{STYLE}</style>
      </head>
      <body>
        <main>
          {props.signedIn ? (
            <header>
              <span class="muted">Signed in as {props.signedIn.name}</span>
              <form method="post" action="/sign-out">
                <FormToken token={props.signedIn.formToken} />
                <button class="button" type="submit">
                  Sign out
                </button>
              </form>
            </header>
          ) : null}
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** Pages with people's data are never cached and never framed. */
export function privatePage(c: Context): void {
  c.header("Cache-Control", "no-store");
  c.header("Content-Security-Policy", CSP);
  c.header("X-Content-Type-Options", "nosniff");
  c.header("Referrer-Policy", "no-referrer");
}

/**
 * A `next` target that stays on this hub, as a path (+ query and fragment); anything else is `/`.
 * `next` is resolved against the hub's own origin the way a browser resolves a Location (WHATWG URL: tabs and
 * newlines dropped, `\` read as `/`), so `/\t/evil`, `//evil` or `/\evil` are caught by what they become, and
 * the result comes back percent-encoded: no control character ever reaches a header.
 */
export function safeNext(publicUrl: string, next: string | undefined | null): string {
  if (!next) return "/";
  const home = new URL(publicUrl);
  let target: URL;
  try {
    target = new URL(next, home);
  } catch {
    return "/";
  }
  if (target.origin !== home.origin) return "/";
  return `${target.pathname}${target.search}${target.hash}`;
}

/** A bare message page, for the OAuth setup and connect flows that a person only passes through. */
export const plainPage = (title: string, message: string) =>
  html`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto"><h1>${title}</h1><p>${message}</p></body></html>`;
