import type { z } from "zod";
import { AppError } from "../../../errors";

// How the console's admin pages turn a refused change into a page: a form that fails its schema names the
// field a person typed into, and an AppError from a domain function keeps its status (400, 404, 409) and its
// message. Anything else is a real failure and goes on to the hub's error handler.

export type RefusedStatus = 400 | 403 | 404 | 409;

export interface Refusal {
  status: RefusedStatus;
  message: string;
  /** Further lines worth showing, e.g. every problem of a requirements.toml document. */
  details: string[];
}

/** A zod failure as one sentence per problem, each starting with the label of the field it concerns. */
export function issuesRefusal(error: z.ZodError, labels: Readonly<Record<string, string>>): Refusal {
  const lines = error.issues.map((issue) => {
    const [first, ...rest] = issue.path.map(String);
    const label = first === undefined ? "Form" : (labels[first] ?? first);
    const where = rest.length > 0 ? ` (${rest.join(" ")})` : "";
    return `${label}${where}: ${issue.message}`;
  });
  return { status: 400, message: lines[0] ?? "The form is not valid.", details: lines.slice(1) };
}

const STATUS: Partial<Record<AppError["code"], RefusedStatus>> = {
  bad_request: 400,
  invalid_body: 400,
  // A domain rule that refuses this person (e.g. GitHub says they cannot read the repository).
  forbidden: 403,
  not_found: 404,
  conflict: 409,
};

/** Lines of an AppError's details a person can act on (requirements.toml problems, unknown ids). */
function detailLines(details: unknown): string[] {
  if (!details || typeof details !== "object") return [];
  const out: string[] = [];
  for (const value of Object.values(details)) {
    if (!Array.isArray(value)) continue;
    for (const item of value) {
      if (typeof item === "string") out.push(item);
      else if (item && typeof item === "object" && "message" in item) {
        const { path, message } = item as { path?: unknown; message?: unknown };
        out.push(path ? `${String(path)}: ${String(message)}` : String(message));
      }
    }
  }
  return out;
}

/** The refusal an AppError stands for, or the error thrown on when it is not one a person can fix. */
export function appErrorRefusal(error: unknown): Refusal {
  if (error instanceof AppError) {
    const status = STATUS[error.code];
    if (status) return { status, message: error.message, details: detailLines(error.details) };
  }
  throw error;
}

/** Runs a domain change; an AppError comes back as a refusal for the page to show. */
export async function attempt<T>(
  change: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; refusal: Refusal }> {
  try {
    return { ok: true, value: await change() };
  } catch (error) {
    return { ok: false, refusal: appErrorRefusal(error) };
  }
}

/** Lines of a textarea or comma-separated field, trimmed, empty ones dropped. */
export const listField = (value: string | undefined): string[] =>
  (value ?? "")
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);

/** A refused change, shown where the form is: the message, then every further problem. */
export function RefusalNotice(props: { refusal: Refusal | null | undefined }) {
  const refusal = props.refusal;
  if (!refusal) return null;
  return (
    <div class="notice error" role="alert">
      <p>{refusal.message}</p>
      {refusal.details.length > 0 ? (
        <ul>
          {refusal.details.map((line) => (
            <li>{line}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
