import { eq } from "drizzle-orm";
import { afterEach, beforeEach } from "vitest";
import { environments, identities, members } from "../../src/db/schema/access";
import { auditLog } from "../../src/db/schema/audit";
import { githubInstallations, githubReviews } from "../../src/db/schema/github";
import { inbox } from "../../src/db/schema/inbox";
import { outbox } from "../../src/db/schema/outbox";
import { tasks } from "../../src/db/schema/tasks";
import { workspaceLinks } from "../../src/db/schema/workspaces";
import { createHub } from "../../src/hub";
import { manualClock } from "../../src/lib/clock";
import { silentLogger } from "../../src/lib/logger";
import { deliverDue } from "../../src/outbox/worker";
import { openNodeDatabase } from "../../src/runtime/node-db";
import { createNodeMetrics } from "../../src/runtime/node-metrics";
import type { Executor } from "../../src/tasks/executors/types";
import type { Task } from "../../src/tasks/types";
import { invalidateSnapshot } from "../../src/workspace/snapshot";
import { newWorkspaceQueries } from "../../src/workspace/workspaces";
import { testConfig, testSecrets } from "../helpers/app";
import { githubAppEnv } from "../helpers/github-app";
import { githubExample } from "../helpers/github-examples";
import { useMockServer } from "../helpers/mock-server";
import { githubRequest } from "../helpers/signers";
import { makeCloudTheDefaultRole, workspaceRows } from "../helpers/workspace-rows";
import { API, BASE, type GitHubFake, githubFake, HEAD, REPO } from "./github-fake";

// A hub with a real GitHub App client pointed at a GitHub fake (msw), a workspace linked to installation 1
// (the installation of @octokit/webhooks-examples payloads), and an executor whose answers the test chooses.

export * from "./github-fake";

export const WS = "ws_acme";

export type Answer = (task: Task) => string;

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

export async function createWorld(options: { answer?: Answer } = {}) {
  const database = openNodeDatabase(":memory:");
  const clock = manualClock(Date.now());
  const runs: Task[] = [];
  let answer: Answer =
    options.answer ?? ((task) => (task.kind === "review" ? answerWith([]) : "Done: fixed."));
  const executor: Executor = {
    name: "command",
    async run(task) {
      runs.push(task);
      return { answer: answer(task) };
    },
  };
  const hub = createHub({
    metrics: createNodeMetrics({ thread: "http" }).metrics,
    config: testConfig(githubAppEnv(API)),
    database,
    clock,
    logger: silentLogger,
    executor,
  });
  await seed(hub.deps);
  let deliveries = 0;

  const world = {
    hub,
    database,
    clock,
    runs,
    setAnswer(next: Answer) {
      answer = next;
    },
    request: (path: string, init?: RequestInit) => hub.app.request(path, init),
    admin: (path: string, init: RequestInit = {}) =>
      hub.app.request(`/api/v1${path}`, {
        ...init,
        headers: {
          authorization: `Bearer ${testSecrets.adminToken}`,
          "content-type": "application/json",
          ...init.headers,
        },
      }),
    /** Sends a signed webhook as GitHub would. */
    async deliver(event: string, payload: unknown, delivery = `d-${++deliveries}-${Math.random()}`) {
      const init = await githubRequest(payload, { event, delivery, secret: testSecrets.github.current });
      return hub.app.request("/webhooks/github", init);
    },
    /** Runs inbox, tasks and outbox until nothing is left to do. */
    async settle() {
      for (let i = 0; i < 20; i++) {
        const processed = await hub.processor.drain();
        await hub.taskRunner.drain();
        const sent = await deliverDue(hub.deps);
        if (processed === 0 && sent.claimed === 0) return;
      }
      throw new Error("the hub did not settle");
    },
    async process() {
      await hub.processor.drain();
    },
    outcomes: async () => (await database.db.select().from(inbox)).map((r) => r.outcome),
    reviews: async () => database.db.select().from(githubReviews),
    tasks: async () => database.db.select().from(tasks),
    outbox: async () => database.db.select().from(outbox),
    audits: async (action: string) =>
      (await database.db.select().from(auditLog).where(eq(auditLog.action, action))) as any[],
    patchSettings: (patch: Record<string, unknown>) =>
      world.admin(`/workspaces/${WS}/github/repositories/${REPO}/review-settings`, {
        method: "PATCH",
        body: JSON.stringify(patch),
      }),
    close: () => database.close(),
  };
  return world;
}

export type World = Awaited<ReturnType<typeof createWorld>>;

/**
 * The hooks of a test file on the world: msw answering as GitHub, and per test a fresh fake and world, handed
 * to `use` before the file's own `beforeEach` runs (vitest runs before-hooks in the order they were
 * registered) and closed after the test.
 */
