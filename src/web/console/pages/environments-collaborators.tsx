import { listInvitations } from "../../../workspace/environment-invitations";
import type { EnvironmentView } from "../../../workspace/environments";
import {
  addCollaboratorByEmail,
  type Editor,
  removeCollaboratorByEmail,
} from "../../../workspace/member-environments";
import {
  type ConsoleApp,
  type ConsoleContext,
  ConsoleForm,
  changeGuard,
  formFields,
  savedRedirect,
} from "../kit";
import type { EnvironmentFormValues } from "./environments-input";
import { valuesOf } from "./environments-input";
import { attempt, type Refusal } from "./form-errors";

// An environment's collaborators by email, on its page: the creator (and Codex Admins and owners) add people
// by email, remove them, and see who is invited but not a member yet. The same domain functions as the API.

const PATH = "/environments";

const editorOf = (c: ConsoleContext): Editor => ({
  memberId: c.var.viewer.memberId,
  manager: c.var.viewer.level !== "member",
});

/** Whether the viewer manages this environment's collaborators: its creator, Codex Admins, owners. */
export const managesCollaborators = (c: ConsoleContext, env: EnvironmentView): boolean =>
  c.var.viewer.level !== "member" ||
  (c.var.viewer.memberId !== null && c.var.viewer.memberId === env.creatorId);

function RemoveButton(props: { c: ConsoleContext; env: EnvironmentView; email: string; label: string }) {
  return (
    <ConsoleForm c={props.c} action={`${PATH}/${props.env.id}/collaborators/remove`} class="inline">
      <input type="hidden" name="email" value={props.email} />
      <button class="button" type="submit">
        {props.label}
      </button>
    </ConsoleForm>
  );
}

export async function CollaboratorsSection(props: { c: ConsoleContext; env: EnvironmentView }) {
  const { c, env } = props;
  if (!managesCollaborators(c, env)) return null;
  const invitations = await listInvitations(c.var.deps, c.var.viewer.workspaceId, env.id);
  const emailOf = (id: string) => c.var.viewer.snapshot.members.get(id)?.member.email ?? id;
  return (
    <>
      <h2 id="collaborators">Collaborators</h2>
      <p class="help">
        Collaborators see this environment and may edit it. Add anyone by email: someone who is not a member
        yet becomes a collaborator when they join the workspace.
      </p>
      <ul>
        {env.collaboratorIds.map((id) => (
          <li>
            {emailOf(id)} <RemoveButton c={c} env={env} email={emailOf(id)} label="Remove" />
          </li>
        ))}
        {invitations.map((i) => (
          <li>
            {i.email} <span class="muted">(invited, not a member yet)</span>{" "}
            <RemoveButton c={c} env={env} email={i.email} label="Withdraw" />
          </li>
        ))}
      </ul>
      {env.collaboratorIds.length === 0 && invitations.length === 0 ? (
        <p class="muted">No collaborators yet.</p>
      ) : null}
      <ConsoleForm c={c} action={`${PATH}/${env.id}/collaborators`}>
        <label for="collaborator-email">Email</label>
        <input type="email" id="collaborator-email" name="email" required />
        <div>
          <button class="button" type="submit">
            Add collaborator
          </button>
        </div>
      </ConsoleForm>
    </>
  );
}

interface PageParts {
  visibleEnvironment: (c: ConsoleContext) => Promise<EnvironmentView | null>;
  notFoundPage: (c: ConsoleContext) => Response | Promise<Response>;
  environmentPage: (
    c: ConsoleContext,
    env: EnvironmentView,
    form?: { values: EnvironmentFormValues; refusal: Refusal },
  ) => Response | Promise<Response>;
}

export function collaboratorRoutes(app: ConsoleApp, parts: PageParts) {
  for (const add of [true, false]) {
    const path = add ? `${PATH}/:id/collaborators` : `${PATH}/:id/collaborators/remove`;
    app.post(path, ...changeGuard("member", PATH), async (c) => {
      const viewer = c.var.viewer;
      const env = await parts.visibleEnvironment(c);
      if (!env) return parts.notFoundPage(c);
      const email = (await formFields(c)).email ?? "";
      const input = {
        workspaceId: viewer.workspaceId,
        environmentId: env.id,
        email,
        editor: editorOf(c),
        actor: viewer.actor,
      };
      const done = await attempt<unknown>(() =>
        add ? addCollaboratorByEmail(c.var.deps, input) : removeCollaboratorByEmail(c.var.deps, input),
      );
      if (!done.ok)
        return parts.environmentPage(c, env, { values: valuesOf(env, viewer), refusal: done.refusal });
      return savedRedirect(c, `${PATH}/${env.id}#collaborators`);
    });
  }
}
