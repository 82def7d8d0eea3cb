import { AppError } from "../../../errors";
import { type RetentionSettings, retentionPatchSchema } from "../../../workspace/retention";

// The retention periods on the settings page: how long finished tasks keep their text and how long closed
// compliance log files are kept, in days, blank for forever. The same domain function and validation as
// PATCH /api/v1/workspaces/{id}/retention. A field sent without the form (an old page) leaves it as it is.

const FIELDS: readonly { key: keyof RetentionSettings; label: string; help: string }[] = [
  {
    key: "taskContentDays",
    label: "Keep task text for (days)",
    help: "Prompts, thread context, answers and progress of finished tasks are erased after this many days; the tasks themselves stay. Blank: keep it.",
  },
  {
    key: "complianceLogDays",
    label: "Keep compliance log files for (days)",
    help: "Closed Compliance API log files are deleted this many days after their last event. Blank: keep them.",
  },
];

/** The periods as fields of the settings form (saved with its one Save button). */
export function RetentionFields(props: { retention: RetentionSettings }) {
  return (
    <fieldset class="stack">
      <legend>Retention</legend>
      {FIELDS.map((f) => (
        <div>
          <label for={`retention-${f.key}`}>
            {f.label}
            <span class="help">{f.help}</span>
          </label>
          <input
            type="number"
            min="1"
            step="1"
            id={`retention-${f.key}`}
            name={f.key}
            value={props.retention[f.key] === null ? "" : String(props.retention[f.key])}
          />
        </div>
      ))}
    </fieldset>
  );
}

/** The periods the form asks for that differ from the current ones (blank is null: keep forever). */
export function retentionPatchFrom(
  fields: Record<string, string>,
  current: RetentionSettings,
): Partial<RetentionSettings> {
  const patch: Record<string, number | null> = {};
  for (const { key, label } of FIELDS) {
    if (fields[key] === undefined) continue;
    const text = fields[key].trim();
    if (text !== "" && !/^\d+$/.test(text))
      throw new AppError("bad_request", `${label}: a whole number of days.`);
    const value = text === "" ? null : Number(text);
    if (value !== current[key]) patch[key] = value;
  }
  if (Object.keys(patch).length === 0) return {};
  const parsed = retentionPatchSchema.safeParse(patch);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const label = FIELDS.find((f) => f.key === issue.path[0])?.label ?? "Retention";
    throw new AppError("bad_request", `${label}: ${issue.message}.`);
  }
  return parsed.data;
}
