import { env } from "cloudflare:test";
import { HttpResponse, http } from "msw";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { API as GITHUB_API, githubFake } from "../github/github-fake";
import { executorHeaders, slackHeaders } from "../helpers/signers";
import { seedWorkspace } from "../helpers/world-seed";
import { BOT, mentionPayload, TEAM } from "../slack/requests";
import { SLACK_API, slackFake } from "../slack/slack-fake";
import { createWorkerWorld, useHttpFakes, type WorkerWorld } from "./worker-world";

// @Codex in Slack, end to end on the Worker: a signed mention in, D1, the queue consumer (processor, task
// runner with the http executor, outbox), the runner's callback landing on the Worker, and the reply posted
// to Slack's Web API (msw fakes answering the Worker's fetches).

const RUNNER = "http://runner.test/tasks";
const ANSWER = "Fixed the flaky login test: the redirect now waits for the session cookie.";

let world: WorkerWorld;
let slack: ReturnType<typeof slackFake>;
let dispatched: { task: { id: string; prompt: string } }[];
let fakes: ReturnType<typeof useHttpFakes>;

beforeEach(async () => {
  slack = slackFake({ U0MAX: "max@acme.test" });
  const github = githubFake({
    access: (login, repository) => (login === "max-gh" && repository === "acme/web" ? "write" : undefined),
  });
  dispatched = [];
  fakes = useHttpFakes([
    ...slack.handlers,
    ...github.handlers,
    http.post(RUNNER, async ({ request }) => {
      dispatched.push((await request.json()) as (typeof dispatched)[number]);
      return new HttpResponse(null, { status: 202 });
    }),
  ]);
  world = createWorkerWorld({
    vars: {
      ...slack.env,
      SLACK_API_URL: SLACK_API,
      GITHUB_APP_ID: "123",
      GITHUB_PRIVATE_KEY: env.TEST_GITHUB_PRIVATE_KEY as string,
      GITHUB_API_URL: GITHUB_API,
      HUB_EXECUTOR_URL: RUNNER,
    },
  });
  await seedWorkspace(world.deps, {
    toggles: { codexCloud: true, githubConnector: true, slackFullAnswers: true },
    owner: { id: "mem_olga", email: "olga@acme.test" },
    members: [{ id: "mem_max", email: "max@acme.test", github: "max-gh" }],
    links: { slackTeam: TEAM, githubInstallation: 77 },
    roles: [{ name: "Builder", permissions: ["codex_cloud"], group: { name: "Builders", members: ["mem_max"] } }],
    environments: [{ id: "env_web", name: "web" }],
  });
});
afterEach(() => fakes.restore());

function mention(text: string) {
  const payload = mentionPayload({ user: "U0MAX", text, channel: "C_GENERAL" });
  const body = JSON.stringify(payload);
  return world.request("/webhooks/slack/events", {
    method: "POST",
    body,
    headers: slackHeaders(body, { secret: "slack-current-secret", at: Date.now() }, "application/json"),
  });
}

function callback(taskId: string, payload: unknown) {
  const body = JSON.stringify(payload);
  return world.request(`/callbacks/tasks/${taskId}`, {
    method: "POST",
    body,
    headers: executorHeaders("test-executor-secret", body, { path: `/callbacks/tasks/${taskId}` }),
  });
}

const posted = () => slack.calls.filter((c) => c.method === "chat.postMessage" || c.method === "chat.update");

describe("a Slack mention on the Worker", () => {
  it("runs on the http runner and posts the runner's answer in the thread", async () => {
    const res = await mention(`<@${BOT}> fix the flaky login test in acme/web`);
    expect(res.status).toBe(200);
    await world.settle();

    expect(dispatched).toHaveLength(1);
    const taskId = dispatched[0]!.task.id;
    expect(dispatched[0]!.task.prompt).toBe("fix the flaky login test in acme/web");
    const [task] = await world.tasks();
    expect(task).toMatchObject({ id: taskId, status: "running", environmentId: "env_web" });

    const done = await callback(taskId, { type: "result", answer: ANSWER });
    expect(done.status).toBe(200);
    await world.settle();

    expect((await world.tasks())[0]).toMatchObject({ status: "completed" });
    const texts = posted().map((c) => `${c.args.text ?? ""} ${c.args.blocks ?? ""}`);
    expect(texts.some((t) => t.includes("Fixed the flaky login test"))).toBe(true);
    expect(slack.calls.filter((c) => c.method === "reactions.add").map((c) => c.args.name)).toContain("eyes");
    expect(fakes.unhandled).toEqual([]);
    expect((await world.outbox()).every((row) => row.status === "sent")).toBe(true);
  });
});
