import { eq } from "drizzle-orm";
import { HttpResponse, http } from "msw";
import type { SetupServer } from "msw/node";
import { afterEach, beforeEach } from "vitest";
import { environments } from "../../src/db/schema/access";
import { auditLog } from "../../src/db/schema/audit";
import { outbox } from "../../src/db/schema/outbox";
import { tasks } from "../../src/db/schema/tasks";
import { workspaceLinks, workspaces } from "../../src/db/schema/workspaces";
import { createHub } from "../../src/hub";
import { manualClock } from "../../src/lib/clock";
import { silentLogger } from "../../src/lib/logger";
import { deliverDue } from "../../src/outbox/worker";
import { openNodeDatabase } from "../../src/runtime/node-db";
import { createNodeMetrics } from "../../src/runtime/node-metrics";
import type { Executor } from "../../src/tasks/executors/types";
import { rowToTask } from "../../src/tasks/rows";
import { createGroup } from "../../src/workspace/groups";
import { linkIdentity } from "../../src/workspace/identity-link";
import { createMember } from "../../src/workspace/members";
import { assignRole, createRole } from "../../src/workspace/roles";
import { invalidateSnapshot } from "../../src/workspace/snapshot";
import { newWorkspaceQueries } from "../../src/workspace/workspaces";
import { testConfig } from "../helpers/app";
import { githubAppEnv } from "../helpers/github-app";
import { useMockServer } from "../helpers/mock-server";
import { workspaceRows } from "../helpers/workspace-rows";
import { RESPONSE_HOST, TEAM } from "./requests";

// A whole hub with the real Slack client and GitHub App auth, pointed at msw fakes of the Slack Web API,
// Slack's response URLs and GitHub's permission API; requests arrive signed through HTTP like Slack sends them.

export const SLACK_API = "http://slack.test/api/";
export const GITHUB_API = "https://github.test/api/v3";
export const WS = "ws_acme";

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

/** GitHub's answer per login and repository; anything else is 404 (no access). */
export const REPO_ACCESS: Record<string, Record<string, string>> = {
  "olga-gh": { "acme/web": "admin", "acme/api": "admin", "acme/docs": "admin", "acme/secret": "admin" },
  "ada-gh": { "acme/web": "read", "acme/api": "read" },
  "max-gh": { "acme/web": "write", "acme/api": "read" },
};

export interface SlackCall {
  method: string;
  args: Record<string, string>;
}

export interface Fakes {
  slack: SlackCall[];
  responses: { url: string; body: Record<string, unknown> }[];
  /** conversations.replies answer, by thread ts. */
  threads: Map<string, Record<string, unknown>[]>;
  /** conversations.info: channels shared with another organization. */
  sharedChannels: Set<string>;
}

export function installFakes(server: SetupServer): Fakes {
  const fakes: Fakes = { slack: [], responses: [], threads: new Map(), sharedChannels: new Set() };
  let counter = 0;
  server.use(
    http.post(`${SLACK_API}:method`, async ({ request, params }) => {
      const args = Object.fromEntries(new URLSearchParams(await request.text()).entries());
      const method = String(params.method);
      fakes.slack.push({ method, args });
      if (method === "users.info") {
        const person = PEOPLE[args.user as Person];
        return HttpResponse.json({
          ok: true,
          user: {
            id: args.user,
            deleted: false,
            is_bot: false,
            profile: { email: person?.email ?? "someone@else.test" },
          },
        });
      }
      if (method === "conversations.replies") {
        return HttpResponse.json({
          ok: true,
          messages: fakes.threads.get(args.ts ?? "") ?? [],
          has_more: false,
        });
      }
      if (method === "conversations.info") {
        return HttpResponse.json({
          ok: true,
          channel: { id: args.channel, is_ext_shared: fakes.sharedChannels.has(args.channel ?? "") },
        });
      }
      counter++;
      return HttpResponse.json({
        ok: true,
        channel: args.channel,
        ts: `1800000000.${String(counter).padStart(6, "0")}`,
      });
    }),
    http.post(`${RESPONSE_HOST}/*`, async ({ request }) => {
      fakes.responses.push({ url: request.url, body: (await request.json()) as Record<string, unknown> });
      return new HttpResponse("ok");
    }),
    http.post(`${GITHUB_API}/app/installations/77/access_tokens`, () =>
      HttpResponse.json(
        {
          token: "ghs_test",
          expires_at: new Date(Date.now() + 3_600_000).toISOString(),
          permissions: { metadata: "read" },
        },
        { status: 201 },
      ),
    ),
    http.get(`${GITHUB_API}/repos/:owner/:repo/collaborators/:login/permission`, ({ params }) => {
      const level = REPO_ACCESS[String(params.login)]?.[`${params.owner}/${params.repo}`];
      return level
        ? HttpResponse.json({ permission: level, role_name: level, user: { login: params.login } })
        : HttpResponse.json({ message: "Not Found" }, { status: 404 });
    }),
  );
  return fakes;
}

