import { HttpResponse, http } from "msw";
import type { SetupServer } from "msw/node";
import { environments, identities, members } from "../../src/db/schema/access";
import { linearInstallations } from "../../src/db/schema/linear";
import { outbox } from "../../src/db/schema/outbox";
import { tasks } from "../../src/db/schema/tasks";
import { workspaceLinks } from "../../src/db/schema/workspaces";
import { createHub } from "../../src/hub";
import { manualClock } from "../../src/lib/clock";
import { silentLogger } from "../../src/lib/logger";
import { deliverDue } from "../../src/outbox/worker";
import { openNodeDatabase } from "../../src/runtime/node-db";
import { createNodeMetrics } from "../../src/runtime/node-metrics";
import type { ExecutionContext, Executor, ExecutorResult } from "../../src/tasks/executors/types";
import type { Task } from "../../src/tasks/types";
import { invalidateSnapshot } from "../../src/workspace/snapshot";
import { newWorkspaceQueries } from "../../src/workspace/workspaces";
import { testConfig, testSecrets } from "../helpers/app";
import { githubAppEnv } from "../helpers/github-app";
import { makeCloudTheDefaultRole, workspaceRows } from "../helpers/workspace-rows";
import { fixture, type Json, linearWebhook } from "../ingress/deliveries";

// A hub that talks to Linear's GraphQL API and GitHub through msw fakes, with a workspace linked to the Linear
// organization of the fixtures (test/fixtures/linear) and an executor the test controls.

export const LINEAR_API = "http://localhost:4012/graphql";
export const GITHUB_API = "https://github.test/api/v3";
export const ORG = "8f2c4b1e-3a5d-4c6e-9f70-1a2b3c4d5e6f";
export const APP_USER = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d";
export const TEAM = "7e6d5c4b-3a29-4817-8f6e-5d4c3b2a1908";
export const ISSUE = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d";
export const SESSION = "6c5b4a39-2817-4f6e-9d5c-4b3a29180716";
/** Linear users of the fixtures: Ada creates sessions and delegates, Grace comments and prompts. */
export const ADA = "f0e1d2c3-b4a5-4968-8776-655443322110";
export const GRACE = "0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9";
export const WS = "ws_acme";

/** One GraphQL call Linear received: its operation name and variables, in arrival order. */
export interface LinearCallSeen {
  op: string;
  variables: Json;
  auth: string | null;
}

export interface FakeLinear {
  calls: LinearCallSeen[];
  /** Linear user id → email the `user` query reports. */
  emails: Record<string, string>;
  issue: Json;
  states: { id: string; name: string; type: string; position: number }[];
}

export function fakeLinear(): FakeLinear {
  return {
    calls: [],
    emails: { [ADA]: "ada@acme.example", [GRACE]: "grace@acme.example" },
    issue: {
      id: ISSUE,
      identifier: "ENG-123",
      title: "Fix flaky login test",
      description: "The login e2e test fails about one run in five on CI.",
      url: "https://linear.app/acme/issue/ENG-123/fix-flaky-login-test",
      team: { id: TEAM, key: "ENG", name: "Engineering" },
      state: { id: "st_todo", name: "Todo", type: "unstarted" },
      labels: { nodes: [] },
    },
    states: [
      { id: "st_todo", name: "Todo", type: "unstarted", position: 1 },
      { id: "st_review", name: "In Review", type: "started", position: 3 },
      { id: "st_progress", name: "In Progress", type: "started", position: 2 },
      { id: "st_done", name: "Done", type: "completed", position: 4 },
    ],
  };
}

