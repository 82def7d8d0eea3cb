import { describe, expect, it } from "vitest";
import { deliverDue } from "../../src/outbox/worker";
import { useWorld, type World } from "../helpers/world";
import { deferred } from "../tasks/fixtures";
import { answerWith, finding, githubWorld, WS } from "./acme";
import { issueComment, pullRequestEvent } from "./events";
import type { GitHubFake } from "./github-fake";

// Usage limits on GitHub: a review or `@codex` task over a limit waits, the pull request is told once where it
// stands (a comment), and it runs in turn: the review is published as usual.

let fake: GitHubFake;
let world: World;
useWorld(githubWorld, (fresh) => ({ fake, world } = fresh));

const setLimits = (body: Record<string, unknown>) =>
  world.admin(`/workspaces/${WS}/task-limits`, { method: "PUT", body: JSON.stringify(body) });

/** A webhook in, processed, one turn of the runner, and what it queued sent. */
async function deliver(event: string, payload: Record<string, any>) {
  expect((await world.send.github(event, payload)).status).toBe(200);
  await world.process();
  await world.taskRunner.tick();
  await deliverDue(world.deps);
}

const queuedComments = () =>
  fake
    .commentsPosted()
    .map((c) => String(c.body.body))
    .filter((body) => body.includes("queued."));

describe("a review over the workspace's daily review limit", () => {
  it("is told on the pull request when the limit resets, then reviewed after 00:00 UTC", async () => {
    world.setAgent(() => answerWith([finding()]));
    expect((await setLimits({ reviewsPerDay: 1 })).status).toBe(200);
    await deliver("pull_request", pullRequestEvent({ action: "opened" }));
    await world.settle();
    expect(fake.reviewsPosted()).toHaveLength(1);

    await deliver("issue_comment", issueComment("@codex review"));
    expect(queuedComments()).toEqual([
      expect.stringMatching(
        /^⏳ \*\*Review queued\.\*\* Your workspace has used its 1 review for today; this one starts after 00:00 UTC\. .*\[View the task\]\(http:\/\/hub\.test\/tasks\/tsk_\w+\)$/,
      ),
    ]);
    await world.settle();
    expect(fake.reviewsPosted()).toHaveLength(1);

    world.clock.set((Math.floor(world.clock.now() / 86_400_000) + 1) * 86_400_000);
    await world.settle();
    expect(fake.reviewsPosted()).toHaveLength(2);
    expect(queuedComments()).toHaveLength(1);
    expect((await world.tasks()).map((t) => [t.kind, t.status])).toEqual([
      ["review", "completed"],
      ["review", "completed"],
    ]);
  });
});

describe("a @codex task over the workspace's concurrency limit", () => {
  it("is told its place in line once, and runs when the first one ends", async () => {
    const gate = deferred<void>();
    world.setAgent(async (task) => {
      await gate.promise;
      return task.kind === "review" ? answerWith([]) : "Done: fixed.";
    });
    await setLimits({ maxRunning: 1 });
    await deliver("issue_comment", issueComment("@codex fix the typo in the README"));
    await deliver("issue_comment", issueComment("@codex add a test for start()"));
    expect(queuedComments()).toEqual([
      expect.stringContaining("**Task queued.** Next in line; your workspace runs 1 task at a time."),
    ]);
    await world.taskRunner.tick();
    await deliverDue(world.deps);
    expect(queuedComments()).toHaveLength(1);

    gate.resolve();
    await world.settle();
    expect((await world.tasks()).map((t) => t.status)).toEqual(["completed", "completed"]);
    const answers = fake.commentsPosted().filter((c) => String(c.body.body).includes("Done: fixed."));
    expect(answers).toHaveLength(2);
  });
});
