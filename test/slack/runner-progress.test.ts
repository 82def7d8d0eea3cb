import { HttpResponse, http } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { deliverDue } from "../../src/outbox/worker";
import { PROGRESS_INTERVAL_MS } from "../../src/surfaces/slack/task-status";
import { useMockServer } from "../helpers/mock-server";
import { executorHeaders } from "../helpers/signers";
import type { World } from "../helpers/world";
import { testSecrets } from "../helpers/world-config";
import { setToggles } from "../helpers/world-seed";
import { seedAcme, slackWorld, WS } from "./acme";
import { BOT, blocksText, mention } from "./requests";
import type { SlackFake } from "./slack-fake";

// A remote runner (the http executor) reports a step through its signed callback; the person who asked in
// Slack sees it in the thread's status message, edited in place, and then the answer.

const RUNNER = "https://runner.test/tasks";
const server = useMockServer();
let hub: World;
let fakes: SlackFake;
afterEach(async () => {
  await hub?.taskRunner.shutdown();
  hub?.close();
});

async function callback(taskId: string, payload: unknown) {
  const body = JSON.stringify(payload);
  const path = `/callbacks/tasks/${taskId}`;
  return hub.request(path, {
    method: "POST",
    body,
    headers: executorHeaders(testSecrets.executorSecret, body, { path }),
  });
}

describe("an http runner's progress", () => {
  it("edits the Slack status message, then the answer is posted", async () => {
    server.use(http.post(RUNNER, () => new HttpResponse(null, { status: 202 })));
    ({ world: hub, fakes } = slackWorld(server, {
      env: { HUB_EXECUTOR: "http", HUB_EXECUTOR_URL: RUNNER },
    }));
    await seedAcme(hub);
    // A channel that gets full answers sees each step's words (link-only channels see only its kind).
    await setToggles(hub.deps, WS, { slackFullAnswers: true });
    await mention(hub, { user: "U0MAX", text: `<@${BOT}> fix the flaky test in acme/web` });
    await hub.process();
    await deliverDue(hub.deps);
    await hub.taskRunner.drain();
    await deliverDue(hub.deps);
    const [task] = await hub.tasks();
    expect(task!.status).toBe("running");

    // The executor's own "Handed to the task runner." took this interval's edit; the runner's step is next.
    hub.clock.advance(PROGRESS_INTERVAL_MS);
    const step = await callback(task!.id, { type: "progress", events: [{ step: "Running the tests" }] });
    expect(step.status).toBe(200);
    await deliverDue(hub.deps);
    const update = fakes.calls.filter((c) => c.method === "chat.update").at(-1);
    expect(blocksText(update!.args.blocks)).toContain("Running the tests");

    expect(
      (await callback(task!.id, { type: "result", status: "completed", answer: "Fixed it." })).status,
    ).toBe(200);
    await hub.settle();
    const answers = fakes.calls.filter(
      (c) => c.method === "chat.postMessage" && (c.args.text ?? "").includes("Fixed it."),
    );
    expect(answers).toHaveLength(1);
  });
});
