import {
  deleteEnvironment,
  type EnvironmentView,
  listEnvironments,
  updateEnvironment,
} from "../../../workspace/environments";
import { createMemberEnvironment, createWithEmails } from "../../../workspace/member-environments";
import {
  type ConsoleApp,
  type ConsoleContext,
  changeGuard,
  consolePage,
  formFields,
  Notices,
  needs,
  savedRedirect,
} from "../kit";
import { CollaboratorsSection, collaboratorRoutes } from "./environments-collaborators";
import { DeleteEnvironmentForm, EnvironmentForm, EnvironmentTable } from "./environments-forms";
import {
  choosesCreator,
  createInput,
  type EnvironmentFormValues,
  emptyValues,
  formValues,
  mayDelete,
  mayEdit,
  maySee,
  patchInput,
  valuesOf,
} from "./environments-input";
import { attempt, listField, type Refusal, RefusalNotice } from "./form-errors";

// Cloud environments: a repository, a name and description, who sees it, who may edit it, and whether the
// agent may reach the internet from it. Everyone may create their own environment; who may edit or delete
// one follows the access rules (environments-input.ts), checked again on every POST.

const PATH = "/environments";

const internetAllowed = (c: ConsoleContext) => c.var.viewer.snapshot.snapshot.toggles.agentInternet;

async function listPage(c: ConsoleContext, form?: { values: EnvironmentFormValues; refusal: Refusal }) {
  const viewer = c.var.viewer;
  const all = await listEnvironments(c.var.deps, viewer.workspaceId);
  const visible = all.filter((env) => maySee(env, viewer));
  const values = form?.values ?? emptyValues(viewer.memberId ?? "");
  return consolePage(
    c,
    {
      title: "Environments",
      path: PATH,
      children: (
        <>
          <h1>Environments</h1>
          <Notices c={c} />
          <p>
            Each environment names the repository Codex works in. A member may run a task in an environment
            only if it is visible to them and GitHub says they can read the repository.
          </p>
          <EnvironmentTable c={c} environments={visible} editable={(env) => mayEdit(env, viewer)} />
          <h2 id="create">Create environment</h2>
          <RefusalNotice refusal={form?.refusal} />
          <EnvironmentForm
            c={c}
            action={PATH}
            values={values}
            submit="Create environment"
            internetAllowed={internetAllowed(c)}
            creatorChoice={choosesCreator(viewer)}
          />
        </>
      ),
    },
    form?.refusal.status ?? 200,
  );
}

function environmentPage(
  c: ConsoleContext,
  env: EnvironmentView,
  form?: { values: EnvironmentFormValues; refusal: Refusal },
) {
  const viewer = c.var.viewer;
  const editable = mayEdit(env, viewer);
  return consolePage(
    c,
    {
      title: env.name,
      path: PATH,
      children: (
        <>
          <p>
            <a href={PATH}>All environments</a>
          </p>
          <h1>{env.name}</h1>
          <Notices c={c} />
          {editable ? (
            <>
              <h2>Edit environment</h2>
              <RefusalNotice refusal={form?.refusal} />
              <EnvironmentForm
                c={c}
                action={`${PATH}/${env.id}`}
                values={form?.values ?? valuesOf(env, viewer)}
                submit="Save environment"
                internetAllowed={internetAllowed(c)}
                creatorChoice={false}
              />
            </>
          ) : (
            <>
              <EnvironmentTable c={c} environments={[env]} editable={() => false} />
              <p class="muted">
                Only its creator, its collaborators, Codex Admins and workspace owners can edit this
                environment.
              </p>
            </>
          )}
          <CollaboratorsSection c={c} env={env} />
          {mayDelete(env, viewer) ? (
            <>
              <h2>Delete environment</h2>
              <DeleteEnvironmentForm c={c} env={env} />
            </>
          ) : null}
        </>
      ),
    },
    form?.refusal.status ?? 200,
  );
}

/** A change the access rules refuse this viewer: 403, saying who may make it. */
function refusedPage(c: ConsoleContext, what: string, who: string) {
  return consolePage(
    c,
    {
      title: "Not allowed",
      path: PATH,
      children: (
        <>
          <h1>Not allowed</h1>
          <p>
            Only {who} can {what}. <a href={PATH}>All environments</a>
          </p>
        </>
      ),
    },
    403,
  );
}

