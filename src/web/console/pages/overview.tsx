import { workspaceLinks } from "../../../db/schema/workspaces";
import type { Deps } from "../../../deps";
import { AppError } from "../../../errors";
import { commitChange } from "../../../workspace/change";
import { claimInstallation } from "../../../workspace/github-installations";
import { findWorkspaceByLink } from "../../../workspace/workspaces";
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
import { setupChecklist } from "../overview-checklist";
import { SetupChecklist, UnlinkedList } from "../overview-checklist-view";
import { loadMemberFacts, loadSetupFacts, loadUnlinkedTenants } from "../overview-facts";
import { MemberOverview } from "../overview-member";
import { atLeast } from "../viewer";

// `/`: the first page after sign-in. Owners and Codex Admins see the setup checklist and the platform tenants
// waiting to be linked; every member sees how to use Codex. Owners link a tenant with one click (POST /).

/** Links a Linear organization to the workspace; one already linked elsewhere is a conflict, never moved. */
async function linkLinearOrganization(
  deps: Deps,
  workspaceId: string,
  organizationId: string,
  actor: string,
) {
  const owner = await findWorkspaceByLink(deps, "linear_org", organizationId);
  if (owner?.id === workspaceId) return;
  if (owner)
    throw new AppError("conflict", `Linear organization ${organizationId} belongs to another workspace.`);
  await commitChange(deps, {
    workspaceId,
    actor,
    action: "workspace.link",
    target: `linear_org:${organizationId}`,
    after: { kind: "linear_org", externalId: organizationId },
    writes: [
      deps.database.db
        .insert(workspaceLinks)
        .values({ workspaceId, kind: "linear_org", externalId: organizationId, createdAt: deps.clock.now() }),
    ],
    conflict: `Linear organization ${organizationId} is already linked to another workspace.`,
  });
}

async function render(c: ConsoleContext, error: string | null = null, status: 200 | 400 | 404 | 409 = 200) {
  const deps = c.var.deps;
  const viewer = c.var.viewer;
  const manages = atLeast(viewer.level, "codex_admin");
  const [facts, unlinked, member] = await Promise.all([
    manages ? loadSetupFacts(deps, viewer.workspaceId) : null,
    manages ? loadUnlinkedTenants(deps) : null,
    viewer.memberId ? loadMemberFacts(deps, viewer.workspaceId, viewer.memberId) : null,
  ]);
  return consolePage(
    c,
    {
      title: "Overview",
      path: "/",
      children: (
        <>
          <h1>Overview: {viewer.workspaceName}</h1>
          <Notices c={c} error={error} />
          {facts ? <SetupChecklist steps={setupChecklist(facts)} /> : null}
          {unlinked ? <UnlinkedList c={c} unlinked={unlinked} canLink={viewer.level === "owner"} /> : null}
          <MemberOverview config={deps.config} facts={member} />
        </>
      ),
    },
    status,
  );
}

export function overviewPage(app: ConsoleApp) {
  app.get("/", needs("member", "/"), (c) => render(c));

  app.post("/", ...changeGuard("owner", "/"), async (c) => {
    const deps = c.var.deps;
    const viewer = c.var.viewer;
    const [kind, id] = ((await formFields(c)).link ?? "").split(":", 2);
    try {
      if (kind === "github_installation" && id && /^\d+$/.test(id)) {
        await claimInstallation(deps, {
          workspaceId: viewer.workspaceId,
          installationId: Number(id),
          actor: viewer.actor,
        });
      } else if (kind === "linear_org" && id && /^[\w-]{1,100}$/.test(id)) {
        await linkLinearOrganization(deps, viewer.workspaceId, id, viewer.actor);
      } else {
        return render(c, "Nothing to link: choose an installation or organization from the list.", 400);
      }
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      return render(c, error.message, error.code === "conflict" ? 409 : 404);
    }
    return savedRedirect(c, "/");
  });
}
