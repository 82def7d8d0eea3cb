import { apiScopes } from "../../../db/schema/api-keys";
import { ROUTED_SCOPES, type RoutedScope, unroutedScopes } from "../../../workspace/api-key-scopes";
import type { ApiKeyView } from "../../../workspace/api-keys";
import { type ConsoleContext, ConsoleForm } from "../kit";

// The pieces of the API keys page: the list (never a key, only its prefix), the form that offers the scopes
// a key can use today and says why the others are not offered, and the one-time display of a new key.

const SCOPE_HELP: Record<RoutedScope, string> = {
  admin: "The admin API (/api/v1): everything this console can change, in every workspace.",
  scim: "SCIM 2.0 provisioning of members and groups (/scim/v2), for an identity provider.",
  "analytics.read":
    "The analytics API (/api/v1/analytics/codex/…): daily usage, code reviews and exports of every workspace, read only. The admin scope does not include it.",
  "compliance.read":
    "The Compliance API (/api/v1/compliance): log files of every task, decision and change, and the tasks and environments of every workspace. Nothing else.",
  "compliance.delete":
    "Erase a finished task's text through the Compliance API (audited with this key). Give it with compliance.read to an eDiscovery or retention tool.",
};

/** A time as people read it in a table, in UTC so every admin reads the same thing. */
export const when = (ms: number) => `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** `member:<id>` as the member's email; keys as "API key <id>". */
function actorName(c: ConsoleContext, actor: string): string {
  const [kind, id = ""] = actor.split(":");
  if (kind === "member") return c.var.viewer.snapshot.members.get(id)?.member.email ?? actor;
  if (kind === "api_key") return id === "bootstrap" ? "the bootstrap admin key" : `API key ${id}`;
  return actor;
}

export function ApiKeyTable(props: { c: ConsoleContext; keys: ApiKeyView[] }) {
  const { c } = props;
  if (props.keys.length === 0) return <p class="muted">No API keys yet (the bootstrap key is not listed).</p>;
  return (
    <div class="table">
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Key starts with</th>
            <th scope="col">Scopes</th>
            <th scope="col">Created</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {props.keys.map((key) => (
            <tr>
              <td>{key.name}</td>
              <td>
                <code>{key.prefix}</code>
              </td>
              <td>{key.scopes.join(", ")}</td>
              <td>
                {when(key.createdAt)}
                <span class="help">by {actorName(c, key.createdBy)}</span>
              </td>
              <td>
                {key.revokedAt === null ? (
                  <ConsoleForm c={c} action={`/api-keys/${key.id}/revoke`} class="row">
                    <span class="status ok">Active</span>
                    <button class="button danger" type="submit">
                      Revoke key {key.name}
                    </button>
                  </ConsoleForm>
                ) : (
                  <span class="status">Revoked {when(key.revokedAt)}</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function CreateKeyForm(props: { c: ConsoleContext; name: string; scopes: string[] }) {
  const refused = unroutedScopes(apiScopes);
  return (
    <ConsoleForm c={props.c} action="/api-keys">
      <label for="key-name">
        Name
        <span class="help">Say who or what will use the key, e.g. "Okta SCIM" or "deploy scripts".</span>
      </label>
      <input type="text" id="key-name" name="name" value={props.name} required />
      <fieldset>
        <legend>Scopes</legend>
        {ROUTED_SCOPES.map((scope) => (
          <div>
            <input
              type="checkbox"
              id={`scope-${scope}`}
              name={`scope_${scope}`}
              value="on"
              checked={props.scopes.includes(scope)}
            />
            <label for={`scope-${scope}`}>
              {scope}
              <span class="help">{SCOPE_HELP[scope]}</span>
            </label>
          </div>
        ))}
        {refused.length > 0 ? (
          <p class="help">
            Not offered yet: {refused.join(", ")}. No route of this hub accepts them yet, so a key holding
            them would be refused everywhere.
          </p>
        ) : null}
      </fieldset>
      <div>
        <button class="button primary" type="submit">
          Create API key
        </button>
      </div>
    </ConsoleForm>
  );
}

export function NewKey(props: { name: string; keyText: string; scopes: string[] }) {
  return (
    <>
      <h1>API key created</h1>
      <div class="notice warn" role="status">
        <p>
          Copy the key <strong>{props.name}</strong> now. This is the only time it is shown: the hub keeps
          only a digest of it.
        </p>
      </div>
      <label for="new-key">The new key (scopes: {props.scopes.join(", ")})</label>
      <input type="text" id="new-key" readonly value={props.keyText} />
      <p class="help">Send it as the header Authorization: Bearer &lt;key&gt;.</p>
      <p>
        <a class="button" href="/api-keys">
          Done, back to API keys
        </a>
      </p>
    </>
  );
}
