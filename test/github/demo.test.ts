import { afterEach, describe, expect, it } from "vitest";
import { listSandboxOutbound } from "../../src/clients/sandbox";
import { createCommandExecutor } from "../../src/runtime/executors/command";
import { demoAgentCommand } from "../../src/runtime/executors/node-executors";
import { githubExample } from "../helpers/github-examples";
import { createWorld, type World } from "../helpers/world";

// `npm run demo` sends pull_request.opened on Codertocat/Hello-World#2 from installation 1 (the second
// `opened` example of @octokit/webhooks-examples) to a sandbox hub, whose agent is the demo agent: the pull
// request must come back reviewed, with an inline finding, all without any account.

let world: World | undefined;
afterEach(() => world?.close());

describe("the sandbox demo's pull request", () => {
  it("is reviewed end to end by the demo agent", async () => {
    world = createWorld({
      executor: createCommandExecutor({ command: demoAgentCommand(), env: { PATH: process.env.PATH ?? "" } }),
    });
    const { database } = world;
    expect(world.deps.config.sandbox).toBe(true);
    await world.ready;

    const payload = githubExample("pull_request", "opened", 1);
    expect((await world.send.github("pull_request", payload, "demo-1")).status).toBe(200);
    await world.settle();

    const calls = (await listSandboxOutbound(database, 50)).reverse();
    const review = calls.find(
      (c) => c.operation === "POST /repos/{owner}/{repo}/pulls/{pull_number}/reviews",
    );
    expect(review?.request).toMatchObject({
      installationId: 1,
      repository: "Codertocat/Hello-World",
      pull_number: 2,
      commit_id: payload.pull_request.head.sha,
      event: "COMMENT",
      comments: [{ path: "hello.js", line: 2, side: "RIGHT" }],
    });
    // It read the pull request's files and the AGENTS.md of the base commit first.
    expect(calls.map((c) => c.operation)).toEqual(
      expect.arrayContaining([
        "GET /repos/{owner}/{repo}/pulls/{pull_number}/files",
        "GET /repos/{owner}/{repo}/contents/{path}",
      ]),
    );
  });
});
