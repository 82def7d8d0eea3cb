import type { PolicyLookup } from "../../../access/policies";
import type { PolicyView } from "../../../workspace/policies";
import { type ConsoleContext, ConsoleForm } from "../kit";
import type { AssignmentValues } from "./policies-input";

// The pieces of the policies page: the list, the requirements.toml editor, the ordered group assignment and
// the lookup. Every select and field has its own label, so the assignment reads well with a screen reader.

export const EXAMPLE_POLICY = `allowed_web_search_modes = ["disabled", "cached"]
allowed_sandbox_modes = ["workspace-write"]
allowed_approval_policies = ["on-request"]
`;

export function PolicyTable(props: { policies: PolicyView[] }) {
  if (props.policies.length === 0) return <p class="muted">No managed policies yet.</p>;
  return (
    <div class="table">
      <table>
        <thead>
          <tr>
            <th scope="col">Policy</th>
            <th scope="col">Unknown keys ignored</th>
          </tr>
        </thead>
        <tbody>
          {props.policies.map((p) => (
            <tr>
              <td>
                <a href={`/policies/${p.id}`}>{p.name}</a>
              </td>
              <td>{p.warnings.length === 0 ? "None" : p.warnings.length}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function PolicyForm(props: {
  c: ConsoleContext;
  action: string;
  values: { name: string; requirements: string };
  submit: string;
}) {
  return (
    <ConsoleForm c={props.c} action={props.action}>
      <label for="policy-name">Name</label>
      <input type="text" id="policy-name" name="name" value={props.values.name} required />
      <label for="policy-requirements">
        requirements.toml
        <span class="help">
          Allowed approval policies, sandbox modes, web search modes, MCP servers, feature pins and command
          rules. The policy is taken whole: nothing is filled in from another group's policy.
        </span>
      </label>
      <textarea id="policy-requirements" name="requirements" rows={14} spellcheck={false}>
        {props.values.requirements}
      </textarea>
      <div>
        <button class="button primary" type="submit">
          {props.submit}
        </button>
      </div>
    </ConsoleForm>
  );
}

function Options(props: { items: { id: string; name: string }[]; selected: string; none: string }) {
  return (
    <>
      <option value="">{props.none}</option>
      {props.items.map((item) => (
        <option value={item.id} selected={item.id === props.selected}>
          {item.name}
        </option>
      ))}
    </>
  );
}

export function AssignmentsForm(props: {
  c: ConsoleContext;
  values: AssignmentValues;
  policies: PolicyView[];
}) {
  const { values, policies } = props;
  const groups = props.c.var.viewer.snapshot.snapshot.groups;
  return (
    <ConsoleForm c={props.c} action="/policies/assignments">
      {values.rows.length === 0 ? <p class="muted">No group rules yet.</p> : null}
      {values.rows.map((row, i) => (
        <fieldset>
          <legend>Rule {i + 1}</legend>
          <label for={`rule-${i}-group`}>Group</label>
          <select id={`rule-${i}-group`} name={`rule_${i}_group`}>
            <Options items={groups} selected={row.groupId} none="Choose a group" />
          </select>
          <label for={`rule-${i}-policy`}>Policy</label>
          <select id={`rule-${i}-policy`} name={`rule_${i}_policy`}>
            <Options items={policies} selected={row.policyId} none="Choose a policy" />
          </select>
          <label for={`rule-${i}-position`}>Position</label>
          <input
            type="text"
            inputmode="numeric"
            id={`rule-${i}-position`}
            name={`rule_${i}_position`}
            value={row.position}
          />
          <div class="row">
            <button class="button" type="submit" name="move" value={`up:${i}`} disabled={i === 0}>
              Move rule {i + 1} up
            </button>
            <button
              class="button"
              type="submit"
              name="move"
              value={`down:${i}`}
              disabled={i === values.rows.length - 1}
            >
              Move rule {i + 1} down
            </button>
            <input type="checkbox" id={`rule-${i}-remove`} name={`rule_${i}_remove`} value="on" />
            <label for={`rule-${i}-remove`}>Remove this rule</label>
          </div>
        </fieldset>
      ))}
      <fieldset>
        <legend>Add a rule</legend>
        <label for="new-group">Group</label>
        <select id="new-group" name="new_group">
          <Options items={groups} selected={values.newGroupId} none="No new rule" />
        </select>
        <label for="new-policy">Policy</label>
        <select id="new-policy" name="new_policy">
          <Options items={policies} selected={values.newPolicyId} none="No new rule" />
        </select>
      </fieldset>
      <label for="default-policy">
        Default policy
        <span class="help">Applies to everyone no group rule matches.</span>
      </label>
      <select id="default-policy" name="default_policy">
        <Options items={policies} selected={values.defaultPolicyId} none="No default policy" />
      </select>
      <div>
        <button class="button primary" type="submit">
          Save group assignment
        </button>
      </div>
    </ConsoleForm>
  );
}

const SOURCE_TEXT: Record<PolicyLookup["source"], string> = {
  group_rule: "a group rule",
  default: "the default policy",
  none: "no policy",
  unknown_member: "no member",
  unknown_group: "no group",
};

export function LookupForm(props: { query: string; found: PolicyLookup | null; policies: PolicyView[] }) {
  const { found } = props;
  const source = found?.policy ? props.policies.find((p) => p.id === found.policy?.id)?.source : undefined;
  return (
    <>
      <form method="get" action="/policies" class="stack">
        <label for="lookup">
          Email or group
          <span class="help">A member's email, or a group's name or id.</span>
        </label>
        <input type="search" id="lookup" name="lookup" value={props.query} required />
        <div>
          <button class="button" type="submit">
            Look up policy
          </button>
        </div>
      </form>
      {found ? (
        <section aria-labelledby="lookup-result">
          <h3 id="lookup-result">
            {found.policy ? `Policy: ${found.policy.name}` : "No managed policy applies"}
          </h3>
          <p>
            Decided by {SOURCE_TEXT[found.source]}: {found.reason}.
          </p>
          {source ? <pre>{source}</pre> : null}
        </section>
      ) : null}
    </>
  );
}
