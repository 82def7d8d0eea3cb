import {
  LIMIT_SCOPES,
  type LimitScope,
  type ScopeLimitsPatch,
  scopeLimitsPatchSchema,
  type TaskLimitsPatch,
  taskLimitsPatchSchema,
} from "../../../workspace/task-limits";
import { issuesRefusal, type Refusal } from "./form-errors";

// The task limits forms as the domain takes them: an empty box is no limit of its own (the default, or none),
// a number must be whole, and the bounds are the admin API's (taskLimitsPatchSchema), with the same words.

export const WORKSPACE_FIELDS = [
  "maxRunning",
  "maxRunningPerEnvironment",
  "tasksPerDay",
  "reviewsPerDay",
  "timeoutSeconds",
] as const;
export const SCOPE_FIELDS = ["maxRunning", "tasksPerDay", "reviewsPerDay"] as const;

export const LABELS: Readonly<Record<string, string>> = {
  maxRunning: "Tasks running at once",
  maxRunningPerEnvironment: "Running at once per environment",
  tasksPerDay: "Tasks per day",
  reviewsPerDay: "Code reviews per day",
  timeoutSeconds: "Time limit per task (seconds)",
  target: "Environment, group or member",
};

type Parsed<T> = { ok: true; patch: T } | { ok: false; refusal: Refusal };

function numbers(
  fields: Record<string, string>,
  names: readonly string[],
): Parsed<Record<string, number | null>> {
  const out: Record<string, number | null> = {};
  for (const name of names) {
    const value = (fields[name] ?? "").trim();
    if (value === "") out[name] = null;
    else if (/^\d{1,9}$/.test(value)) out[name] = Number(value);
    else {
      return {
        ok: false,
        refusal: {
          status: 400,
          message: `${LABELS[name]}: enter a whole number, or leave it empty for no limit of its own.`,
          details: [],
        },
      };
    }
  }
  return { ok: true, patch: out };
}

export function workspaceLimitsInput(fields: Record<string, string>): Parsed<TaskLimitsPatch> {
  const read = numbers(fields, WORKSPACE_FIELDS);
  if (!read.ok) return read;
  const parsed = taskLimitsPatchSchema.safeParse(read.patch);
  return parsed.success
    ? { ok: true, patch: parsed.data }
    : { ok: false, refusal: issuesRefusal(parsed.error, LABELS) };
}

export function scopeLimitsInput(
  fields: Record<string, string>,
): Parsed<ScopeLimitsPatch & { scope: LimitScope; id: string }> {
  const [scope, id] = (fields.target ?? "").split(":", 2) as [string, string | undefined];
  if (!(LIMIT_SCOPES as readonly string[]).includes(scope) || !id) {
    return {
      ok: false,
      refusal: { status: 400, message: `${LABELS.target}: choose one from the list.`, details: [] },
    };
  }
  const read = numbers(fields, SCOPE_FIELDS);
  if (!read.ok) return read;
  const parsed = scopeLimitsPatchSchema.safeParse(read.patch);
  if (!parsed.success) return { ok: false, refusal: issuesRefusal(parsed.error, LABELS) };
  return { ok: true, patch: { ...parsed.data, scope: scope as LimitScope, id } };
}
