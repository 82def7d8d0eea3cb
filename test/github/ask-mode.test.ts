import { HttpResponse, http } from "msw";
import { beforeEach, describe, expect, it } from "vitest";
import { executorHeaders } from "../helpers/signers";
import { useWorld, type World } from "../helpers/world";
import { githubWorld, WS } from "./acme";
import { issueComment } from "./events";
import type { GitHubFake } from "./github-fake";

// `@codex ask: …` on a pull request, handed to a remote runner (the http executor): the runner is told the
// task's mode and that it may not write, and the answer on the pull request says it was an Ask task.

const RUNNER = "https://runner.test/tasks";
let fake: GitHubFake;
let world: World;
let sent: Record<string, any>[];
const server = useWorld(
  (s) => githubWorld(s, { env: { HUB_EXECUTOR: "http", HUB_EXECUTOR_URL: RUNNER } }),
  (fresh) => ({ fake, world } = fresh),
);
beforeEach(() => {
  sent = [];
  server.use(
    http.post(RUNNER, async ({ request }) => {
      sent.push((await request.json()) as Record<string, any>);
      return new HttpResponse(null, { status: 202 });
    }),
  );
});

async function comment(body: string) {
  expect((await world.send.github("issue_comment", issueComment(body))).status).toBe(200);
  await world.settle();
}

/** The runner's signed result, as a remote runner sends it. */
async function finish(taskId: string, answer: string) {
  const body = JSON.stringify({ type: "result", answer });
  const path = `/callbacks/tasks/${taskId}`;
  const res = await world.request(path, {
    method: "POST",
    body,
    headers: executorHeaders(world.secrets.executorSecret, body, { path }),
  });
  expect(res.status).toBe(200);
  await world.settle();
}

describe("@codex ask: on a pull request", () => {
  it("tells the runner mode ask with no write access, and answers as an Ask task", async () => {
    await comment("@codex ask: why is `c` computed twice?");
    const [task] = world.tasks();
    expect(task).toMatchObject({ mode: "ask", prompt: "why is `c` computed twice?" });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      mode: "ask",
      task: { id: task!.id, mode: "ask", prompt: "why is `c` computed twice?" },
      environment: { canWrite: false, noWriteReason: expect.stringContaining("Ask task") },
    });

    await finish(task!.id, "It is computed once per branch of the `if`.");
    const [reply] = fake.commentsPosted();
    expect(reply!.body.body).toMatch(/^✅ \*\*Completed \(Ask mode\):\*\* why is/);
    expect(reply!.body.body).toContain("computed once per branch");
  });

  it("sends mode code for a plain request, and for code: where the environment defaults to Ask", async () => {
    // Each is answered before the next, so none waits behind the queue's limits on running tasks.
    const answered = async (body: string) => {
      await comment(body);
      await finish(sent.at(-1)!.task.id, "Done.");
    };
    await answered("@codex rename `c` to `total`");
    const patched = await world.admin(`/workspaces/${WS}/environments/env_hello`, {
      method: "PATCH",
      body: JSON.stringify({ defaultMode: "ask" }),
    });
    expect(patched.status).toBe(200);
    await answered("@codex what does `c` hold?");
    await answered("@codex code: rename `c` to `sum`");
    expect(sent.map((s) => [s.task.prompt, s.mode, s.environment.canWrite])).toEqual([
      ["rename `c` to `total`", "code", true],
      ["what does `c` hold?", "ask", false],
      ["rename `c` to `sum`", "code", true],
    ]);
  });
});
