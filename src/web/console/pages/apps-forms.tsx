import type { PluginPolicy } from "../../../access/types";
import type { AppView } from "../../../workspace/apps";
import type { GroupView } from "../../../workspace/groups";
import type { MemberView } from "../../../workspace/members";
import type { RoleView } from "../../../workspace/roles";
import { type ConsoleContext, ConsoleForm } from "../kit";
import { Check, Link } from "./owner-forms";

// Apps as Workspace settings > Apps describes them: enabled or not, draft or published, who can use it (all
// members, or assigned users, groups and roles), whether it can read data only or also take actions, and
// whether users must confirm actions before they run. Plugins are in apps-plugins.tsx.

export const KIND_LABELS: Readonly<Record<AppView["kind"], string>> = {
  slack: "Slack integration",
  github: "GitHub integration",
  linear: "Linear integration",
  custom: "Custom app",
};

export const modeLabel = (app: Pick<AppView, "mode" | "confirmWrites">) =>
  app.mode === "read_only"
    ? "Read only"
    : app.confirmWrites
      ? "Read and write, confirm each write"
      : "Read and write";

/** Who can use an app, in words. */
export function audienceLabel(
  app: Pick<AppView, "access">,
  groups: readonly GroupView[],
  roles: readonly RoleView[],
): string {
  const a = app.access;
  if (a.type === "all") return "All members";
  const parts = [
    ...a.groupIds.map((id) => `group ${groups.find((g) => g.id === id)?.name ?? id}`),
    ...a.roleIds.map((id) => `role ${roles.find((r) => r.id === id)?.name ?? id}`),
    ...(a.memberIds.length ? [`${a.memberIds.length} member${a.memberIds.length === 1 ? "" : "s"}`] : []),
  ];
  return parts.length ? `Assigned: ${parts.join(", ")}` : "Assigned to nobody yet";
}

export function AppTable(props: {
  c: ConsoleContext;
  apps: AppView[];
  groups: GroupView[];
  roles: RoleView[];
}) {
  return (
    <div class="table">
      <table>
        <thead>
          <tr>
            <th scope="col">App</th>
            <th scope="col">Kind</th>
            <th scope="col">State</th>
            <th scope="col">Who can use it</th>
            <th scope="col">What it can do</th>
          </tr>
        </thead>
        <tbody>
          {props.apps.map((a) => (
            <tr>
              <td>
                <Link c={props.c} href={`/apps/app/${a.id}`}>
                  {a.name}
                </Link>
              </td>
              <td>{KIND_LABELS[a.kind]}</td>
              <td>
                <span class={a.enabled ? "status ok" : "status failed"}>
                  {a.enabled ? "enabled" : "disabled"}
                </span>{" "}
                <span class={a.status === "published" ? "status ok" : "status"}>{a.status}</span>
              </td>
              <td>{audienceLabel(a, props.groups, props.roles)}</td>
              <td>{modeLabel(a)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Radio(props: { name: string; value: string; checked: boolean; label: string; help?: string }) {
  return (
    <div>
      <label>
        <input type="radio" name={props.name} value={props.value} checked={props.checked} /> {props.label}
        {props.help ? <span class="help">{props.help}</span> : null}
      </label>
    </div>
  );
}

/** One app's settings, in one form. */
export function AppForm(props: {
  c: ConsoleContext;
  app: AppView;
  groups: GroupView[];
  roles: RoleView[];
  members: MemberView[];
}) {
  const { c, app, groups, roles } = props;
  const a = app.access;
  const assigned: { memberIds: string[]; groupIds: string[]; roleIds: string[] } =
    a.type === "assigned" ? a : { memberIds: [], groupIds: [], roleIds: [] };
  const emails = assigned.memberIds.map((id) => props.members.find((m) => m.id === id)?.email ?? id);
  return (
    <ConsoleForm c={c} action={`/apps/app/${app.id}`}>
      <label>
        Name
        <input type="text" name="name" value={app.name} required maxlength={200} />
      </label>
      <Check
        name="enabled"
        checked={app.enabled}
        label="Enabled"
        help="A disabled app allows no action through it, whatever else the member may do."
      />
      <fieldset class="stack">
        <legend>Status</legend>
        <Radio
          name="status"
          value="draft"
          checked={app.status === "draft"}
          label="Draft"
          help="Nobody can use it until it is published."
        />
        <Radio name="status" value="published" checked={app.status === "published"} label="Published" />
      </fieldset>
      <fieldset class="stack">
        <legend>Who can use it</legend>
        <Radio name="audience" value="all" checked={a.type === "all"} label="All members" />
        <Radio
          name="audience"
          value="assigned"
          checked={a.type === "assigned"}
          label="Only assigned users, groups and roles"
          help="Start with a pilot group, then expand once the workflow is validated."
        />
        {groups.length > 0 ? (
          <fieldset class="stack">
            <legend>Groups</legend>
            {groups.map((g) => (
              <Check name={`group_${g.id}`} checked={assigned.groupIds.includes(g.id)} label={g.name} />
            ))}
          </fieldset>
        ) : null}
        {roles.length > 0 ? (
          <fieldset class="stack">
            <legend>Roles</legend>
            {roles.map((r) => (
              <Check name={`role_${r.id}`} checked={assigned.roleIds.includes(r.id)} label={r.name} />
            ))}
          </fieldset>
        ) : null}
        <label>
          Users
          <span class="help">Members' emails, one per line.</span>
          <textarea name="memberEmails" rows={3}>
            {emails.join("\n")}
          </textarea>
        </label>
      </fieldset>
      <fieldset class="stack">
        <legend>What it can do</legend>
        <Radio
          name="mode"
          value="read_only"
          checked={app.mode === "read_only"}
          label="Read only"
          help="Codex may read through it but take no action: every write through it is refused."
        />
        <Radio name="mode" value="read_write" checked={app.mode === "read_write"} label="Read and write" />
        <Check
          name="confirmWrites"
          checked={app.confirmWrites}
          label="Users must confirm each action before it runs"
          help="Only for read and write: the person is asked before every write through this app."
        />
      </fieldset>
      <div>
        <button class="button primary" type="submit">
          Save {app.name}
        </button>
      </div>
    </ConsoleForm>
  );
}

export function CreateAppForm(props: { c: ConsoleContext; name?: string }) {
  return (
    <ConsoleForm c={props.c} action="/apps/app" class="row">
      <label>
        Name
        <span class="help">
          It starts as a read-only draft open to all members: publish it when it is ready.
        </span>
        <input type="text" name="name" value={props.name ?? ""} required maxlength={200} />
      </label>
      <button class="button primary" type="submit">
        Add app
      </button>
    </ConsoleForm>
  );
}

/** Removes a custom app (integrations are disabled instead). */
export const AppDeleteForm = (props: { c: ConsoleContext; app: AppView }) => (
  <ConsoleForm c={props.c} action={`/apps/app/${props.app.id}/delete`} class="row">
    <span class="help">
      Nothing can act through it afterwards; plugins that require it stop being available.
    </span>
    <button class="button danger" type="submit">
      Remove {props.app.name}
    </button>
  </ConsoleForm>
);

export const POLICY_LABELS: Readonly<Record<PluginPolicy, string>> = {
  none: "Not available",
  available: "Available (members may install it)",
  installed: "Installed (installed for the role by default)",
};
