import type { SetupServer } from "msw/node";
import { githubReviews } from "../../src/db/schema/github";
import { type Agent, createWorld, type World, type WorldOptions } from "../helpers/world";
import { ACME, installGitHubApp, seedWorkspace } from "../helpers/world-seed";
import { githubFake, REPO } from "./github-fake";

// The world of the GitHub tests: a hub with a real GitHub App client pointed at the GitHub fake, Acme linked
// to installation 1 (the installation of @octokit/webhooks-examples payloads), and an agent whose answers
// the test chooses.

export const WS = ACME;

export const finding = (over: Record<string, unknown> = {}) => ({
  title: "Wrong value",
  body: "Explain.",
  priority: 1,
  path: "src/app.js",
  line: 13,
  ...over,
});
export const answerWith = (findings: object[], summary = "Looks mostly fine.") =>
  JSON.stringify({ summary, findings });

/** Reviews come back clean; other tasks say they fixed it. */
const agent: Agent = (task) => (task.kind === "review" ? answerWith([]) : "Done: fixed.");

/**
 * Acme (cloud, GitHub connector and code review on; every member may run cloud tasks): owner Olga (GitHub
 * octo-olga), Max (Codertocat, who writes the example pull requests), Nora (nora-gh, no access to the
 * repository on GitHub), Rita (reader-gh, read only); environment `hello` for the repository.
 */
export async function githubWorld(server: SetupServer, options: Pick<WorldOptions, "env" | "dbPath"> = {}) {
  const fake = githubFake();
  // With HUB_EXECUTOR settings in `env`, that executor runs the tasks in place of the agent.
  const world = createWorld({
    server,
    fakes: [fake],
    ...(options.env ? { env: options.env } : { agent }),
    ...(options.dbPath ? { dbPath: options.dbPath } : {}),
  });
  await seedWorkspace(world.deps, {
    toggles: { codexCloud: true, githubConnector: true, codeReview: true },
    owner: { id: "mem_olga", email: "olga@acme.test", github: "octo-olga" },
    members: [
      { id: "mem_max", email: "max@acme.test", github: "Codertocat" },
      { id: "mem_nora", email: "nora@acme.test", github: "nora-gh" },
      { id: "mem_rita", email: "rita@acme.test", github: "reader-gh" },
    ],
    links: { githubInstallation: 1 },
    roles: [{ name: "Cloud", permissions: ["codex_cloud"], default: true }],
    environments: [{ id: "env_hello", name: "hello", repository: REPO }],
  });
  await installGitHubApp(world.deps, { id: 1, account: "Codertocat" });
  return { fake, world };
}

/** Changes the repository's review settings through the admin API. */
export const patchSettings = (world: World, patch: Record<string, unknown>) =>
  world.admin(`/workspaces/${WS}/github/repositories/${REPO}/review-settings`, {
    method: "PATCH",
    body: JSON.stringify(patch),
  });

export const storedReviews = (world: World) => world.rows(githubReviews);
