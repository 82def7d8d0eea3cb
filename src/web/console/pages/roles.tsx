import { AppError } from "../../../errors";
import { createGroup, deleteGroup, listGroups, setGroupMembership } from "../../../workspace/groups";
import { findMemberByEmail, listMembers } from "../../../workspace/members";
import { setOwner } from "../../../workspace/owners";
import {
  assignRole,
  createRole,
  deleteRole,
  listRoles,
  setDefaultRole,
  updateRole,
} from "../../../workspace/roles";
import {
  type ConsoleApp,
  type ConsoleContext,
  changeGuard,
  consolePage,
  formFields,
  Notices,
  needs,
} from "../kit";
import { RefusalNotice } from "./form-errors";
import { applyChange, badForm, type Refusal, textField } from "./owner-forms";
import { CreateRoleForm, DefaultRoleForm, OwnersSection, RoleList, tickedPermissions } from "./roles-forms";
import { CreateGroupForm, GroupList } from "./roles-groups";

// Roles and groups: custom roles and their permissions, the default role, groups with their members and
// roles, and owners. Every change goes through the same domain functions as the admin API (src/workspace/roles.ts,
// groups.ts, owners.ts), so it is checked, audited and seen by the next access decision the same way.

const PATH = "/roles";

/** What a refused form typed, shown back in it. */
interface Kept {
  refusal?: Refusal;
  roleName?: string;
  groupName?: string;
  ownerEmail?: string;
}

async function rolesView(c: ConsoleContext, kept: Kept = {}) {
  const deps = c.var.deps;
  const workspaceId = c.var.viewer.workspaceId;
  const [roles, groups, members] = await Promise.all([
    listRoles(deps, workspaceId),
    listGroups(deps, workspaceId),
    listMembers(deps, workspaceId),
  ]);
  return consolePage(
    c,
    {
      title: "Roles and groups",
      path: PATH,
      children: (
        <>
          <h1>Roles and groups</h1>
          <Notices c={c} />
          <RefusalNotice refusal={kept.refusal} />
          <p>
            Custom roles carry permissions and are assigned to groups. A member's permissions are those of
            every role of every group they are in (the most permissive wins); members without a custom role
            get the default role. Owners hold every permission.
          </p>
          <h2 id="roles">Custom roles</h2>
          <RoleList c={c} roles={roles} groups={groups} />
          <h3>Create a role</h3>
          <CreateRoleForm c={c} name={kept.roleName} />
          <h2 id="default-role">Default role</h2>
          <DefaultRoleForm c={c} roles={roles} />
          <h2 id="groups">Groups</h2>
          <GroupList c={c} groups={groups} roles={roles} members={members} />
          <h3>Create a group</h3>
          <CreateGroupForm c={c} name={kept.groupName} />
          <h2 id="owners">Owners</h2>
          <OwnersSection c={c} members={members} email={kept.ownerEmail} />
        </>
      ),
    },
    kept.refusal?.status ?? 200,
  );
}

type Params = Record<string, string>;

/** The member an email names in this workspace, or a refusal saying there is none. */
async function memberByEmail(c: ConsoleContext, fields: Record<string, string>) {
  const email = textField(fields, "email", "Email");
  const member = await findMemberByEmail(c.var.deps, c.var.viewer.workspaceId, email);
  if (!member) {
    throw new AppError(
      "not_found",
      `No member has the email ${email} in this workspace; add them on Members first.`,
    );
  }
  return member;
}

