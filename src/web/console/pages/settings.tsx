import type { WorkspaceToggles } from "../../../access/types";
import { listInstallations } from "../../../workspace/github-installations";
import { getRetention, updateRetention } from "../../../workspace/retention";
import { getWorkspaceView, updateToggles } from "../../../workspace/workspaces";
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
import { applyChange, Link, type Refusal, ticked, UNCHANGED, Unchanged } from "./owner-forms";
import { RetentionFields, retentionPatchFrom } from "./retention-form";
import { shownField, TOGGLE_FIELDS, TogglesForm, ToggleWarnings, WorkspaceDetails } from "./settings-forms";

// Workspace settings: every workspace switch and the retention periods in one form, committed as audited
// changes through the same domain functions as PATCH /api/v1/workspaces/{id}/toggles and …/retention; the
// workspace's name and platform links shown.

const PATH = "/settings";

async function settingsView(c: ConsoleContext, refusal?: Refusal) {
  const deps = c.var.deps;
  const [workspace, installations, retention] = await Promise.all([
    getWorkspaceView(deps, c.var.viewer.workspaceId),
    listInstallations(deps),
    getRetention(deps, c.var.viewer.workspaceId),
  ]);
  return consolePage(
    c,
    {
      title: "Workspace settings",
      path: PATH,
      children: (
        <>
          <h1>Workspace settings</h1>
          <Notices c={c} />
          <RefusalNotice refusal={refusal} />
          <Unchanged c={c} />
          <h2>Workspace</h2>
          <WorkspaceDetails workspace={workspace} installations={installations} />
          <h2>Settings and permissions</h2>
          <p class="muted">
            Roles decide who may use what the switches allow (
            <Link c={c} href="/roles">
              Roles
            </Link>
            ); a switch that is off is off for everyone, owners included.
          </p>
          <ToggleWarnings toggles={workspace.toggles} />
          <TogglesForm c={c} toggles={workspace.toggles}>
            <RetentionFields retention={retention} />
          </TogglesForm>
        </>
      ),
    },
    refusal?.status ?? 200,
  );
}

/**
 * The switches the person moved (a box not ticked is off), as a patch. A switch is compared with how the form
 * showed it, not only with how it is now: someone else's change made while the form was open is kept.
 */
function changedToggles(
  fields: Record<string, string>,
  current: WorkspaceToggles,
): Partial<WorkspaceToggles> {
  const moved = TOGGLE_FIELDS.filter((t) => {
    const wanted = ticked(fields, t.key);
    const shown = fields[shownField(t.key)];
    const was = shown === "on" || shown === "off" ? shown === "on" : current[t.key];
    return wanted !== was && wanted !== current[t.key];
  });
  return Object.fromEntries(moved.map((t) => [t.key, ticked(fields, t.key)]));
}

/** Workspace settings. */
export function settingsPage(app: ConsoleApp) {
  app.get(PATH, needs("owner", PATH), (c) => settingsView(c));

  app.post(PATH, ...changeGuard("owner", PATH), async (c) => {
    const fields = await formFields(c);
    const viewer = c.var.viewer;
    // Only this page's form says `form=toggles`; a body without it would otherwise turn every switch off.
    if (fields.form !== "toggles") {
      return settingsView(c, {
        status: 400,
        message: "This is not the settings form; reload the page and try again.",
        details: [],
      });
    }
    return applyChange(
      c,
      PATH,
      async () => {
        const deps = c.var.deps;
        const { toggles } = await getWorkspaceView(deps, viewer.workspaceId);
        // Only what moves is written, so the audit log says what this save changed. The retention fields are
        // checked first: a refused period saves nothing.
        const retention = retentionPatchFrom(fields, await getRetention(deps, viewer.workspaceId));
        const patch = changedToggles(fields, toggles);
        if (Object.keys(patch).length === 0 && Object.keys(retention).length === 0) return UNCHANGED;
        if (Object.keys(retention).length > 0) {
          await updateRetention(deps, viewer.workspaceId, retention, viewer.actor);
        }
        return Object.keys(patch).length > 0
          ? updateToggles(deps, viewer.workspaceId, patch, viewer.actor)
          : true;
      },
      (refusal) => settingsView(c, refusal),
    );
  });
}
