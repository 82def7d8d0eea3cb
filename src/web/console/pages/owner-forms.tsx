import type { Child } from "hono/jsx";
import { AppError } from "../../../errors";
import type { MemberView } from "../../../workspace/members";
import { type ConsoleContext, inWorkspace, savedRedirect } from "../kit";
import { appErrorRefusal, type Refusal } from "./form-errors";

// What the owner pages (settings, roles, members, apps) share: a change that a domain function refuses comes
// back as the page with the reason (400, 404 or 409, form-errors.tsx) and nothing saved; a change that lands
// goes back to its page with the confirmation (Post/Redirect/Get). Anything else is a real failure for the
// error handler.

export type { Refusal };

/** A form that does not say what it must: refused with the reason, like a domain function's refusal. */
export const badForm = (message: string) => new AppError("bad_request", message);

/** What a change returns when the form asked for things as they already are: nothing was written. */
export const UNCHANGED = Symbol("unchanged");

/**
 * Runs a change. Landed: back to `path` (or the path its result names) with the confirmation; nothing to
 * change (UNCHANGED): back to `path` saying so. Refused: `refused` renders the page again with the reason and
 * the status that goes with it.
 */
export async function applyChange<T>(
  c: ConsoleContext,
  path: string | ((result: T) => string),
  change: () => Promise<T | typeof UNCHANGED>,
  refused: (refusal: Refusal) => Response | Promise<Response>,
): Promise<Response> {
  let result: T | typeof UNCHANGED;
  try {
    result = await change();
  } catch (error) {
    return refused(appErrorRefusal(error));
  }
  if (result === UNCHANGED) return unchangedRedirect(c, typeof path === "string" ? path : c.req.path);
  return savedRedirect(c, typeof path === "string" ? path : path(result));
}

/**
 * Back to the page saying nothing changed: a form sent as the data already is writes nothing, so the audit
 * log only holds real changes.
 */
function unchangedRedirect(c: ConsoleContext, path: string): Response {
  const target = inWorkspace(c, path);
  const hash = target.indexOf("#");
  const base = hash === -1 ? target : target.slice(0, hash);
  const fragment = hash === -1 ? "" : target.slice(hash);
  return c.redirect(`${base}${base.includes("?") ? "&" : "?"}unchanged=1${fragment}`, 303);
}

/** The notice `unchangedRedirect` leads to. */
export const Unchanged = (props: { c: ConsoleContext }) =>
  props.c.req.query("unchanged") === "1" ? (
    <p class="notice" role="status">
      Nothing to save: everything was already as sent.
    </p>
  ) : null;

/** A link that stays in the workspace the page shows. */
export const Link = (props: { c: ConsoleContext; href: string; children: Child }) => (
  <a href={inWorkspace(props.c, props.href)}>{props.children}</a>
);

/** A checkbox with its label and, under it, what it does. */
export function Check(props: { name: string; checked: boolean; label: Child; help?: Child }) {
  return (
    <div>
      <label>
        <input type="checkbox" name={props.name} value="on" checked={props.checked} /> {props.label}
        {props.help ? <span class="help">{props.help}</span> : null}
      </label>
    </div>
  );
}

/** A ticked checkbox of a submitted form (an unticked one is not sent at all). */
export const ticked = (fields: Record<string, string>, name: string) => fields[name] === "on";

/** How a member is named on the owner pages: their display name, else their email. */
export const memberName = (m: Pick<MemberView, "displayName" | "email">) => m.displayName ?? m.email;

/** A required text field, trimmed, at most `max` characters. */
export function textField(fields: Record<string, string>, name: string, label: string, max = 200): string {
  const value = (fields[name] ?? "").trim();
  if (!value) throw badForm(`${label}: enter a value.`);
  if (value.length > max) throw badForm(`${label}: at most ${max} characters.`);
  return value;
}

/** One of a fixed set of values (a select or radio group), else the form is refused. */
export function choice<T extends string>(
  fields: Record<string, string>,
  name: string,
  label: string,
  allowed: readonly T[],
): T {
  const value = fields[name];
  if (value === undefined || !(allowed as readonly string[]).includes(value)) {
    throw badForm(`${label}: choose one of the options.`);
  }
  return value as T;
}
