import type { GroupView } from "../../../workspace/groups";
import type { MemberView } from "../../../workspace/members";
import type { RoleView } from "../../../workspace/roles";
import { type ConsoleContext, ConsoleForm } from "../kit";
import { memberName } from "./owner-forms";

// Groups: who is in each and which custom roles it gives them. Roles are held only through groups, so this is
// where a person gets or loses a role. Groups synced by SCIM show it: the identity provider may put its own
// membership back.

function RemoveButton(props: { c: ConsoleContext; action: string; label: string; what: string }) {
  return (
    <ConsoleForm c={props.c} action={props.action} class="row">
      <span>{props.what}</span>
      <button class="button" type="submit" aria-label={props.label}>
        Remove
      </button>
    </ConsoleForm>
  );
}

function GroupRoles(props: { c: ConsoleContext; group: GroupView; roles: RoleView[] }) {
  const { c, group, roles } = props;
  const held = roles.filter((r) => group.roleIds.includes(r.id));
  const others = roles.filter((r) => !group.roleIds.includes(r.id));
  return (
    <>
      <h4>Roles</h4>
      {held.length === 0 ? <p class="muted">No roles: this group gives its members nothing.</p> : null}
      <ul class="checklist">
        {held.map((r) => (
          <li>
            <RemoveButton
              c={c}
              action={`/roles/groups/${group.id}/roles/${r.id}/remove`}
              label={`Take ${r.name} away from ${group.name}`}
              what={r.name}
            />
          </li>
        ))}
      </ul>
      {others.length > 0 ? (
        <ConsoleForm c={c} action={`/roles/groups/${group.id}/roles`} class="row">
          <label>
            Assign a role to {group.name}
            <select name="roleId">
              {others.map((r) => (
                <option value={r.id}>{r.name}</option>
              ))}
            </select>
          </label>
          <button class="button" type="submit">
            Assign
          </button>
        </ConsoleForm>
      ) : null}
    </>
  );
}

function GroupMembers(props: { c: ConsoleContext; group: GroupView; members: Map<string, MemberView> }) {
  const { c, group, members } = props;
  return (
    <>
      <h4>Members</h4>
      {group.memberIds.length === 0 ? <p class="muted">Nobody yet.</p> : null}
      <ul class="checklist">
        {group.memberIds.map((id) => {
          const m = members.get(id);
          const name = m ? memberName(m) : id;
          return (
            <li>
              <RemoveButton
                c={c}
                action={`/roles/groups/${group.id}/members/${id}/remove`}
                label={`Remove ${name} from ${group.name}`}
                what={m?.displayName ? `${name} (${m.email})` : name}
              />
            </li>
          );
        })}
      </ul>
      <ConsoleForm c={c} action={`/roles/groups/${group.id}/members`} class="row">
        <label>
          Add a member to {group.name}
          <input type="email" name="email" placeholder="Member's email" required />
        </label>
        <button class="button" type="submit">
          Add
        </button>
      </ConsoleForm>
    </>
  );
}

/** Every group with its roles and members, and the forms that change them. */
export function GroupList(props: {
  c: ConsoleContext;
  groups: GroupView[];
  roles: RoleView[];
  members: MemberView[];
}) {
  const { c, groups, roles } = props;
  if (groups.length === 0) return <p class="muted">No groups yet.</p>;
  const members = new Map(props.members.map((m) => [m.id, m]));
  return (
    <>
      {groups.map((g) => (
        <section aria-labelledby={`group-${g.id}`}>
          <h3 id={`group-${g.id}`}>{g.name}</h3>
          {g.externalId ? (
            <p class="help">
              Synced by SCIM from your identity provider: a change made here may be undone by its next sync.
            </p>
          ) : null}
          <GroupRoles c={c} group={g} roles={roles} />
          <GroupMembers c={c} group={g} members={members} />
          <details>
            <summary>Delete {g.name}</summary>
            <ConsoleForm c={c} action={`/roles/groups/${g.id}/delete`} class="row">
              <span class="help">
                Its members lose the roles it gives them; managed policy rules naming it go too.
              </span>
              <button class="button danger" type="submit">
                Delete {g.name}
              </button>
            </ConsoleForm>
          </details>
        </section>
      ))}
    </>
  );
}

export function CreateGroupForm(props: { c: ConsoleContext; name?: string }) {
  return (
    <ConsoleForm c={props.c} action="/roles/groups" class="row">
      <label>
        New group
        <input type="text" name="name" value={props.name ?? ""} required maxlength={200} />
      </label>
      <button class="button primary" type="submit">
        Create group
      </button>
    </ConsoleForm>
  );
}
