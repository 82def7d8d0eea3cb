import type { SetupServer } from "msw/node";
import type { Executor } from "../../src/tasks/executors/types";
import { githubFake } from "../github/github-fake";
import { type Agent, createWorld, type World } from "../helpers/world";
import { ACME, installLinearApp, seedWorkspace } from "../helpers/world-seed";
import { fixture, type Json } from "../ingress/deliveries";
import { APP_USER, linearFake, ORG } from "./linear-fake";

// The world of the Linear tests: a hub talking to Linear and GitHub (msw fakes), Acme linked to the Linear
// organization of the fixtures (test/fixtures/linear), and an agent the test controls.

export const WS = ACME;

/** The agent unless a test says otherwise: a fix, with its pull request. */
const fixes: Agent = () => ({
  answer: "The test waited on a timer; it now waits for the redirect.",
  prUrl: "https://github.com/acme/web/pull/7",
});

/** GitHub: installation 77 answers for acme/*, where `ada-gh` and `grace-gh` may write and nobody else may. */
const writers = (login: string) => (login === "ada-gh" || login === "grace-gh" ? "write" : undefined);

export function linearWorld(
  server: SetupServer,
  agent: Agent = fixes,
  options: { executor?: Executor } = {},
) {
  const fake = linearFake();
  const world = createWorld({
    server,
    fakes: [fake, githubFake({ access: writers })],
    agent,
    // A real executor (e.g. the command executor) runs the tasks in place of the agent.
    executor: options.executor,
  });
  return Object.assign(world, {
    fake,
    activities: fake.activities,
    comments: fake.comments,
    /** Sends a fixture (edited by `edit`) as Linear would, signed, and returns the response. */
    deliver(name: string, edit: (payload: Json) => void = () => {}, delivery?: string) {
      const payload = fixture("linear", name);
      edit(payload);
      return world.send.linear(payload, delivery);
    },
  });
}

export type LinearWorld = ReturnType<typeof linearWorld>;

/**
 * Acme, linked to the Linear organization and GitHub installation 77, Codex cloud on, every member allowed to
 * run tasks (default role). Ada (GitHub ada-gh) and Grace (grace-gh) can write to the repositories;
 * environments `web` and `api` are visible to all, `secret` only to its creator Olga.
 */
export async function seedAcme(world: World, options: { environments?: boolean } = {}) {
  await seedWorkspace(world.deps, {
    toggles: { codexCloud: true, githubConnector: true },
    owner: { id: "mem_olga", email: "olga@acme.test" },
    members: [
      { id: "mem_ada", email: "ada@acme.example", github: "ada-gh" },
      { id: "mem_grace", email: "grace@acme.example", github: "grace-gh" },
    ],
    links: { linearOrganization: ORG, githubInstallation: 77 },
    roles: [{ name: "Cloud", permissions: ["codex_cloud"], default: true }],
    environments:
      options.environments === false
        ? []
        : [
            { id: "env_web", name: "web" },
            { id: "env_api", name: "api" },
            { id: "env_secret", name: "secret", private: true },
          ],
  });
}

/** Codex installed in the organization as an app (actor "app"): Linear's agent sessions then carry the work. */
export function installAsApp(world: World) {
  return installLinearApp(world.deps, { organizationId: ORG, workspaceId: WS, appUserId: APP_USER });
}
