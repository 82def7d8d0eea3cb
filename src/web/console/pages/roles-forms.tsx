import { PERMISSIONS, type Permission } from "../../../access/types";
import type { GroupView } from "../../../workspace/groups";
import type { MemberView } from "../../../workspace/members";
import type { RoleView } from "../../../workspace/roles";
import { type ConsoleContext, ConsoleForm } from "../kit";
import { Check, memberName, ticked } from "./owner-forms";

// Custom roles, the default role and owners, as the RBAC guide describes them: a role carries permissions, is
// assigned to groups, and members without a custom role get the default role. Groups are in roles-groups.tsx.

/** Each permission as the admin guide names its toggle, and what holding it allows here. */
export const PERMISSION_INFO: Readonly<Record<Permission, { label: string; help: string }>> = {
  codex_local: {
    label: "Allow members to use Codex Local",
    help: "The Codex app, CLI and IDE extension, where the workspace allows Codex local.",
  },
  codex_cloud: {
    label: "Allow members to use Codex cloud",
    help: "Cloud tasks, code review, and tasks created from Slack and Linear, where the workspace allows Codex cloud.",
  },
  codex_admin: {
    label: "Allow members to administer Codex",
    help: "Codex Admin: view Codex workspace analytics, manage requirements.toml policies and assign them to groups, and edit and delete environments. Give it only to a small Codex Admin group.",
  },
  agent_internet: {
    label: "Allow Codex agent to access the internet",
    help: "The agent may use an environment's internet allowlist in this member's tasks, where the workspace allows agent internet access.",
  },
};

export const permissionField = (p: Permission) => `perm_${p}`;

/** The permissions a role form ticked. */
export const tickedPermissions = (fields: Record<string, string>): Permission[] =>
  PERMISSIONS.filter((p) => ticked(fields, permissionField(p)));

function PermissionChecks(props: { held: readonly Permission[] }) {
  return (
    <fieldset class="stack">
      <legend>Permissions</legend>
      {PERMISSIONS.map((p) => (
        <Check
          name={permissionField(p)}
          checked={props.held.includes(p)}
          label={
            <>
              {PERMISSION_INFO[p].label} <code>{p}</code>
            </>
          }
          help={PERMISSION_INFO[p].help}
        />
      ))}
    </fieldset>
  );
}

const names = <T extends { id: string; name: string }>(all: readonly T[], ids: readonly string[]) =>
  ids.map((id) => all.find((x) => x.id === id)?.name ?? id).join(", ");

/** Every custom role with its permissions and groups; each opens to change or delete it. */
export function RoleList(props: { c: ConsoleContext; roles: RoleView[]; groups: GroupView[] }) {
  const { c, roles, groups } = props;
  if (roles.length === 0) {
    return <p class="muted">No custom roles yet: members get the default role's permissions, if any.</p>;
  }
  return (
    <>
      <div class="table">
        <table>
          <thead>
            <tr>
              <th scope="col">Role</th>
              <th scope="col">Permissions</th>
              <th scope="col">Groups</th>
            </tr>
          </thead>
          <tbody>
            {roles.map((r) => (
              <tr>
                <td>
                  {r.name}
                  {r.isDefault ? <span class="status ok"> default</span> : null}
                </td>
                <td>
                  {r.permissions.length ? (
                    r.permissions.map((p) => <div>{PERMISSION_INFO[p].label}</div>)
                  ) : (
                    <span class="muted">none</span>
                  )}
                </td>
                <td>{names(groups, r.groupIds) || <span class="muted">none</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {roles.map((r) => (
        <details>
          <summary>Change or delete {r.name}</summary>
          <ConsoleForm c={c} action={`/roles/role/${r.id}`}>
            <label>
              Name
              <input type="text" name="name" value={r.name} required maxlength={200} />
            </label>
            <PermissionChecks held={r.permissions} />
            <div>
              <button class="button primary" type="submit">
                Save {r.name}
              </button>
            </div>
          </ConsoleForm>
          <ConsoleForm c={c} action={`/roles/role/${r.id}/delete`} class="row">
            <button class="button danger" type="submit">
              Delete {r.name}
            </button>
            <span class="help">
              Its groups lose the role{r.isDefault ? "; the workspace has no default role then" : ""}.
            </span>
          </ConsoleForm>
        </details>
      ))}
    </>
  );
}

export function CreateRoleForm(props: { c: ConsoleContext; name?: string }) {
  return (
    <ConsoleForm c={props.c} action="/roles/role">
      <label>
        Name
        <input type="text" name="name" value={props.name ?? ""} required maxlength={200} />
      </label>
      <PermissionChecks held={[]} />
      <div>
        <button class="button primary" type="submit">
          Create role
        </button>
      </div>
    </ConsoleForm>
  );
}

/** The role of members no group gives a custom role. */
export function DefaultRoleForm(props: { c: ConsoleContext; roles: RoleView[] }) {
  const current = props.roles.find((r) => r.isDefault)?.id ?? "";
  return (
    <ConsoleForm c={props.c} action="/roles/default-role">
      <label>
        Default role
        <span class="help">What members who aren't assigned any custom role get.</span>
        <select name="roleId">
          <option value="" selected={current === ""}>
            No default role (those members get no permissions)
          </option>
          {props.roles.map((r) => (
            <option value={r.id} selected={current === r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </label>
      <div>
        <button class="button primary" type="submit">
          Save default role
        </button>
      </div>
    </ConsoleForm>
  );
}

/** Owners, each with a way to take ownership away, and a way to make another member an owner. */
export function OwnersSection(props: { c: ConsoleContext; members: MemberView[]; email?: string }) {
  const { c, members } = props;
  const owners = members.filter((m) => m.isOwner);
  const activeOwners = owners.filter((m) => m.status === "active");
  return (
    <>
      <ul class="checklist">
        {owners.map((m) => (
          <li>
            <ConsoleForm c={c} action={`/roles/owners/${m.id}/remove`} class="row">
              <span>
                {memberName(m)} {m.displayName ? <span class="muted">{m.email}</span> : null}
                {m.status === "deactivated" ? <span class="status"> deactivated</span> : null}
                {activeOwners.length === 1 && activeOwners[0]!.id === m.id ? (
                  <span class="help">
                    The last active owner: make someone else an owner before removing them.
                  </span>
                ) : null}
              </span>
              <button class="button danger" type="submit">
                Remove as owner
              </button>
            </ConsoleForm>
          </li>
        ))}
      </ul>
      <ConsoleForm c={c} action="/roles/owners">
        <label>
          Make a member an owner
          <span class="help">Owners hold every permission and manage settings, roles, members and apps.</span>
          <input type="email" name="email" value={props.email ?? ""} placeholder="Member's email" required />
        </label>
        <div>
          <button class="button" type="submit">
            Make owner
          </button>
        </div>
      </ConsoleForm>
    </>
  );
}
