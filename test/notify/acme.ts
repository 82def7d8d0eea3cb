import type { Task, TaskOrigin } from "../../src/tasks/types";
import type { World } from "../helpers/world";
import { ACME, seedWorkspace } from "../helpers/world-seed";

/**
 * Acme with an owner (Olga), a member (Max, who connected GitHub as `Max-GH`), a public environment `web`
 * and a private one `secret` that only Olga (its creator) and Cleo (a collaborator) see.
 */
export async function seedAcme(world: World) {
  await seedWorkspace(world.deps, {
    owner: { id: "mem_olga", email: "olga@acme.test", name: "Olga Owner" },
    members: [
      {
        id: "mem_max",
        email: "max@acme.test",
        name: "Max Mustermann",
        github: { id: "Max-GH", source: "oauth" },
      },
      { id: "mem_cleo", email: "cleo@acme.test" },
    ],
    environments: [
      { id: "env_web", name: "web" },
      { id: "env_secret", name: "secret", private: true, collaborators: ["mem_cleo"] },
    ],
  });
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
    workspaceId: ACME,
    requesterMemberId: "mem_max",
    origin: slackOrigin(),
    environmentId: "env_web",
    kind: "task",
    mode: "code",
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
