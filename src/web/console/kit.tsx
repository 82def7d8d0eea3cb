import type { Context, Hono, MiddlewareHandler } from "hono";
import type { Child } from "hono/jsx";
import type { AppEnv } from "../../context";
import { requireFormToken } from "../csrf";
import { FormToken, type NavLink, Page, privatePage } from "../layout";
import { atLeast, type ConsoleLevel, loadViewer, type Viewer } from "./viewer";

// The pieces every console page uses: the viewer on the context, the frame with the navigation, level checks
// that answer with a page (not a JSON error: a person is reading), and forms that carry the token and come
// back to their page with a fixed confirmation (Post/Redirect/Get, so a reload never repeats a change).

export type ConsoleEnv = AppEnv & { Variables: { viewer: Viewer } };
export type ConsoleApp = Hono<ConsoleEnv>;
export type ConsoleContext = Context<ConsoleEnv>;

/** Every console page, the least level that sees it, in the navigation's order. */
export const CONSOLE_PAGES: readonly (NavLink & { level: ConsoleLevel })[] = [
  { href: "/", label: "Overview", level: "member" },
  { href: "/settings", label: "Settings", level: "owner" },
  { href: "/roles", label: "Roles", level: "owner" },
  { href: "/members", label: "Members", level: "owner" },
  { href: "/environments", label: "Environments", level: "member" },
  { href: "/policies", label: "Policies", level: "codex_admin" },
  { href: "/apps", label: "Apps", level: "owner" },
  { href: "/code-review", label: "Code review", level: "codex_admin" },
  { href: "/api-keys", label: "API keys", level: "owner" },
  { href: "/tasks", label: "Tasks", level: "member" },
  { href: "/task-limits", label: "Task limits", level: "owner" },
  { href: "/deliveries", label: "Deliveries", level: "owner" },
  { href: "/audit", label: "Audit", level: "codex_admin" },
  { href: "/analytics", label: "Analytics", level: "codex_admin" },
  { href: "/my-reviews", label: "My reviews", level: "member" },
];

/** The absolute URL of a console page, for messages sent to Slack, GitHub or Linear. */
export const consoleUrl = (publicUrl: string, href: string): string => `${publicUrl}${href}`;

/**
 * Loads the viewer for every console route. Nobody signed in: to the sign-in page, coming back here after.
 * Signed in but in no workspace (any more): a page that says so.
 */
export function requireViewer(): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const viewer = await loadViewer(c, c.var.deps);
    if (!viewer) {
      const url = new URL(c.req.url);
      return c.redirect(`/sign-in?next=${encodeURIComponent(url.pathname + url.search)}`, 302);
    }
    c.set("viewer", viewer);
    await next();
  };
}

/** Renders a console page in the one layout, with the navigation the viewer may use. */
export function consolePage(
  c: ConsoleContext,
  props: { title: string; path: string; children: Child },
  status: 200 | 201 | 400 | 403 | 404 | 409 = 200,
) {
  const viewer = c.var.viewer;
  privatePage(c);
  const links = CONSOLE_PAGES.filter((p) => atLeast(viewer.level, p.level));
  return c.html(
    <Page
      title={props.title}
      signedIn={{ name: viewer.name, formToken: viewer.formToken }}
      nav={{ links, current: props.path }}
    >
      {props.children}
    </Page>,
    status,
  );
}

/** A page the viewer's level does not open: 403, saying who can. */
export function forbiddenPage(c: ConsoleContext, path: string, needed: ConsoleLevel) {
  const who = needed === "owner" ? "workspace owners" : "workspace owners and Codex Admins";
  return consolePage(
    c,
    {
      title: "Not allowed",
      path,
      children: (
        <>
          <h1>Not allowed</h1>
          <p>Only {who} can use this page. Ask one of them if you need a change here.</p>
        </>
      ),
    },
    403,
  );
}

/** Guards a page (GET) or a change (POST) by level; a POST also needs this browser's form token. */
export function needs(level: ConsoleLevel, path: string): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    if (!atLeast(c.var.viewer.level, level)) return forbiddenPage(c, path, level);
    await next();
  };
}

/**
 * `path` in the workspace the page shows. A request that named a workspace (`?workspace=`) keeps naming it, so
 * a form on that page changes that workspace rather than the viewer's first one, and a redirect after the
 * change comes back to it.
 */
export function inWorkspace(c: ConsoleContext, path: string): string {
  if (!c.req.query("workspace")) return path;
  return withQuery(path, `workspace=${encodeURIComponent(c.var.viewer.workspaceId)}`);
}

/** Adds `param` to a path's query, before its fragment. */
function withQuery(path: string, param: string): string {
  const hash = path.indexOf("#");
  const base = hash === -1 ? path : path.slice(0, hash);
  const fragment = hash === -1 ? "" : path.slice(hash);
  return `${base}${base.includes("?") ? "&" : "?"}${param}${fragment}`;
}

/**
 * A change names the workspace its page showed; when the viewer no longer holds a level there, loadViewer
 * falls back to another of their workspaces, and the change must not land in that one.
 */
function sameWorkspace(path: string): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    const wanted = c.req.query("workspace");
    if (wanted && wanted !== c.var.viewer.workspaceId) {
      return consolePage(
        c,
        {
          title: "Not allowed",
          path,
          children: (
            <>
              <h1>Not allowed</h1>
              <p>This form was for a workspace you can no longer change. Nothing was saved.</p>
            </>
          ),
        },
        403,
      );
    }
    await next();
  };
}

/** The guard of every form POST: the form token first (csrf.tsx), then the workspace and the level. */
export const changeGuard = (level: ConsoleLevel, path: string) =>
  [
    requireFormToken() as unknown as MiddlewareHandler<ConsoleEnv>,
    sameWorkspace(path),
    needs(level, path),
  ] as const;

/** After a change: back to the page with a fixed confirmation (no text from the request is echoed). */
export const savedRedirect = (c: ConsoleContext, path: string) =>
  c.redirect(withQuery(inWorkspace(c, path), "saved=1"), 303);

/** The confirmation a page shows after `savedRedirect`, and errors a page renders in place. */
export function Notices(props: { c: ConsoleContext; error?: string | null }) {
  return (
    <>
      {props.c.req.query("saved") === "1" ? (
        <p class="notice ok" role="status">
          Saved. The change is in the audit log.
        </p>
      ) : null}
      {props.error ? (
        <p class="notice error" role="alert">
          {props.error}
        </p>
      ) : null}
    </>
  );
}

/** A form that posts back to the console with the viewer's token. */
export function ConsoleForm(props: { c: ConsoleContext; action: string; children: Child; class?: string }) {
  return (
    <form method="post" action={inWorkspace(props.c, props.action)} class={props.class ?? "stack"}>
      <FormToken token={props.c.var.viewer.formToken} />
      {props.children}
    </form>
  );
}

/** Form fields as strings (a checkbox that is not ticked is absent). */
export async function formFields(c: ConsoleContext): Promise<Record<string, string>> {
  const body = await c.req.parseBody({ all: false });
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === "string") out[k] = v;
  return out;
}
