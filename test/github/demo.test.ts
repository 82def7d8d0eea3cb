import { afterEach, describe, expect, it } from "vitest";
import { listSandboxOutbound } from "../../src/clients/sandbox";
import { createHub } from "../../src/hub";
import { manualClock } from "../../src/lib/clock";
import { silentLogger } from "../../src/lib/logger";
import { deliverDue } from "../../src/outbox/worker";
import { openNodeDatabase } from "../../src/runtime/node-db";
import { createNodeMetrics } from "../../src/runtime/node-metrics";
import { createCommandExecutor } from "../../src/tasks/executors/command";
import { demoAgentCommand } from "../../src/tasks/executors/node-executors";
import { ensureLocalWorkspace } from "../../src/workspace/workspaces";
import { testConfig, testSecrets } from "../helpers/app";
import { githubExample } from "../helpers/github-examples";
import { githubRequest } from "../helpers/signers";

// `npm run demo` sends pull_request.opened on Codertocat/Hello-World#2 from installation 1 (the second
// `opened` example of @octokit/webhooks-examples) to a sandbox hub, whose agent is the demo agent: the pull
// request must come back reviewed, with an inline finding, all without any account.

let close: (() => void) | undefined;
afterEach(() => close?.());

describe("the sandbox demo's pull request", () => {
  it("is reviewed end to end by the demo agent", async () => {
    const database = openNodeDatabase(":memory:");
    close = () => database.close();
    const hub = createHub({
      metrics: createNodeMetrics({ thread: "http" }).metrics,
      config: testConfig(),
      database,
      clock: manualClock(Date.now()),
      logger: silentLogger,
      executor: createCommandExecutor({ command: demoAgentCommand(), env: { PATH: process.env.PATH ?? "" } }),
    });
    expect(hub.deps.config.sandbox).toBe(true);
    await ensureLocalWorkspace(hub.deps);

    const payload = githubExample("pull_request", "opened", 1);
    const init = await githubRequest(payload, {
      event: "pull_request",
      delivery: "demo-1",
      secret: testSecrets.github.current,
    });
    expect((await hub.app.request("/webhooks/github", init)).status).toBe(200);
    await hub.processor.drain();
    await hub.taskRunner.drain();
    await deliverDue(hub.deps);

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
