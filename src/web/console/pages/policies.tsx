import {
  createPolicy,
  deletePolicy,
  getPolicyAssignments,
  listPolicies,
  type PolicyView,
  policyCreateSchema,
  policyPatchSchema,
  setPolicyAssignments,
  updatePolicy,
} from "../../../workspace/policies";
import {
  type ConsoleApp,
  type ConsoleContext,
  ConsoleForm,
  changeGuard,
  consolePage,
  formFields,
  Notices,
  needs,
  savedRedirect,
} from "../kit";
import { attempt, issuesRefusal, type Refusal, RefusalNotice } from "./form-errors";
import { AssignmentsForm, EXAMPLE_POLICY, LookupForm, PolicyForm, PolicyTable } from "./policies-forms";
import {
  type AssignmentValues,
  assignmentsInput,
  assignmentValues,
  assignmentValuesOf,
  lookUp,
} from "./policies-input";

// Managed requirements.toml policies (Codex Admins and owners): the policies, their ordered assignment to
// groups with a default for everyone else, and the lookup that says which one applies to a person or group.
// Documents are validated by the same domain function the admin API uses; a document that fails is shown
// back with every problem (a TOML syntax error names its line), and nothing is saved.

const PATH = "/policies";
const LEVEL = "codex_admin";
const LABELS = { name: "Name", requirements: "requirements.toml" };

type PolicyValues = { name: string; requirements: string };

interface ListState {
  create?: { values: PolicyValues; refusal: Refusal };
  assignments?: { values: AssignmentValues; refusal: Refusal };
}

async function listPage(c: ConsoleContext, state: ListState = {}) {
  const viewer = c.var.viewer;
  const [policies, assignments] = await Promise.all([
    listPolicies(c.var.deps, viewer.workspaceId),
    getPolicyAssignments(c.var.deps, viewer.workspaceId),
  ]);
  const query = c.req.method === "GET" ? (c.req.query("lookup") ?? "") : "";
  const found = query.trim() ? lookUp(viewer.snapshot, query) : null;
  const refusal = state.create?.refusal ?? state.assignments?.refusal;
  return consolePage(
    c,
    {
      title: "Policies",
      path: PATH,
      children: (
        <>
          <h1>Policies</h1>
          <Notices c={c} />
          <p>
            Admin-enforced requirements.toml policies constrain Codex local for the groups they are assigned
            to. Create a baseline policy for most people, then stricter or more permissive variants only where
            needed.
          </p>
          <PolicyTable policies={policies} />
          <h2 id="assignment">Group assignment</h2>
          <p class="help">
            Rules are checked in order; the first rule matching one of a person's groups applies, whole.
          </p>
          {state.assignments ? <RefusalNotice refusal={refusal} /> : null}
          <AssignmentsForm
            c={c}
            values={state.assignments?.values ?? assignmentValuesOf(assignments)}
            policies={policies}
          />
          <h2 id="lookup-heading">Policy lookup</h2>
          <LookupForm query={query} found={found} policies={policies} />
          <h2 id="create">Create policy</h2>
          {state.create ? <RefusalNotice refusal={refusal} /> : null}
          <PolicyForm
            c={c}
            action={PATH}
            values={state.create?.values ?? { name: "", requirements: EXAMPLE_POLICY }}
            submit="Create policy"
          />
        </>
      ),
    },
    refusal?.status ?? 200,
  );
}

function policyPage(
  c: ConsoleContext,
  policy: PolicyView,
  form?: { values: PolicyValues; refusal: Refusal },
) {
  return consolePage(
    c,
    {
      title: policy.name,
      path: PATH,
      children: (
        <>
          <p>
            <a href={PATH}>All policies</a>
          </p>
          <h1>{policy.name}</h1>
          <Notices c={c} />
          {policy.warnings.length > 0 ? (
            <div class="notice warn" role="status">
              <p>Some keys of this document are not requirements.toml keys; they are ignored:</p>
              <ul>
                {policy.warnings.map((w) => (
                  <li>{w}</li>
                ))}
              </ul>
            </div>
          ) : null}
          <h2>Edit policy</h2>
          <RefusalNotice refusal={form?.refusal} />
          <PolicyForm
            c={c}
            action={`${PATH}/${policy.id}`}
            values={form?.values ?? { name: policy.name, requirements: policy.source }}
            submit="Save policy"
          />
          <h2>Delete policy</h2>
          <ConsoleForm c={c} action={`${PATH}/${policy.id}/delete`}>
            <p class="help">Group rules naming this policy are removed with it.</p>
            <div>
              <button class="button danger" type="submit">
                Delete policy {policy.name}
              </button>
            </div>
          </ConsoleForm>
        </>
      ),
    },
    form?.refusal.status ?? 200,
  );
}

