import type { SetupServer } from "msw/node";
import { githubFake } from "../github/github-fake";
import { createWorld, type World, type WorldOptions } from "../helpers/world";
import { ACME, seedWorkspace } from "../helpers/world-seed";
import { TEAM } from "./requests";
import { slackFake } from "./slack-fake";

// The world of the Slack tests: a hub with the real Slack client and GitHub App auth, pointed at the Slack
// fake and GitHub's permission API, and Acme as its people set it up.

export const WS = ACME;

/** Slack user → member email (and GitHub login, when linked). Unknown users report an outside email. */
export const PEOPLE = {
  U0OLGA: { email: "olga@acme.test", github: "olga-gh" },
  U0ADA: { email: "ada@acme.test", github: "ada-gh" },
  U0MAX: { email: "max@acme.test", github: "max-gh" },
  U0NIA: { email: "nia@acme.test", github: null },
  U0LEO: { email: "leo@acme.test", github: "leo-gh" },
  U0EVE: { email: "eve@elsewhere.test", github: null },
} as const;
export type Person = keyof typeof PEOPLE;

/** Acme's members by Slack user; Eve is none. */
export const MEMBERS = {
  U0OLGA: "mem_olga",
  U0ADA: "mem_ada",
  U0MAX: "mem_max",
  U0NIA: "mem_nia",
  U0LEO: "mem_leo",
} as const;

/** GitHub's answer per login and repository; anything else is 404 (no access). */
export const REPO_ACCESS: Record<string, Record<string, string>> = {
  "olga-gh": { "acme/web": "admin", "acme/api": "admin", "acme/docs": "admin", "acme/secret": "admin" },
  "ada-gh": { "acme/web": "read", "acme/api": "read" },
  "max-gh": { "acme/web": "write", "acme/api": "read" },
};

export function slackWorld(server: SetupServer, options: WorldOptions = {}) {
  const fakes = slackFake(Object.fromEntries(Object.entries(PEOPLE).map(([user, p]) => [user, p.email])));
  const github = githubFake({ access: (login, repository) => REPO_ACCESS[login]?.[repository] });
  const world = createWorld({ ...options, server, fakes: [fakes, github] });
  return { world, fakes };
}

/**
 * Acme: Olga (owner), Ada (Codex Admin through the "Admins" group), Max and Nia (members with Codex cloud
 * through "Builders"; Nia has no GitHub login) and Leo (a member without any role). Environments `web`
 * (acme/web), `api` (acme/api) and `docs` (acme/docs, which GitHub lets only Olga read) for everyone, `secret`
 * private to Olga. With `linkSlack`, everyone's Slack account is already matched, as if each had talked to
 * Codex before.
 */
export async function seedAcme(
  world: World,
  toggles: Record<string, boolean> = {},
  options: { linkSlack?: boolean } = {},
) {
  const person = (user: keyof typeof MEMBERS) => ({
    id: MEMBERS[user],
    email: PEOPLE[user].email,
    github: PEOPLE[user].github ?? undefined,
    slack: options.linkSlack ? user : undefined,
  });
  await seedWorkspace(world.deps, {
    toggles: { codexCloud: true, githubConnector: true, ...toggles },
    owner: person("U0OLGA"),
    members: [person("U0ADA"), person("U0MAX"), person("U0NIA"), person("U0LEO")],
    links: { slackTeam: TEAM, githubInstallation: 77 },
    roles: [
      {
        name: "Codex Admin",
        permissions: ["codex_admin", "codex_cloud"],
        group: { name: "Admins", members: [MEMBERS.U0ADA] },
      },
      {
        name: "Builder",
        permissions: ["codex_cloud"],
        group: { name: "Builders", members: [MEMBERS.U0MAX, MEMBERS.U0NIA] },
      },
    ],
    environments: [
      { id: "env_web", name: "web" },
      { id: "env_api", name: "api" },
      { id: "env_docs", name: "docs" },
      { id: "env_secret", name: "secret", private: true },
    ],
  });
  return { ids: MEMBERS };
}
