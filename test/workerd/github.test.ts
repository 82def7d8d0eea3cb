import { env } from "cloudflare:test";
import examples from "@octokit/webhooks-examples/api.github.com/index.json";
import { sign } from "@octokit/webhooks-methods";
import { HttpResponse, http } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { BASE, API as GITHUB_API, githubFake, HEAD, REPO } from "../github/github-fake";
import { executorHeaders } from "../helpers/signers";
import { installGitHubApp, seedWorkspace } from "../helpers/world-seed";
import { createWorkerWorld, resetD1, useHttpFakes } from "./worker-world";

// A pull request to a posted review, end to end on the Worker: a signed pull_request.opened in, the queue
// consumer starting a review task on the http runner (a local fake), the runner's findings coming back as its
// callback on the Worker, and one review posted to GitHub's REST API (the GitHub fake).

const RUNNER = "http://runner.test/tasks";
let restore = () => {};
afterEach(() => restore());

function pullRequestOpened() {
  const definitions = examples as unknown as { name: string; examples: Record<string, any>[] }[];
  const p = structuredClone(
    definitions.find((d) => d.name === "pull_request")!.examples.filter((e) => e.action === "opened")[1]!,
  );
  p.pull_request.head.sha = HEAD;
  p.pull_request.base.sha = BASE;
  return p;
}

describe("a pull request on the Worker", () => {
  it("is reviewed on the http runner and its findings are posted as one GitHub review", async () => {
    await resetD1();
    const github = githubFake();
    const dispatched: { task: { id: string; kind: string } }[] = [];
    const fakes = useHttpFakes([
      ...github.handlers,
      http.post(RUNNER, async ({ request }) => {
        dispatched.push((await request.json()) as (typeof dispatched)[number]);
        return new HttpResponse(null, { status: 202 });
      }),
    ]);
    restore = fakes.restore;
    const world = createWorkerWorld({
      vars: {
        GITHUB_APP_ID: "123",
        GITHUB_PRIVATE_KEY: env.TEST_GITHUB_PRIVATE_KEY as string,
        GITHUB_API_URL: GITHUB_API,
        HUB_EXECUTOR_URL: RUNNER,
      },
    });
    await seedWorkspace(world.deps, {
      toggles: { codexCloud: true, githubConnector: true, codeReview: true },
      owner: { id: "mem_olga", email: "olga@acme.test", github: "octo-olga" },
      members: [{ id: "mem_max", email: "max@acme.test", github: "Codertocat" }],
      links: { githubInstallation: 1 },
      roles: [{ name: "Cloud", permissions: ["codex_cloud"], default: true }],
      environments: [{ id: "env_hello", name: "hello", repository: REPO }],
    });
    await installGitHubApp(world.deps, { id: 1, account: "Codertocat" });

    const body = JSON.stringify(pullRequestOpened());
    const res = await world.request("/webhooks/github", {
      method: "POST",
      body,
      headers: {
        "content-type": "application/json",
        "x-github-event": "pull_request",
        "x-github-delivery": crypto.randomUUID(),
        "x-hub-signature-256": await sign("gh-current-secret", body),
      },
    });
    expect(res.status).toBe(200);
    await world.settle();

    expect(dispatched).toHaveLength(1);
    const task = dispatched[0]!.task;
    expect(task.kind).toBe("review");

    const findings = {
      summary: "One real problem.",
      findings: [{ title: "Debug output", body: "Remove it.", priority: 1, path: "src/app.js", line: 13 }],
    };
    const callbackBody = JSON.stringify({ type: "result", answer: JSON.stringify(findings) });
    const done = await world.request(`/callbacks/tasks/${task.id}`, {
      method: "POST",
      body: callbackBody,
      headers: executorHeaders("test-executor-secret", callbackBody, { path: `/callbacks/tasks/${task.id}` }),
    });
    expect(done.status).toBe(200);
    await world.settle();

    const posted = github.reviewsPosted();
    expect(posted).toHaveLength(1);
    expect(posted[0]!.path).toBe(`/repos/${REPO}/pulls/2/reviews`);
    expect(posted[0]!.body).toMatchObject({ commit_id: HEAD, event: "COMMENT" });
    expect(posted[0]!.body.body).toContain("One real problem.");
    expect(posted[0]!.body.comments).toEqual([
      expect.objectContaining({ path: "src/app.js", line: 13, side: "RIGHT" }),
    ]);
    expect(fakes.unhandled).toEqual([]);
  });
});