/** Roles and groups. */
export function rolesPage(app: ConsoleApp) {
  app.get(PATH, needs("owner", PATH), (c) => rolesView(c));

  /** A form POST: runs the change, then back to `back` (an anchor of the page), or the page with the refusal. */
  const change = (
    path: string,
    run: (c: ConsoleContext, fields: Record<string, string>, params: Params) => Promise<unknown>,
    options: { back?: (params: Params) => string; keep?: (fields: Record<string, string>) => Kept } = {},
  ) =>
    app.post(path, ...changeGuard("owner", PATH), async (c) => {
      const fields = await formFields(c);
      const params = c.req.param() as Params;
      return applyChange(
        c,
        options.back?.(params) ?? PATH,
        () => run(c, fields, params),
        (refusal) => rolesView(c, { refusal, ...options.keep?.(fields) }),
      );
    });
  const ws = (c: ConsoleContext) => c.var.viewer.workspaceId;
  const actor = (c: ConsoleContext) => c.var.viewer.actor;
  const toGroup = (p: Params) => `${PATH}#group-${p.groupId}`;

  change(
    `${PATH}/role`,
    (c, f) =>
      createRole(
        c.var.deps,
        ws(c),
        { name: textField(f, "name", "Name"), permissions: tickedPermissions(f) },
        actor(c),
      ),
    { back: () => `${PATH}#roles`, keep: (f) => ({ roleName: f.name }) },
  );
  change(
    `${PATH}/role/:roleId`,
    (c, f, p) =>
      updateRole(
        c.var.deps,
        ws(c),
        p.roleId!,
        { name: textField(f, "name", "Name"), permissions: tickedPermissions(f) },
        actor(c),
      ),
    { back: () => `${PATH}#roles` },
  );
  change(`${PATH}/role/:roleId/delete`, (c, _f, p) => deleteRole(c.var.deps, ws(c), p.roleId!, actor(c)), {
    back: () => `${PATH}#roles`,
  });
  change(
    `${PATH}/default-role`,
    (c, f) => {
      if (f.roleId === undefined) throw badForm("Default role: choose one of the options.");
      return setDefaultRole(c.var.deps, ws(c), f.roleId === "" ? null : f.roleId, actor(c));
    },
    { back: () => `${PATH}#default-role` },
  );

  change(
    `${PATH}/groups`,
    (c, f) => createGroup(c.var.deps, ws(c), { name: textField(f, "name", "Name") }, actor(c)),
    {
      back: () => `${PATH}#groups`,
      keep: (f) => ({ groupName: f.name }),
    },
  );
  change(
    `${PATH}/groups/:groupId/roles`,
    (c, f, p) => {
      if (!f.roleId) throw badForm("Role: choose one of the options.");
      return assignRole(
        c.var.deps,
        { workspaceId: ws(c), roleId: f.roleId, groupId: p.groupId!, assigned: true },
        actor(c),
      );
    },
    { back: toGroup },
  );
  change(
    `${PATH}/groups/:groupId/roles/:roleId/remove`,
    (c, _f, p) =>
      assignRole(
        c.var.deps,
        { workspaceId: ws(c), roleId: p.roleId!, groupId: p.groupId!, assigned: false },
        actor(c),
      ),
    { back: toGroup },
  );
  change(
    `${PATH}/groups/:groupId/members`,
    async (c, f, p) => {
      const member = await memberByEmail(c, f);
      return setGroupMembership(
        c.var.deps,
        { workspaceId: ws(c), groupId: p.groupId!, memberId: member.id, member: true },
        actor(c),
      );
    },
    { back: toGroup },
  );
  change(
    `${PATH}/groups/:groupId/members/:memberId/remove`,
    (c, _f, p) =>
      setGroupMembership(
        c.var.deps,
        { workspaceId: ws(c), groupId: p.groupId!, memberId: p.memberId!, member: false },
        actor(c),
      ),
    { back: toGroup },
  );
  change(
    `${PATH}/groups/:groupId/delete`,
    (c, _f, p) => deleteGroup(c.var.deps, ws(c), p.groupId!, actor(c)),
    {
      back: () => `${PATH}#groups`,
    },
  );

  change(
    `${PATH}/owners`,
    async (c, f) => setOwner(c.var.deps, ws(c), (await memberByEmail(c, f)).id, true, actor(c)),
    { back: () => `${PATH}#owners`, keep: (f) => ({ ownerEmail: f.email }) },
  );
  change(
    `${PATH}/owners/:memberId/remove`,
    (c, _f, p) => setOwner(c.var.deps, ws(c), p.memberId!, false, actor(c)),
    { back: () => `${PATH}#owners` },
  );
}