export function createSlackHub(options: { executor?: Executor; env?: Record<string, string> } = {}) {
  const database = openNodeDatabase(":memory:");
  const clock = manualClock(Date.now());
  const hub = createHub({
    metrics: createNodeMetrics({ thread: "http" }).metrics,
    config: testConfig({
      SLACK_BOT_TOKEN: "xoxb-test",
      SLACK_API_URL: SLACK_API,
      ...githubAppEnv(GITHUB_API),
      ...options.env,
    }),
    database,
    clock,
    logger: silentLogger,
    ...(options.executor ? { executor: options.executor } : {}),
  });
  const run = async () => {
    // Events → tasks → answers → Slack, until nothing is left to do.
    for (let i = 0; i < 10; i++) {
      const processed = await hub.processor.drain();
      await hub.taskRunner.drain();
      const sent = await deliverDue(hub.deps);
      if (processed === 0 && sent.claimed === 0) return;
    }
  };
  return {
    ...hub,
    database,
    clock,
    run,
    request: (path: string, init?: RequestInit) => hub.app.request(path, init),
    close: () => database.close(),
    tasks: async () => (await database.db.select().from(tasks)).map(rowToTask),
    audit: async () => database.db.select().from(auditLog),
    outbox: async () => database.db.select().from(outbox),
  };
}

export type SlackHub = ReturnType<typeof createSlackHub>;

/**
 * The hooks of a test file on the Slack hub: msw answering as Slack and GitHub, and per test a fresh hub made
 * with `options` and its fakes, handed to `use` before the file's own `beforeEach` runs (vitest runs
 * before-hooks in the order they were registered), which seeds it; closed after the test. Returns the server,
 * for tests that answer some call differently.
 */
export function useSlackHub(
  options: Parameters<typeof createSlackHub>[0],
  use: (fresh: { hub: SlackHub; fakes: Fakes }) => void,
): SetupServer {
  const server = useMockServer();
  let hub: SlackHub;
  beforeEach(() => {
    hub = createSlackHub(options);
    use({ hub, fakes: installFakes(server) });
  });
  afterEach(() => hub.close());
  return server;
}

/**
 * Acme: Olga (owner), Ada (Codex Admin through the "Admins" group), Max and Nia (members with Codex cloud
 * through "Builders"; Nia has no GitHub login) and Leo (a member without any role). Environments `web`
 * (acme/web), `api` (acme/api) and `docs` (acme/docs, which GitHub lets only Olga read) for everyone, `secret`
 * private to Olga.
 */
export async function seedAcme(
  hub: SlackHub,
  toggles: Record<string, boolean> = {},
  options: { linkSlack?: boolean } = {},
) {
  const deps = hub.deps;
  await deps.database.batch(
    newWorkspaceQueries(deps, {
      id: WS,
      name: "Acme",
      owner: { id: "mem_olga", email: PEOPLE.U0OLGA.email },
      toggles: { codexCloud: true, githubConnector: true, ...toggles },
    }),
  );
  const now = hub.clock.now();
  await deps.database.db.insert(workspaceLinks).values([
    { workspaceId: WS, kind: "slack_team", externalId: TEAM, createdAt: now },
    { workspaceId: WS, kind: "github_installation", externalId: "77", createdAt: now },
  ]);
  const ids: Record<Person, string> = {
    U0OLGA: "mem_olga",
    U0ADA: "",
    U0MAX: "",
    U0NIA: "",
    U0LEO: "",
    U0EVE: "",
  };
  for (const who of ["U0ADA", "U0MAX", "U0NIA", "U0LEO"] as const) {
    ids[who] = (await createMember(deps, WS, { email: PEOPLE[who].email }, "test")).id;
  }
  for (const who of ["U0OLGA", "U0ADA", "U0MAX", "U0LEO"] as const) {
    await linkIdentity(deps, {
      workspaceId: WS,
      memberId: ids[who],
      platform: "github",
      id: PEOPLE[who].github,
      source: "admin",
      actor: "test",
    });
  }
  if (options.linkSlack) {
    // As if each had talked to Codex before: their Slack accounts are already matched by email.
    for (const who of ["U0OLGA", "U0ADA", "U0MAX", "U0NIA", "U0LEO"] as const) {
      await linkIdentity(deps, {
        workspaceId: WS,
        memberId: ids[who],
        platform: "slack",
        id: who,
        source: "email",
        actor: "test",
      });
    }
  }
  const admin = await createRole(
    deps,
    WS,
    { name: "Codex Admin", permissions: ["codex_admin", "codex_cloud"] },
    "test",
  );
  const builder = await createRole(deps, WS, { name: "Builder", permissions: ["codex_cloud"] }, "test");
  const admins = await createGroup(deps, WS, { name: "Admins", memberIds: [ids.U0ADA] }, "test");
  await assignRole(deps, { workspaceId: WS, roleId: admin.id, groupId: admins.id, assigned: true }, "test");
  const builders = await createGroup(
    deps,
    WS,
    { name: "Builders", memberIds: [ids.U0MAX, ids.U0NIA] },
    "test",
  );
  await assignRole(
    deps,
    { workspaceId: WS, roleId: builder.id, groupId: builders.id, assigned: true },
    "test",
  );
  const { environment } = workspaceRows(WS, now);
  await deps.database.db
    .insert(environments)
    .values([
      environment("env_web", "web", "workspace"),
      environment("env_api", "api", "workspace"),
      environment("env_docs", "docs", "workspace"),
      environment("env_secret", "secret", "private"),
    ]);
  await invalidateSnapshot(deps, WS);
  return { ids, roles: { admin, builder }, groups: { admins, builders } };
}

export async function setToggles(hub: SlackHub, toggles: Partial<typeof workspaces.$inferInsert>) {
  await hub.deps.database.db.update(workspaces).set(toggles).where(eq(workspaces.id, WS));
  await invalidateSnapshot(hub.deps, WS);
}

export * from "./requests";
