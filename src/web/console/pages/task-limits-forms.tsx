import type { LimitOverride, TaskLimits } from "../../../workspace/task-limits";
import { type ConsoleContext, ConsoleForm } from "../kit";
import { LABELS } from "./task-limits-input";

// The pieces of the task limits page: the workspace's limits, the environments, groups and members with
// limits of their own, and the form that sets one. Every control has its label; an empty box is no limit.

export const PATH = "/task-limits";

const HELP: Readonly<Record<string, string>> = {
  maxRunning: "Tasks and reviews running at the same time in the workspace. Empty: 4.",
  maxRunningPerEnvironment:
    "Running at the same time in one environment, unless it has its own limit below. Empty: 2.",
  tasksPerDay: "Tasks that may start per UTC day. Empty: no limit.",
  reviewsPerDay: "Code reviews that may start per UTC day. Empty: no limit.",
  timeoutSeconds:
    "A task still running after this long is stopped. Empty: the hub's HUB_TASK_TIMEOUT_SECONDS.",
};

function NumberField(props: {
  name: string;
  value: number | string | undefined;
  help?: string;
  prefix?: string;
}) {
  const id = `${props.prefix ?? "limit"}-${props.name}`;
  return (
    <>
      <label for={id}>
        {LABELS[props.name]}
        {props.help ? <span class="help">{props.help}</span> : null}
      </label>
      <input type="number" min="1" step="1" id={id} name={props.name} value={props.value ?? ""} />
    </>
  );
}

/** The workspace's limits as they are in force. */
export function WorkspaceLimitsForm(props: { c: ConsoleContext; limits: TaskLimits }) {
  const l = props.limits;
  return (
    <ConsoleForm c={props.c} action={PATH}>
      <NumberField name="maxRunning" value={l.maxRunning} help={HELP.maxRunning} />
      <NumberField
        name="maxRunningPerEnvironment"
        value={l.maxRunningPerEnvironment}
        help={HELP.maxRunningPerEnvironment}
      />
      <NumberField name="tasksPerDay" value={l.tasksPerDay} help={HELP.tasksPerDay} />
      <NumberField name="reviewsPerDay" value={l.reviewsPerDay} help={HELP.reviewsPerDay} />
      <NumberField name="timeoutSeconds" value={l.timeoutSeconds} help={HELP.timeoutSeconds} />
      <div>
        <button class="button primary" type="submit">
          Save
        </button>
      </div>
    </ConsoleForm>
  );
}

const SCOPE_LABEL = { environment: "Environment", group: "Group", member: "Member" } as const;
const shown = (n: number | undefined) => (n === undefined ? "—" : String(n));

export function OverridesTable(props: { c: ConsoleContext; overrides: LimitOverride[] }) {
  if (props.overrides.length === 0) {
    return <p class="muted">No environment, group or member has limits of its own: the workspace's apply.</p>;
  }
  return (
    <div class="table">
      <table>
        <thead>
          <tr>
            <th scope="col">Whose</th>
            <th scope="col">{LABELS.maxRunning}</th>
            <th scope="col">{LABELS.tasksPerDay}</th>
            <th scope="col">{LABELS.reviewsPerDay}</th>
            <th scope="col">Its own limits</th>
          </tr>
        </thead>
        <tbody>
          {props.overrides.map((o) => (
            <tr>
              <td>
                {SCOPE_LABEL[o.scope]} <strong>{o.name}</strong>
              </td>
              <td>{shown(o.maxRunning)}</td>
              <td>{shown(o.tasksPerDay)}</td>
              <td>{shown(o.reviewsPerDay)}</td>
              <td>
                <ConsoleForm
                  c={props.c}
                  action={`${PATH}/overrides/${o.scope}/${encodeURIComponent(o.id)}/remove`}
                >
                  <button class="button danger" type="submit">
                    Remove {o.name}'s limits
                  </button>
                </ConsoleForm>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export interface TargetOption {
  value: string;
  label: string;
}

/** Sets the limits of one environment, group or member (replacing those it had). */
export function OverrideForm(props: {
  c: ConsoleContext;
  targets: { environments: TargetOption[]; groups: TargetOption[]; members: TargetOption[] };
  values?: Record<string, string>;
}) {
  const v = props.values ?? {};
  const option = (o: TargetOption) => (
    <option value={o.value} selected={v.target === o.value}>
      {o.label}
    </option>
  );
  return (
    <ConsoleForm c={props.c} action={`${PATH}/overrides`}>
      <label for="override-target">
        {LABELS.target}
        <span class="help">
          Its limits apply on top of the workspace's: a task starts only when all have room.
        </span>
      </label>
      <select id="override-target" name="target" required>
        <optgroup label="Environments">{props.targets.environments.map(option)}</optgroup>
        <optgroup label="Groups">{props.targets.groups.map(option)}</optgroup>
        <optgroup label="Members">{props.targets.members.map(option)}</optgroup>
      </select>
      <NumberField prefix="override" name="maxRunning" value={v.maxRunning} />
      <NumberField prefix="override" name="tasksPerDay" value={v.tasksPerDay} />
      <NumberField prefix="override" name="reviewsPerDay" value={v.reviewsPerDay} />
      <p class="help">Empty boxes are no limit of its own; saving replaces the limits it had.</p>
      <div>
        <button class="button" type="submit">
          Set limits
        </button>
      </div>
    </ConsoleForm>
  );
}