/** Linear's GraphQL endpoint as the SDK calls it; every call is recorded in order. */
export function linearHandlers(fake: FakeLinear) {
  return [
    http.post(LINEAR_API, async ({ request }) => {
      const body = (await request.json()) as { query: string; variables?: Json };
      const op = /^\s*(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? "unknown";
      const variables = body.variables ?? {};
      fake.calls.push({ op, variables, auth: request.headers.get("authorization") });
      const ok = (key: string, entity: string, id: unknown) =>
        HttpResponse.json({ data: { [key]: { success: true, lastSyncId: 1, [entity]: { id } } } });
      switch (op) {
        case "createAgentActivity":
          return ok("agentActivityCreate", "agentActivity", variables.input?.id ?? "act_generated");
        case "createComment":
          return ok("commentCreate", "comment", variables.input?.id ?? "cmt_generated");
        case "updateAgentSession":
          return ok("agentSessionUpdate", "agentSession", variables.id);
        case "updateIssue":
          return ok("issueUpdate", "issue", variables.id);
        case "user": {
          const email = fake.emails[variables.id] ?? `${variables.id}@elsewhere.example`;
          return HttpResponse.json({
            data: { user: { id: variables.id, name: email, displayName: email, email, active: true } },
          });
        }
        case "codexIssue":
          return HttpResponse.json({ data: { issue: { ...fake.issue, id: variables.id } } });
        case "codexTeamStates":
          return HttpResponse.json({ data: { team: { states: { nodes: fake.states } } } });
        case "codexViewer":
          return HttpResponse.json({
            data: { viewer: { id: APP_USER, name: "Codex" }, organization: { id: ORG, name: "Acme" } },
          });
        default:
          return HttpResponse.json({ errors: [{ message: `unexpected ${op}` }] }, { status: 400 });
      }
    }),
  ];
}

/** GitHub: installation 77 answers for acme/*; `ada-gh` and `grace-gh` may write, anyone else has no access. */
export function githubHandlers() {
  return [
    http.post(`${GITHUB_API}/app/installations/77/access_tokens`, () =>
      HttpResponse.json(
        {
          token: "ghs_test",
          expires_at: new Date(Date.now() + 3_600_000).toISOString(),
          permissions: { metadata: "read" },
          repository_selection: "all",
        },
        { status: 201 },
      ),
    ),
    http.get(`${GITHUB_API}/repos/:owner/:repo/collaborators/:login/permission`, ({ params }) => {
      const login = String(params.login);
      if (login === "ada-gh" || login === "grace-gh")
        return HttpResponse.json({ permission: "write", role_name: "write", user: { login } });
      return HttpResponse.json({ message: "Not Found" }, { status: 404 });
    }),
  ];
}

export type Behaviour = (task: Task, context: ExecutionContext) => Promise<ExecutorResult>;

export function createLinearHub(server: SetupServer, behaviour?: Behaviour) {
  const fake = fakeLinear();
  server.use(...linearHandlers(fake), ...githubHandlers());
  const database = openNodeDatabase(":memory:");
  const clock = manualClock(Date.now());
  const runs: Task[] = [];
  const executor: Executor = {
    name: "command",
    async run(task, context) {
      runs.push(task);
      return behaviour
        ? behaviour(task, context)
        : {
            answer: "The test waited on a timer; it now waits for the redirect.",
            prUrl: "https://github.com/acme/web/pull/7",
          };
    },
  };
  const hub = createHub({
    metrics: createNodeMetrics({ thread: "http" }).metrics,
    config: testConfig({
      LINEAR_API_KEY: "lin_api_test",
      LINEAR_API_URL: LINEAR_API,
      ...githubAppEnv(GITHUB_API),
    }),
    database,
    clock,
    logger: silentLogger,
    executor,
    taskRunner: { resolveEnvironment: async () => undefined },
  });
  const deps = hub.deps;
  return {
    ...hub,
    deps,
    database,
    clock,
    fake,
    runs,
    close: () => database.close(),
    /** Sends a fixture (edited by `edit`) as Linear would, signed, and returns the response. */
    async deliver(name: string, edit: (payload: Json) => void = () => {}, delivery?: string) {
      const payload = fixture("linear", name);
      edit(payload);
      const built = linearWebhook(payload, { secret: testSecrets.linear.current, at: clock.now(), delivery });
      return hub.app.request("/webhooks/linear", {
        method: "POST",
        body: built.body,
        headers: built.headers,
      });
    },
    /** Processes the inbox, runs queued tasks, and delivers every queued Linear call. */
    async settle() {
      await hub.processor.drain();
      await hub.taskRunner.drain();
      await deliverDue(deps);
    },
    tasks: async () => database.db.select().from(tasks),
    outbox: async () => database.db.select().from(outbox),
    /** Activities Linear received, in order: content type and body (or action). */
    activities: () =>
      fake.calls
        .filter((c) => c.op === "createAgentActivity")
        .map((c) => c.variables.input as { id: string; agentSessionId: string; content: Json }),
    comments: () => fake.calls.filter((c) => c.op === "createComment").map((c) => c.variables.input as Json),
  };
}

export type LinearHub = ReturnType<typeof createLinearHub>;

/**
 * Workspace Acme, linked to the Linear organization and GitHub installation 77, Codex cloud on, every member
 * allowed to run tasks (default role). Ada (GitHub ada-gh) and Grace (grace-gh) can write to the repositories;
 * environments `web` and `api` are visible to all, `secret` only to its creator Olga.
 */
export async function seedAcme(hub: LinearHub, options: { environments?: boolean } = {}) {
  const deps = hub.deps;
  const now = hub.clock.now();
  const { db } = deps.database;
  await deps.database.batch(
    newWorkspaceQueries(deps, {
      id: WS,
      name: "Acme",
      owner: { id: "mem_olga", email: "olga@acme.test" },
      toggles: { codexCloud: true, githubConnector: true },
    }),
  );
  await makeCloudTheDefaultRole(db, WS, now);
  const rows = workspaceRows(WS, now);
  await db
    .insert(members)
    .values([rows.member("mem_ada", "ada@acme.example"), rows.member("mem_grace", "grace@acme.example")]);
  await db
    .insert(identities)
    .values([rows.githubLogin("mem_ada", "ada-gh"), rows.githubLogin("mem_grace", "grace-gh")]);
  await db.insert(workspaceLinks).values([
    { workspaceId: WS, kind: "linear_org", externalId: ORG, createdAt: now },
    { workspaceId: WS, kind: "github_installation", externalId: "77", createdAt: now },
  ]);
  if (options.environments !== false) {
    await db
      .insert(environments)
      .values([
        rows.environment("env_web", "web", "workspace"),
        rows.environment("env_api", "api", "workspace"),
        rows.environment("env_secret", "secret", "private"),
      ]);
  }
  await invalidateSnapshot(deps, WS);
}

/** Codex installed in the organization as an app (actor "app"): Linear's agent sessions then carry the work. */
export async function installAsApp(hub: LinearHub) {
  const now = hub.clock.now();
  await hub.database.db.insert(linearInstallations).values({
    organizationId: ORG,
    workspaceId: WS,
    actor: "app",
    appUserId: APP_USER,
    createdAt: now,
    updatedAt: now,
  });
}
