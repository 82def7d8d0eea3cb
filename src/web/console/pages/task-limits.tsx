import {
  clearLimitOverride,
  getTaskLimits,
  LIMIT_SCOPES,
  type LimitScope,
  listLimitOverrides,
  setLimitOverride,
  setTaskLimits,
} from "../../../workspace/task-limits";
import {
  type ConsoleApp,
  type ConsoleContext,
  changeGuard,
  consolePage,
  formFields,
  Notices,
  needs,
} from "../kit";
import { type Refusal, RefusalNotice } from "./form-errors";
import { applyChange, UNCHANGED, Unchanged } from "./owner-forms";
import {
  OverrideForm,
  OverridesTable,
  PATH,
  type TargetOption,
  WorkspaceLimitsForm,
} from "./task-limits-forms";
import { scopeLimitsInput, workspaceLimitsInput } from "./task-limits-input";

// Usage limits: how many tasks run at once and start per day, in the workspace and for each environment,
// group and member. A request over a limit waits its turn and its requester is told where it stands. Each
// save goes through the same domain functions as PUT /api/v1/workspaces/{id}/task-limits, audited.

const LEVEL = "owner";

interface PageState {
  workspace?: Refusal;
  override?: { refusal: Refusal; values: Record<string, string> };
}

async function limitsPage(c: ConsoleContext, state: PageState = {}) {
  const { deps } = c.var;
  const viewer = c.var.viewer;
  const [limits, overrides] = await Promise.all([
    getTaskLimits(deps, viewer.workspaceId),
    listLimitOverrides(deps, viewer.workspaceId),
  ]);
  const snapshot = viewer.snapshot.snapshot;
  const byName = (a: TargetOption, b: TargetOption) => a.label.localeCompare(b.label);
  const targets = {
    environments: snapshot.environments
      .map((e) => ({ value: `environment:${e.id}`, label: `${e.name} (${e.repository})` }))
      .sort(byName),
    groups: snapshot.groups.map((g) => ({ value: `group:${g.id}`, label: g.name })).sort(byName),
    members: snapshot.members
      .filter((m) => m.status === "active")
      .map((m) => ({ value: `member:${m.id}`, label: m.email }))
      .sort(byName),
  };
  return consolePage(
    c,
    {
      title: "Task limits",
      path: PATH,
      children: (
        <>
          <h1>Task limits</h1>
          <Notices c={c} />
          <Unchanged c={c} />
          <p>
            A request over a limit is not dropped: it waits its turn, and the person who asked is told where
            it stands, in the Slack thread, on the pull request or in the Linear session. Daily limits start
            over at 00:00 UTC.
          </p>
          <h2>Workspace</h2>
          <RefusalNotice refusal={state.workspace} />
          <WorkspaceLimitsForm c={c} limits={limits} />
          <h2>Environments, groups and members</h2>
          <OverridesTable c={c} overrides={overrides} />
          <h3>Set the limits of one</h3>
          <RefusalNotice refusal={state.override?.refusal} />
          <OverrideForm c={c} targets={targets} values={state.override?.values} />
        </>
      ),
    },
    state.workspace?.status ?? state.override?.refusal.status ?? 200,
  );
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Task limits (owners, as `/codex limits set` allows). */
export function taskLimitsPage(app: ConsoleApp) {
  app.get(PATH, needs(LEVEL, PATH), (c) => limitsPage(c));

  app.post(PATH, ...changeGuard(LEVEL, PATH), async (c) => {
    const viewer = c.var.viewer;
    const input = workspaceLimitsInput(await formFields(c));
    if (!input.ok) return limitsPage(c, { workspace: input.refusal });
    return applyChange(
      c,
      PATH,
      async () => {
        const before = await getTaskLimits(c.var.deps, viewer.workspaceId);
        const after = await setTaskLimits(c.var.deps, viewer.workspaceId, input.patch, viewer.actor);
        return same(before, after) ? UNCHANGED : after;
      },
      (refusal) => limitsPage(c, { workspace: refusal }),
    );
  });

  app.post(`${PATH}/overrides`, ...changeGuard(LEVEL, PATH), async (c) => {
    const viewer = c.var.viewer;
    const values = await formFields(c);
    const input = scopeLimitsInput(values);
    if (!input.ok) return limitsPage(c, { override: { refusal: input.refusal, values } });
    const { scope, id, ...patch } = input.patch;
    return applyChange(
      c,
      PATH,
      async () => {
        const before = (await listLimitOverrides(c.var.deps, viewer.workspaceId)).find(
          (o) => o.scope === scope && o.id === id,
        );
        const after = await setLimitOverride(c.var.deps, viewer.workspaceId, scope, id, patch, viewer.actor);
        return same(before ?? null, after) ? UNCHANGED : after;
      },
      (refusal) => limitsPage(c, { override: { refusal, values } }),
    );
  });

  app.post(`${PATH}/overrides/:scope/:id/remove`, ...changeGuard(LEVEL, PATH), async (c) => {
    const viewer = c.var.viewer;
    const scope = c.req.param("scope") as LimitScope;
    if (!LIMIT_SCOPES.includes(scope)) return c.notFound();
    return applyChange(
      c,
      PATH,
      () => clearLimitOverride(c.var.deps, viewer.workspaceId, scope, c.req.param("id"), viewer.actor),
      (refusal) => limitsPage(c, { override: { refusal, values: {} } }),
    );
  });
}
