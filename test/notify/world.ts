import { eq } from "drizzle-orm";
import type { WorkspaceToggles } from "../../src/access/types";
import { environmentCollaborators, environments, identities, members } from "../../src/db/schema/access";
import { workspaces } from "../../src/db/schema/workspaces";
import type { Task, TaskOrigin } from "../../src/tasks/types";
import { invalidateSnapshot } from "../../src/workspace/snapshot";
import { newWorkspaceQueries } from "../../src/workspace/workspaces";
import type { TestHub } from "../helpers/app";
import { workspaceRows } from "../helpers/workspace-rows";

/**
 * A workspace with an owner (Olga), a member (Max, linked to GitHub as `max-gh`), a public environment `web`
 * and a private one `secret` that only Olga (its creator) and Cleo (a collaborator) see.
 */
export async function seedWorld(hub: TestHub, workspaceId = "ws_acme") {
  const deps = hub.deps;
  const now = hub.clock.now();
  await deps.database.batch(
    newWorkspaceQueries(deps, {
      id: workspaceId,
      name: "Acme",
      owner: { id: "mem_olga", email: "olga@acme.test" },
    }),
  );
  const rows = workspaceRows(workspaceId, now);
  await deps.database.db.update(members).set({ displayName: "Olga Owner" }).where(eq(members.id, "mem_olga"));
  await deps.database.db
    .insert(members)
    .values([
      rows.member("mem_max", "max@acme.test", "Max Mustermann"),
      rows.member("mem_cleo", "cleo@acme.test"),
    ]);
  await deps.database.db.insert(identities).values({
    workspaceId,
    memberId: "mem_max",
    platform: "github",
    externalId: "max-gh",
    display: "Max-GH",
    source: "oauth",
    createdAt: now,
  });
  await deps.database.db
    .insert(environments)
    .values([
      rows.environment("env_web", "web", "workspace"),
      rows.environment("env_secret", "secret", "private"),
    ]);
  await deps.database.db
    .insert(environmentCollaborators)
    .values({ workspaceId, environmentId: "env_secret", memberId: "mem_cleo" });
  await invalidateSnapshot(deps, workspaceId);
  return { workspaceId };
}

export async function setToggles(hub: TestHub, workspaceId: string, toggles: Partial<WorkspaceToggles>) {
  await hub.deps.database.db.update(workspaces).set(toggles).where(eq(workspaces.id, workspaceId));
  await invalidateSnapshot(hub.deps, workspaceId);
}

export const slackOrigin = (externallyShared = false): TaskOrigin => ({
  surface: "slack",
  teamId: "T1",
  channel: "C_ORIGIN",
  threadTs: "1700000000.000100",
  messageTs: "1700000000.000200",
  externallyShared,
});

export function finishedTask(overrides: Partial<Task> = {}): Task {
  return {
    id: "tsk_1",
    workspaceId: "ws_acme",
    requesterMemberId: "mem_max",
    origin: slackOrigin(),
    environmentId: "env_web",
    kind: "task",
    title: "Fix the login redirect",
    prompt: "Please fix the login redirect",
    context: {},
    status: "completed",
    answer: "I changed `redirect()` so it keeps the *next* parameter.",
    error: null,
    prUrl: "https://github.test/acme/web/pull/5",
    usage: null,
    attempts: 1,
    createdAt: 1,
    startedAt: 2,
    finishedAt: 3,
    ...overrides,
  };
}