function notFoundPage(c: ConsoleContext) {
  return consolePage(
    c,
    {
      title: "No such policy",
      path: PATH,
      children: (
        <>
          <h1>No such policy</h1>
          <p>
            It may have been deleted. <a href={PATH}>All policies</a>
          </p>
        </>
      ),
    },
    404,
  );
}

async function findPolicy(c: ConsoleContext): Promise<PolicyView | undefined> {
  const policies = await listPolicies(c.var.deps, c.var.viewer.workspaceId);
  return policies.find((p) => p.id === c.req.param("id"));
}

const policyValues = (fields: Record<string, string>): PolicyValues => ({
  name: fields.name ?? "",
  requirements: fields.requirements ?? "",
});

export function policiesPage(app: ConsoleApp) {
  app.get(PATH, needs(LEVEL, PATH), (c) => listPage(c));

  app.post(PATH, ...changeGuard(LEVEL, PATH), async (c) => {
    const viewer = c.var.viewer;
    const values = policyValues(await formFields(c));
    const parsed = policyCreateSchema.safeParse(values);
    if (!parsed.success)
      return listPage(c, { create: { values, refusal: issuesRefusal(parsed.error, LABELS) } });
    const done = await attempt(() => createPolicy(c.var.deps, viewer.workspaceId, parsed.data, viewer.actor));
    if (!done.ok) return listPage(c, { create: { values, refusal: done.refusal } });
    return savedRedirect(c, `${PATH}/${done.value.id}`);
  });

  // Registered before `/policies/:id` so "assignments" is never read as a policy id.
  app.post(`${PATH}/assignments`, ...changeGuard(LEVEL, PATH), async (c) => {
    const viewer = c.var.viewer;
    const fields = await formFields(c);
    const values = assignmentValues(fields);
    const input = assignmentsInput(values, fields.move);
    if (!input.ok) return listPage(c, { assignments: { values, refusal: input.refusal } });
    const done = await attempt(() =>
      setPolicyAssignments(c.var.deps, viewer.workspaceId, input.input, viewer.actor),
    );
    if (!done.ok) return listPage(c, { assignments: { values, refusal: done.refusal } });
    return savedRedirect(c, PATH);
  });

  app.get(`${PATH}/:id`, needs(LEVEL, PATH), async (c) => {
    const policy = await findPolicy(c);
    return policy ? policyPage(c, policy) : notFoundPage(c);
  });

  app.post(`${PATH}/:id`, ...changeGuard(LEVEL, PATH), async (c) => {
    const viewer = c.var.viewer;
    const policy = await findPolicy(c);
    if (!policy) return notFoundPage(c);
    const values = policyValues(await formFields(c));
    const parsed = policyPatchSchema.safeParse(values);
    if (!parsed.success)
      return policyPage(c, policy, { values, refusal: issuesRefusal(parsed.error, LABELS) });
    const done = await attempt(() =>
      updatePolicy(c.var.deps, viewer.workspaceId, policy.id, parsed.data, viewer.actor),
    );
    if (!done.ok) return policyPage(c, policy, { values, refusal: done.refusal });
    return savedRedirect(c, `${PATH}/${policy.id}`);
  });

  app.post(`${PATH}/:id/delete`, ...changeGuard(LEVEL, PATH), async (c) => {
    const viewer = c.var.viewer;
    const policy = await findPolicy(c);
    if (!policy) return notFoundPage(c);
    const done = await attempt(() => deletePolicy(c.var.deps, viewer.workspaceId, policy.id, viewer.actor));
    if (!done.ok)
      return policyPage(c, policy, {
        values: { name: policy.name, requirements: policy.source },
        refusal: done.refusal,
      });
    return savedRedirect(c, PATH);
  });
}