export function useWorld(use: (fresh: { fake: GitHubFake; world: World }) => void) {
  const server = useMockServer();
  let world: World;
  beforeEach(async () => {
    const fake = githubFake();
    server.use(fake.handler);
    world = await createWorld();
    use({ fake, world });
  });
  afterEach(() => world.close());
}

type SeedDeps = Parameters<typeof newWorkspaceQueries>[0] & { clock: { now(): number } };

/**
 * Workspace `ws_acme` (cloud, GitHub connector and code review on; default role with Codex cloud): owner Olga
 * (GitHub octo-olga), Max (Codertocat, who writes the example pull requests), Nora (nora-gh, no access to the
 * repository on GitHub), Rita (reader-gh, read only); environment `hello` for the repository.
 */
async function seed(deps: SeedDeps & { database: any }) {
  const db = deps.database.db;
  const now = deps.clock.now();
  await deps.database.batch(
    newWorkspaceQueries(deps, {
      id: WS,
      name: "Acme",
      owner: { id: "mem_olga", email: "olga@acme.test" },
      toggles: { codexCloud: true, githubConnector: true, codeReview: true },
    }),
  );
  await makeCloudTheDefaultRole(db, WS, now);
  const rows = workspaceRows(WS, now);
  await db
    .insert(members)
    .values([
      rows.member("mem_max", "max@acme.test"),
      rows.member("mem_nora", "nora@acme.test"),
      rows.member("mem_rita", "rita@acme.test"),
    ]);
  await db
    .insert(identities)
    .values([
      rows.githubLogin("mem_olga", "octo-olga"),
      rows.githubLogin("mem_max", "Codertocat"),
      rows.githubLogin("mem_nora", "nora-gh"),
      rows.githubLogin("mem_rita", "reader-gh"),
    ]);
  await db.insert(environments).values({
    id: "env_hello",
    workspaceId: WS,
    name: "hello",
    repository: REPO,
    visibility: "workspace",
    creatorId: "mem_olga",
    internet: { mode: "off" },
    createdAt: now,
    updatedAt: now,
  });
  await db
    .insert(workspaceLinks)
    .values({ workspaceId: WS, kind: "github_installation", externalId: "1", createdAt: now });
  await db.insert(githubInstallations).values({
    id: 1,
    accountLogin: "Codertocat",
    accountType: "User",
    appSlug: "codex-hub",
    status: "active",
    createdAt: now,
    updatedAt: now,
  });
  await invalidateSnapshot(deps as never, WS);
}

/** pull_request.opened from @octokit/webhooks-examples (installation 1, Codertocat/Hello-World#2), reshaped. */
export function pullRequestEvent(
  over: {
    action?: string;
    draft?: boolean;
    head?: string;
    labels?: string[];
    title?: string;
    author?: { login: string; type?: string };
    sender?: { login: string; type?: string };
    base?: string;
    requestedReviewer?: string;
    fork?: string;
  } = {},
) {
  const p = githubExample("pull_request", "opened", 1);
  p.action = over.action ?? "opened";
  if (over.draft !== undefined) p.pull_request.draft = over.draft;
  p.pull_request.head.sha = over.head ?? HEAD;
  p.pull_request.base.sha = BASE;
  if (over.labels) p.pull_request.labels = over.labels.map((name) => ({ name }));
  if (over.title) p.pull_request.title = over.title;
  if (over.author) p.pull_request.user = { ...p.pull_request.user, type: "User", ...over.author };
  if (over.sender) p.sender = { ...p.sender, type: "User", ...over.sender };
  if (over.base) p.pull_request.base.ref = over.base;
  if (over.fork) p.pull_request.head.repo = { ...p.pull_request.head.repo, full_name: over.fork };
  if (over.requestedReviewer) p.requested_reviewer = { login: over.requestedReviewer, type: "Bot" };
  return p;
}

let commentIds = 700_000;

/** issue_comment.created on pull request #2 (a PR conversation comment), by `login`. */
export function issueComment(body: string, login = "Codertocat", type = "User") {
  const p = githubExample("issue_comment", "created", 3);
  p.issue.number = 2;
  p.issue.pull_request = { url: `https://api.github.com/repos/${REPO}/pulls/2` };
  p.comment.id = ++commentIds;
  p.comment.body = body;
  p.comment.user = { ...p.comment.user, login, type };
  p.sender = { ...p.sender, login, type };
  return p;
}

/** pull_request_review_comment.created on #2, optionally a reply in a thread. */
export function reviewComment(body: string, login = "Codertocat", inReplyTo?: number) {
  const p = githubExample("pull_request_review_comment", "created", 1);
  p.comment.id = ++commentIds;
  p.comment.body = body;
  p.comment.user = { ...p.comment.user, login, type: "User" };
  p.sender = { ...p.sender, login, type: "User" };
  if (inReplyTo !== undefined) p.comment.in_reply_to_id = inReplyTo;
  else delete p.comment.in_reply_to_id;
  return p;
}
