import { INTERNET_PRESET_NAMES, INTERNET_PRESETS } from "../../../access/internet-presets";
import type { EnvironmentView } from "../../../workspace/environments";
import { INTERNET_METHODS } from "../../../workspace/environments";
import { type ConsoleContext, ConsoleForm } from "../kit";
import type { EnvironmentFormValues } from "./environments-input";
import { Check } from "./owner-forms";

// The pieces of the environments page: the table of environments and the one form that creates and edits
// them. One column, every input with its label, help text from the product's own words.

const memberEmail = (c: ConsoleContext, id: string) =>
  c.var.viewer.snapshot.members.get(id)?.member.email ?? id;

function internetText(env: EnvironmentView): string {
  if (env.internet.mode === "off") return "Off";
  const presets = (env.internet.presets ?? []).map((name) => INTERNET_PRESETS[name]?.label ?? name);
  const entries = [...presets, ...env.internet.domains];
  return `Allowlist: ${entries.join(", ")} (${env.internet.methods.join(", ")})`;
}

export function EnvironmentTable(props: {
  c: ConsoleContext;
  environments: EnvironmentView[];
  editable: (env: EnvironmentView) => boolean;
}) {
  const { c } = props;
  if (props.environments.length === 0) return <p class="muted">No environments yet.</p>;
  return (
    <div class="table">
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Repository</th>
            <th scope="col">Visibility</th>
            <th scope="col">Collaborators</th>
            <th scope="col">Internet access</th>
            <th scope="col">Default mode</th>
          </tr>
        </thead>
        <tbody>
          {props.environments.map((env) => (
            <tr>
              <td>
                <a href={`/environments/${env.id}`}>{env.name}</a>
                {env.description ? <span class="help">{env.description}</span> : null}
                {props.editable(env) ? null : <span class="help">View only</span>}
              </td>
              <td>{env.repository}</td>
              <td>
                {env.visibility === "workspace" ? "Workspace" : "Private"}
                <span class="help">Created by {memberEmail(c, env.creatorId)}</span>
              </td>
              <td>
                {env.collaboratorIds.length === 0
                  ? "None"
                  : env.collaboratorIds.map((id) => memberEmail(c, id)).join(", ")}
              </td>
              <td>{internetText(env)}</td>
              <td>{env.defaultMode === "ask" ? "Ask" : "Code"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function InternetFields(props: { values: EnvironmentFormValues; allowed: boolean }) {
  const { values } = props;
  if (!props.allowed) {
    return (
      <p class="help" id="internet-off">
        Internet access: off. This workspace does not allow the Codex agent to access the internet; a
        workspace owner can turn that on in Settings.
      </p>
    );
  }
  return (
    <fieldset>
      <legend>Internet access</legend>
      <div class="row">
        <input
          type="radio"
          id="internet-off"
          name="internet"
          value="off"
          checked={values.internet !== "allowlist"}
        />
        <label for="internet-off">Off</label>
        <input
          type="radio"
          id="internet-allowlist"
          name="internet"
          value="allowlist"
          checked={values.internet === "allowlist"}
        />
        <label for="internet-allowlist">Allowlist</label>
      </div>
      <p class="help">Presets: named lists of hosts kept by the hub</p>
      {INTERNET_PRESET_NAMES.map((name) => {
        const preset = INTERNET_PRESETS[name];
        return (
          <div>
            <Check
              name={`preset_${name}`}
              checked={values.presets.includes(name)}
              label={preset.label}
              help={preset.description}
            />
            <details class="help">
              <summary>The {preset.domains.length} hosts of this preset</summary>
              {preset.domains.join(", ")}
            </details>
          </div>
        );
      })}
      <label for="env-domains">
        Allowed domains
        <span class="help">
          One a line. registry.npmjs.org allows that host only; *.pypi.org allows every subdomain of pypi.org
          (not pypi.org itself). localhost and addresses on private networks are reached only when named here
          exactly (a host or an IP address). Used with Allowlist.
        </span>
      </label>
      <textarea id="env-domains" name="domains" rows={4}>
        {values.domains}
      </textarea>
      <p class="help">
        Allowed HTTP methods: checked on plain HTTP requests. HTTPS connections are encrypted end to end, so
        for them only the host is checked.
      </p>
      <div class="row">
        {INTERNET_METHODS.map((method) => (
          <>
            <input
              type="checkbox"
              id={`method-${method}`}
              name={`method_${method}`}
              value="on"
              checked={values.methods.includes(method)}
            />
            <label for={`method-${method}`}>{method}</label>
          </>
        ))}
      </div>
    </fieldset>
  );
}

export function EnvironmentForm(props: {
  c: ConsoleContext;
  action: string;
  values: EnvironmentFormValues;
  submit: string;
  internetAllowed: boolean;
  /** Codex Admins and owners may create an environment for someone else. */
  creatorChoice: boolean;
}) {
  const { c, values } = props;
  const members = c.var.viewer.snapshot.snapshot.members.filter((m) => m.status === "active");
  return (
    <ConsoleForm c={c} action={props.action}>
      <label for="env-repository">
        Repository
        <span class="help">The GitHub repository as owner/name.</span>
      </label>
      <input type="text" id="env-repository" name="repository" value={values.repository} required />
      <label for="env-name">Name</label>
      <input type="text" id="env-name" name="name" value={values.name} required />
      <label for="env-description">
        Description
        <span class="help">A recognisable description helps people pick the right environment.</span>
      </label>
      <textarea id="env-description" name="description" rows={3}>
        {values.description}
      </textarea>
      <label for="env-visibility">
        Visibility
        <span class="help">Private: only the creator and collaborators see it.</span>
      </label>
      <select id="env-visibility" name="visibility">
        <option value="workspace" selected={values.visibility === "workspace"}>
          Workspace
        </option>
        <option value="private" selected={values.visibility === "private"}>
          Private
        </option>
      </select>
      <label for="env-default-mode">
        Default mode
        <span class="help">
          For requests that start with neither <code>ask:</code> nor <code>code:</code>. Ask: Codex answers
          read-only and never pushes or opens a pull request. Code: it may change files and open one.
        </span>
      </label>
      <select id="env-default-mode" name="defaultMode">
        <option value="code" selected={values.defaultMode !== "ask"}>
          Code
        </option>
        <option value="ask" selected={values.defaultMode === "ask"}>
          Ask
        </option>
      </select>
      {props.creatorChoice ? (
        <>
          <label for="env-creator">Creator</label>
          <select id="env-creator" name="creator">
            <option value="">Choose a member</option>
            {members.map((m) => (
              <option value={m.id} selected={m.id === values.creatorId}>
                {m.email}
              </option>
            ))}
          </select>
        </>
      ) : null}
      <label for="env-collaborators">
        Collaborators
        <span class="help">
          Emails of people who may see and edit this environment, one a line. On creation, an email no member
          has yet is invited; later, invite people under Collaborators on the environment's page.
        </span>
      </label>
      <textarea id="env-collaborators" name="collaborators" rows={3}>
        {values.collaborators}
      </textarea>
      <InternetFields values={values} allowed={props.internetAllowed} />
      <div>
        <button class="button primary" type="submit">
          {props.submit}
        </button>
      </div>
    </ConsoleForm>
  );
}

export function DeleteEnvironmentForm(props: { c: ConsoleContext; env: EnvironmentView }) {
  return (
    <ConsoleForm c={props.c} action={`/environments/${props.env.id}/delete`}>
      <p class="help">Deleting removes the environment for everyone who uses it. This cannot be undone.</p>
      <div>
        <button class="button danger" type="submit">
          Delete environment {props.env.name}
        </button>
      </div>
    </ConsoleForm>
  );
}
