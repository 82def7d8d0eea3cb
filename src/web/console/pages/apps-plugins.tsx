import type { PluginPolicy } from "../../../access/types";
import type { AppView } from "../../../workspace/apps";
import type { PluginView } from "../../../workspace/plugins";
import type { RoleView } from "../../../workspace/roles";
import { type ConsoleContext, ConsoleForm } from "../kit";
import { POLICY_LABELS } from "./apps-forms";
import { POLICIES } from "./apps-input";
import { Check, Link } from "./owner-forms";

// Plugins as Workspace settings > Plugins describes them: skills plus required and optional apps, and an
// installation policy per role (not available, available, installed). A plugin is available only where every
// required app is usable by the member; it never widens what a member may do.

/** Required apps nobody can use as they are (disabled or draft): the plugin needs setup first. */
export function needsSetup(plugin: Pick<PluginView, "requiredAppIds">, apps: readonly AppView[]): string[] {
  return plugin.requiredAppIds.flatMap((id) => {
    const app = apps.find((a) => a.id === id);
    if (!app) return [`${id} (removed)`];
    if (!app.enabled) return [`${app.name} is disabled`];
    if (app.status !== "published") return [`${app.name} is a draft`];
    return [];
  });
}

const appNames = (apps: readonly AppView[], ids: readonly string[]) =>
  ids.map((id) => apps.find((a) => a.id === id)?.name ?? id).join(", ");

function policySummary(plugin: PluginView, roles: readonly RoleView[]): string {
  const listed = roles
    .filter((r) => Object.hasOwn(plugin.policyByRole, r.id))
    .map((r) => `${r.name}: ${plugin.policyByRole[r.id]}`);
  return [...listed, `${listed.length ? "other roles" : "every role"}: ${plugin.defaultPolicy}`].join("; ");
}

export function PluginTable(props: {
  c: ConsoleContext;
  plugins: PluginView[];
  apps: AppView[];
  roles: RoleView[];
}) {
  const { c, apps, roles } = props;
  if (props.plugins.length === 0) return <p class="muted">No plugins yet.</p>;
  return (
    <div class="table">
      <table>
        <thead>
          <tr>
            <th scope="col">Plugin</th>
            <th scope="col">State</th>
            <th scope="col">Skills</th>
            <th scope="col">Apps</th>
            <th scope="col">Installation policy</th>
          </tr>
        </thead>
        <tbody>
          {props.plugins.map((p) => {
            const setup = needsSetup(p, apps);
            return (
              <tr>
                <td>
                  <Link c={c} href={`/apps/plugin/${p.id}`}>
                    {p.name}
                  </Link>
                </td>
                <td>
                  <span class={p.enabled ? "status ok" : "status failed"}>
                    {p.enabled ? "enabled" : "disabled"}
                  </span>
                  {setup.length ? <span class="help">Needs setup: {setup.join(", ")}</span> : null}
                </td>
                <td>{p.skills.join(", ") || <span class="muted">none</span>}</td>
                <td>
                  {p.requiredAppIds.length ? <div>Required: {appNames(apps, p.requiredAppIds)}</div> : null}
                  {p.optionalAppIds.length ? <div>Optional: {appNames(apps, p.optionalAppIds)}</div> : null}
                  {p.requiredAppIds.length + p.optionalAppIds.length === 0 ? (
                    <span class="muted">none</span>
                  ) : null}
                </td>
                <td>{policySummary(p, roles)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function PolicySelect(props: { name: string; label: string; value: string; withDefault?: PluginPolicy }) {
  return (
    <label>
      {props.label}
      <select name={props.name}>
        {props.withDefault ? (
          <option value="default" selected={props.value === "default"}>
            As other roles ({POLICY_LABELS[props.withDefault]})
          </option>
        ) : null}
        {POLICIES.map((p) => (
          <option value={p} selected={props.value === p}>
            {POLICY_LABELS[p]}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A plugin's settings (or a new plugin's), in one form. */
export function PluginForm(props: {
  c: ConsoleContext;
  plugin?: PluginView;
  apps: AppView[];
  roles: RoleView[];
  /** What a refused form typed, to show back. */
  name?: string;
}) {
  const { c, plugin, apps, roles } = props;
  const defaultPolicy = plugin?.defaultPolicy ?? "available";
  return (
    <ConsoleForm c={c} action={plugin ? `/apps/plugin/${plugin.id}` : "/apps/plugin"}>
      <label>
        Name
        <input type="text" name="name" value={props.name ?? plugin?.name ?? ""} required maxlength={200} />
      </label>
      <Check
        name="enabled"
        checked={plugin?.enabled ?? true}
        label="Enabled"
        help="A disabled plugin is available to nobody, whatever its installation policy."
      />
      <label>
        Skills
        <span class="help">One per line: reusable instructions and workflow patterns the plugin brings.</span>
        <textarea name="skills" rows={3}>
          {(plugin?.skills ?? []).join("\n")}
        </textarea>
      </label>
      {apps.length > 0 ? (
        <fieldset class="stack">
          <legend>Apps</legend>
          <p class="help">
            A plugin that requires an app is available only to members who can use that app; optional apps
            never block it.
          </p>
          {apps.map((a) => (
            <div class="row">
              <Check
                name={`required_${a.id}`}
                checked={plugin?.requiredAppIds.includes(a.id) ?? false}
                label={`${a.name}: required`}
              />
              <Check
                name={`optional_${a.id}`}
                checked={plugin?.optionalAppIds.includes(a.id) ?? false}
                label="optional"
              />
            </div>
          ))}
        </fieldset>
      ) : null}
      <fieldset class="stack">
        <legend>Installation policy</legend>
        <p class="help">
          Available lets members of the role install the plugin; Installed installs it for that role by
          default. A member gets the most generous policy of their roles.
        </p>
        {roles.map((r) => (
          <PolicySelect
            name={`policy_${r.id}`}
            label={r.name}
            value={
              plugin && Object.hasOwn(plugin.policyByRole, r.id) ? plugin.policyByRole[r.id]! : "default"
            }
            withDefault={defaultPolicy}
          />
        ))}
        <PolicySelect
          name="defaultPolicy"
          label={roles.length ? "Other roles" : "Every role"}
          value={defaultPolicy}
        />
      </fieldset>
      <div>
        <button class="button primary" type="submit">
          {plugin ? `Save ${plugin.name}` : "Add plugin"}
        </button>
      </div>
    </ConsoleForm>
  );
}

export const PluginDeleteForm = (props: { c: ConsoleContext; plugin: PluginView }) => (
  <ConsoleForm c={props.c} action={`/apps/plugin/${props.plugin.id}/delete`} class="row">
    <span class="help">Members lose it; the apps it used are not changed.</span>
    <button class="button danger" type="submit">
      Remove {props.plugin.name}
    </button>
  </ConsoleForm>
);
