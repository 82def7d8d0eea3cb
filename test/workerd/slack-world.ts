import { env } from "cloudflare:test";
import { HttpResponse, http, type RequestHandler } from "msw";
import type { HubOptions } from "../../src/hub";
import { API as GITHUB_API, githubFake } from "../github/github-fake";
import { executorHeaders, slackHeaders } from "../helpers/signers";
import { seedWorkspace } from "../helpers/world-seed";
import { BOT, mentionPayload, TEAM } from "../slack/requests";
import { SLACK_API, slackFake } from "../slack/slack-fake";
import { createWorkerWorld, resetD1, useHttpFakes } from "./worker-world";

// Acme's Slack team on the Worker: the Slack and GitHub fakes, a remote runner (the http executor's) that
// accepts every task, and Max, a member allowed to run tasks in `web` (acme/web).

export const RUNNER = "http://runner.test/tasks";
export { BOT };

export async function slackWorkerWorld(
  options: Partial<Pick<HubOptions, "clock">> & { before?: RequestHandler[] } = {},
) {
  await resetD1();
  const slack = slackFake({ U0MAX: "max@acme.test" });
  const github = githubFake({
    access: (login, repository) => (login === "max-gh" && repository === "acme/web" ? "write" : undefined),
  });
  const dispatched: { task: { id: string; prompt: string } }[] = [];
  const fakes = useHttpFakes([
    ...(options.before ?? []),
    ...slack.handlers,
    ...github.handlers,
    http.post(RUNNER, async ({ request }) => {
      dispatched.push((await request.json()) as (typeof dispatched)[number]);
      return new HttpResponse(null, { status: 202 });
    }),
  ]);
  const world = createWorkerWorld({
    clock: options.clock,
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
    roles: [
      { name: "Builder", permissions: ["codex_cloud"], group: { name: "Builders", members: ["mem_max"] } },
    ],
    environments: [{ id: "env_web", name: "web" }],
  });

  return {
    world,
    slack,
    fakes,
    dispatched,
    /** Max mentions @Codex in #general, signed as Slack signs it at `at`. */
    mention(text: string, at = Date.now()) {
      const payload = mentionPayload({ user: "U0MAX", text, channel: "C_GENERAL" });
      const body = JSON.stringify(payload);
      return world.request("/webhooks/slack/events", {
        method: "POST",
        body,
        headers: slackHeaders(body, { secret: "slack-current-secret", at }, "application/json"),
      });
    },
    /** The runner reports back on the Worker, signed with HUB_EXECUTOR_SECRET. */
    callback(taskId: string, payload: unknown) {
      const body = JSON.stringify(payload);
      return world.request(`/callbacks/tasks/${taskId}`, {
        method: "POST",
        body,
        headers: executorHeaders("test-executor-secret", body, { path: `/callbacks/tasks/${taskId}` }),
      });
    },
  };
}
