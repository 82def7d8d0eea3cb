import { env } from "cloudflare:test";
import { HttpResponse, http } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { linearTeamEnvironments } from "../../src/db/schema/linear";
import { manualClock } from "../../src/lib/clock";
import agentSessionCreated from "../fixtures/linear/agent-session-created.json";
import { API as GITHUB_API, githubFake } from "../github/github-fake";
import { executorHeaders, linearRequest } from "../helpers/signers";
import { ACME, seedWorkspace } from "../helpers/world-seed";
import { linearFake, ORG, SESSION, TEAM } from "../linear/linear-fake";
import { createWorkerWorld, resetD1, useHttpFakes } from "./worker-world";

// A Linear agent session to its activities, end to end on the Worker: the signed AgentSessionEvent in, the
// queue consumer acknowledging with a thought and starting the task on the http runner, the runner's
// progress and answer coming back as callbacks on the Worker, and the activities posted to Linear's GraphQL
// API (the Linear fake).

const RUNNER = "http://runner.test/tasks";
let restore = () => {};
afterEach(() => restore());

function signedCallback(taskId: string, payload: unknown) {
  const body = JSON.stringify(payload);
  return {
    method: "POST",
    body,
    headers: executorHeaders("test-executor-secret", body, { path: `/callbacks/tasks/${taskId}` }),
  };
}

describe("a Linear agent session on the Worker", () => {
  it("answers with a thought, shows the runner's progress as an action, and ends with one response", async () => {
    await resetD1();
    const linear = linearFake();
    const dispatched: { task: { id: string; prompt: string } }[] = [];
    const fakes = useHttpFakes([
      ...linear.handlers,
      ...githubFake({ access: (login) => (login === "ada-gh" ? "write" : undefined) }).handlers,
      http.post(RUNNER, async ({ request }) => {
        dispatched.push((await request.json()) as (typeof dispatched)[number]);
        return new HttpResponse(null, { status: 202 });
      }),
    ]);
    restore = fakes.restore;
    const clock = manualClock(Date.now());
    const world = createWorkerWorld({
      clock,
      vars: {
        ...linear.env,
        GITHUB_APP_ID: "123",
        GITHUB_PRIVATE_KEY: env.TEST_GITHUB_PRIVATE_KEY as string,
        GITHUB_API_URL: GITHUB_API,
        HUB_EXECUTOR_URL: RUNNER,
      },
    });
    await seedWorkspace(world.deps, {
      toggles: { codexCloud: true, githubConnector: true },
      owner: { id: "mem_olga", email: "olga@acme.test" },
      members: [{ id: "mem_ada", email: "ada@acme.example", github: "ada-gh" }],
      links: { linearOrganization: ORG, githubInstallation: 77 },
      roles: [{ name: "Cloud", permissions: ["codex_cloud"], default: true }],
      environments: [{ id: "env_web", name: "web" }],
    });
    await world.deps.database.db
      .insert(linearTeamEnvironments)
      .values({ workspaceId: ACME, teamId: TEAM, environmentId: "env_web", updatedAt: clock.now() });

    const { body, headers } = linearRequest(structuredClone(agentSessionCreated), {
      secret: "linear-current-secret",
      at: clock.now(),
    });
    expect((await world.request("/webhooks/linear", { method: "POST", body, headers })).status).toBe(200);
    await world.settle();

    expect(dispatched).toHaveLength(1);
    const task = dispatched[0]!.task;
    expect(task.prompt).toBe("@codex please fix this and open a PR");
    const types = () => linear.activities().map((a) => a.content.type);
    expect(types()[0]).toBe("thought");

    // Progress reaches Linear at most once per interval per session: past the first thought's.
    clock.advance(10_000);
    const progress = await world.request(
      `/callbacks/tasks/${task.id}`,
      signedCallback(task.id, { type: "progress", events: [{ type: "command", text: "$ npm test" }] }),
    );
    expect(progress.status).toBe(200);
    await world.settle();
    const result = await world.request(
      `/callbacks/tasks/${task.id}`,
      signedCallback(task.id, {
        type: "result",
        answer: "The test now waits for the redirect.",
        prUrl: "https://github.com/acme/web/pull/7",
      }),
    );
    expect(result.status).toBe(200);
    await world.settle();

    expect(linear.activities().every((a) => a.agentSessionId === SESSION)).toBe(true);
    expect(types()).toContain("action");
    expect(types().filter((t) => t === "response")).toHaveLength(1);
    expect(types().at(-1)).toBe("response");
    expect(types()).not.toContain("error");
    const response = linear.activities().find((a) => a.content.type === "response")!;
    expect(response.content.body).toContain(`http://hub.test/tasks/${task.id}`);
    expect(response.content.body).toContain("https://github.com/acme/web/pull/7");
    expect(fakes.unhandled).toEqual([]);
  });
});