function notFoundPage(c: ConsoleContext) {
  return consolePage(
    c,
    {
      title: "No such environment",
      path: PATH,
      children: (
        <>
          <h1>No such environment</h1>
          <p>
            It was deleted, or it is private and you are not one of its collaborators.{" "}
            <a href={PATH}>All environments</a>
          </p>
        </>
      ),
    },
    404,
  );
}

/** The environment behind `:id` when the viewer may see it; private ones stay unknown to others. */
async function visibleEnvironment(c: ConsoleContext): Promise<EnvironmentView | null> {
  const viewer = c.var.viewer;
  const [env] = await listEnvironments(c.var.deps, viewer.workspaceId, [c.req.param("id") ?? ""]);
  return env && maySee(env, viewer) ? env : null;
}

export function environmentsPage(app: ConsoleApp) {
  app.get(PATH, needs("member", PATH), (c) => listPage(c));

  app.post(PATH, ...changeGuard("member", PATH), async (c) => {
    const viewer = c.var.viewer;
    const values = formValues(await formFields(c));
    // A member creates environments as themselves, whatever the form says.
    if (!choosesCreator(viewer)) values.creatorId = viewer.memberId ?? "";
    // Collaborators are emails: members' become collaborators, others are invited (member-environments.ts).
    const input = createInput({ ...values, collaborators: "" }, viewer, internetAllowed(c));
    if (!input.ok) return listPage(c, { values, refusal: input.refusal });
    const { collaboratorIds: _none, creatorId, ...fields } = input.input;
    const environment = { ...fields, collaboratorEmails: listField(values.collaborators) };
    const done = await attempt(() =>
      choosesCreator(viewer)
        ? createWithEmails(c.var.deps, {
            workspaceId: viewer.workspaceId,
            creatorId,
            environment,
            actor: viewer.actor,
          })
        : // A member's own environment: Codex cloud, and GitHub must say they can read the repository.
          createMemberEnvironment(c.var.deps, {
            workspaceId: viewer.workspaceId,
            memberId: creatorId,
            environment,
            actor: viewer.actor,
          }),
    );
    if (!done.ok) return listPage(c, { values, refusal: done.refusal });
    return savedRedirect(c, `${PATH}/${done.value.id}`);
  });

  app.get(`${PATH}/:id`, needs("member", PATH), async (c) => {
    const env = await visibleEnvironment(c);
    return env ? environmentPage(c, env) : notFoundPage(c);
  });

  app.post(`${PATH}/:id`, ...changeGuard("member", PATH), async (c) => {
    const viewer = c.var.viewer;
    const env = await visibleEnvironment(c);
    if (!env) return notFoundPage(c);
    if (!mayEdit(env, viewer)) {
      return refusedPage(
        c,
        "edit this environment",
        "its creator, its collaborators, Codex Admins and owners",
      );
    }
    const values = formValues(await formFields(c));
    const input = patchInput(values, viewer, internetAllowed(c));
    if (!input.ok) return environmentPage(c, env, { values, refusal: input.refusal });
    const done = await attempt(() =>
      updateEnvironment(c.var.deps, viewer.workspaceId, env.id, input.input, viewer.actor),
    );
    if (!done.ok) return environmentPage(c, env, { values, refusal: done.refusal });
    return savedRedirect(c, `${PATH}/${env.id}`);
  });

  collaboratorRoutes(app, { visibleEnvironment, notFoundPage, environmentPage });

  app.post(`${PATH}/:id/delete`, ...changeGuard("member", PATH), async (c) => {
    const viewer = c.var.viewer;
    const env = await visibleEnvironment(c);
    if (!env) return notFoundPage(c);
    if (!mayDelete(env, viewer)) {
      return refusedPage(c, "delete this environment", "its creator, Codex Admins and owners");
    }
    const done = await attempt(() => deleteEnvironment(c.var.deps, viewer.workspaceId, env.id, viewer.actor));
    if (!done.ok) return environmentPage(c, env, { values: valuesOf(env, viewer), refusal: done.refusal });
    return savedRedirect(c, PATH);
  });
}
