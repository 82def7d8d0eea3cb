import type { Context } from "hono";
import type { Child } from "hono/jsx";

// The one frame of the hub's pages (console, sign-in, setup, task page): no inline scripts, no third-party
// assets (the task page alone loads a script: a file the hub serves itself). The policy below makes that a rule
// the browser enforces, so even a rendering bug cannot run code on these pages. It works on a phone (one
// column, the navigation scrolls sideways) and with the keyboard (a skip link, visible focus, real links and
// buttons only).

const CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
/** A page that loads the hub's own scripts (files it serves, never inline) and opens streams back to it. */
const CSP_WITH_SCRIPTS = `${CSP}; script-src 'self'; connect-src 'self'`;

const STYLE = `*{box-sizing:border-box}body{font:15px/1.5 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d1f23}
a{color:#1a56b8}a:focus-visible,button:focus-visible,input:focus-visible,select:focus-visible,textarea:focus-visible,summary:focus-visible{outline:3px solid #f0a020;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:2}
.top{background:#1d1f23;color:#fff}.top .bar{max-width:64rem;margin:0 auto;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between}
.top a{color:#fff}.brand{font-weight:700;text-decoration:none}.who{display:flex;gap:.75rem;align-items:center;flex-wrap:wrap}
.top .button{background:transparent;color:#fff;border-color:#fff;padding:.25rem .75rem}
nav.console{background:#2b2e34;overflow-x:auto}nav.console ul{list-style:none;margin:0 auto;padding:0 .5rem;display:flex;max-width:64rem}
nav.console a{display:block;padding:.6rem .75rem;color:#dfe3ea;text-decoration:none;white-space:nowrap}
nav.console a[aria-current=page]{color:#fff;box-shadow:inset 0 -3px #f0a020}
main{max-width:64rem;margin:1rem auto;padding:1.25rem 1.5rem;background:#fff;border:1px solid #dde1e6;border-radius:8px}
@media (max-width:40rem){main{margin:0;border-radius:0;border-left:0;border-right:0;padding:1rem}}
h1{font-size:1.4rem;margin-top:0}h2{font-size:1.1rem;margin-top:1.75rem}dt{font-weight:600}dd{margin:0 0 .6rem}
pre{background:#f0f2f5;padding:.75rem;overflow:auto;border-radius:6px;white-space:pre-wrap;word-break:break-word;overflow-wrap:anywhere}code{font-size:.9em}dd{overflow-wrap:anywhere}
.status{display:inline-block;padding:.1rem .5rem;border-radius:4px;background:#e8eaee}
.completed,.ok{background:#dcf5e3}.failed,.dead{background:#fde2e1}.cancelled{background:#eee}.running,.queued{background:#e3edfd}
.events li{margin:.2rem 0;overflow-wrap:anywhere}.muted{color:#5f6670}.events .muted{font-variant-numeric:tabular-nums}
.button{display:inline-block;padding:.5rem 1rem;margin:.25rem 0;border:1px solid #1d1f23;border-radius:6px;background:#fff;color:inherit;text-decoration:none;font:inherit;cursor:pointer}
.button.primary{background:#1d1f23;color:#fff}.button.danger{border-color:#b42318;color:#b42318}
.table{overflow-x:auto}table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #e4e7eb;vertical-align:top}th{font-weight:600}
form.stack{display:grid;gap:.75rem;max-width:36rem}label{font-weight:600}label .help,.help{display:block;font-weight:400;color:#5f6670;font-size:.9em}
input[type=text],input[type=email],input[type=password],input[type=search],input[type=number],select,textarea{width:100%;padding:.45rem;border:1px solid #b8bec7;border-radius:6px;font:inherit;font-weight:400}
textarea{min-height:10rem;font-family:ui-monospace,monospace}.row{display:flex;gap:.5rem;flex-wrap:wrap;align-items:center}
.notice{padding:.75rem 1rem;border-radius:6px;background:#e3edfd;margin:.75rem 0}.notice.error{background:#fde2e1}.notice.ok{background:#dcf5e3}.notice.warn{background:#fff4d6}
ul.checklist{list-style:none;padding:0}ul.checklist li{padding:.4rem 0;border-bottom:1px solid #eef0f3}`;

/** One entry of the console's navigation. */
export interface NavLink {
  href: string;
  label: string;
}

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
  /** The console's navigation, with the current page marked. */
  nav?: { links: readonly NavLink[]; current: string };
  /** More of the head: a script of the hub's own (see privatePage's `scripts`), a no-script refresh. */
  head?: Child;
}) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{props.title} · Codex hub</title>
        <style>{STYLE}</style>
        {props.head}
      </head>
      <body>
        <a class="skip" href="#content">
          Skip to content
        </a>
        <header class="top">
          <div class="bar">
            <a class="brand" href="/">
              Codex hub
            </a>
            {props.signedIn ? (
              <div class="who">
                <span>Signed in as {props.signedIn.name}</span>
                <form method="post" action="/sign-out">
                  <FormToken token={props.signedIn.formToken} />
                  <button class="button" type="submit">
                    Sign out
                  </button>
                </form>
              </div>
            ) : null}
          </div>
        </header>
        {props.nav ? (
          <nav class="console" aria-label="Console">
            <ul>
              {props.nav.links.map((link) => (
                <li>
                  <a href={link.href} aria-current={link.href === props.nav?.current ? "page" : undefined}>
                    {link.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <main id="content">{props.children}</main>
      </body>
    </html>
  );
}

/**
 * Pages with people's data are never cached and never framed. `scripts`: the page loads scripts the hub serves
 * itself (still no inline script) and may open connections back to the hub (the task page's live events).
 */
export function privatePage(c: Context, options: { scripts?: boolean } = {}): void {
  c.header("Cache-Control", "no-store");
  c.header("Content-Security-Policy", options.scripts ? CSP_WITH_SCRIPTS : CSP);
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

/** A message page, for the OAuth setup and connect flows that a person only passes through. */
export const plainPage = (title: string, message: string) => (
  <Page title={title}>
    <h1>{title}</h1>
    <p>{message}</p>
  </Page>
);
