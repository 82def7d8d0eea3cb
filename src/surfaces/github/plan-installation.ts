import type { InstallationEvent } from "./payloads";

// The App's lifecycle (https://docs.github.com/webhooks/webhook-events-and-payloads#installation): what an
// `installation` or `installation_repositories` event changes in the registry of installations and the
// repositories each reaches, and in the link from an installation to its workspace. A new installation joins
// the hub's only workspace when there is exactly one; otherwise it waits, unlinked, for an admin to claim it
// (POST /api/v1/workspaces/{id}/github/installations/{installationId}/claim). Pure, like plan.ts.

export type InstallationStatus = "active" | "suspended" | "deleted";

const STATUS_BY_ACTION: Record<string, InstallationStatus | undefined> = {
  created: "active",
  unsuspend: "active",
  new_permissions_accepted: "active",
  suspend: "suspended",
  deleted: "deleted",
};

export interface InstallationContext {
  /** The workspace the installation is linked to. */
  linkedWorkspaceId: string | null;
  /** The hub's workspaces, read only for an installation that is not deleted and not linked yet. */
  workspaceIds: readonly string[];
}

export interface InstallationPlan {
  /** The installation's new status; undefined: the action leaves it as it is. */
  status: InstallationStatus | undefined;
  /** Repositories no longer reached: every one of a deleted installation, else those the event removed. */
  removeRepositories: "all" | number[];
  link: { kind: "link"; workspaceId: string } | { kind: "unlink"; workspaceId: string } | { kind: "keep" };
  /** The workspace the change is recorded for (null: none yet). */
  workspaceId: string | null;
  outcome: string;
}

export function planInstallation(event: InstallationEvent, ctx: InstallationContext): InstallationPlan {
  const id = event.installationId;
  const removedIds = event.repositoriesRemoved.map((r) => r.id);
  let link: InstallationPlan["link"] = { kind: "keep" };
  let workspaceId = ctx.linkedWorkspaceId;
  let note = "";
  if (event.action === "deleted") {
    // A deleted installation's id is never reused; its events must not route anywhere any more.
    if (workspaceId) {
      link = { kind: "unlink", workspaceId };
      note = `; unlinked from workspace ${workspaceId}`;
    }
  } else if (!workspaceId) {
    if (ctx.workspaceIds.length === 1) {
      workspaceId = ctx.workspaceIds[0]!;
      link = { kind: "link", workspaceId };
      note = `; linked to workspace ${workspaceId}`;
    } else {
      note = `; not linked: ${ctx.workspaceIds.length} workspaces, an admin must claim it`;
    }
  }
  const added = event.repositoriesAdded.length;
  const removed = event.repositoriesRemoved.length;
  const counts = added || removed ? ` (+${added}/-${removed} repositories)` : "";
  return {
    status: STATUS_BY_ACTION[event.action],
    removeRepositories: event.action === "deleted" ? "all" : removedIds,
    link,
    workspaceId,
    outcome: `github installation ${id} ${event.action}${counts}${note}`,
  };
}
