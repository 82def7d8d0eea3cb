import { describe, expect, it } from "vitest";
import { deliverDue } from "../../src/outbox/worker";
import { githubManifest } from "../../src/surfaces/github/setup";
import { useWorld, type World } from "../helpers/world";
import { answerWith, finding, githubWorld } from "./acme";
import { issueComment, pullRequestEvent } from "./events";
import { type GitHubFake, HEAD, REPO } from "./github-fake";

// People see their task move on GitHub: a review is a "Codex review" check run on the head commit (queued,
// in progress, completed with a conclusion), a `@codex` task's 👀 becomes its outcome, and a failure is said in
// words, never with the agent's raw output.

let fake: GitHubFake;
let world: World;
useWorld(githubWorld, (fresh) => ({ fake, world } = fresh));

const RAW =
  "fatal: could not read Username for 'https://github.com': terminal prompts disabled\n  at git clone";
const steps = () =>
  fake
    .checkRuns()
    .map((c) => `${c.method} ${c.body.status}${c.body.conclusion ? `:${c.body.conclusion}` : ""}`);

/** A review whose check run GitHub has created before the agent starts. */
async function reviewWithCheck() {
  expect((await world.send.github("pull_request", pullRequestEvent())).status).toBe(200);
  await world.process();
  await deliverDue(world.deps);
  expect(steps()).toEqual(["POST queued"]);
}

describe("a review's check run", () => {
  it("goes queued → in progress → completed, linking the task page", async () => {
    world.setAgent((_task, context) => {
      context.onProgress({ type: "status", text: "Reading the diff." });
      context.onProgress({ type: "status", text: "Reading the tests." });
      world.clock.advance(1000);
      return answerWith([]);
    });
    await reviewWithCheck();
    await world.settle();
    expect(steps()).toEqual(["POST queued", "PATCH in_progress", "PATCH completed:success"]);
    const [task] = await world.tasks();
    const [create, started, completed] = fake.checkRuns();
    expect(create!.path).toBe(`/repos/${REPO}/check-runs`);
    expect(create!.body).toMatchObject({
      name: "Codex review",
      head_sha: HEAD,
      details_url: `http://hub.test/tasks/${task!.id}`,
    });
    expect(started!.path).toMatch(new RegExp(`^/repos/${REPO}/check-runs/\\d+$`));
    expect(completed!.path).toBe(started!.path);
    expect(completed!.body.output.summary).toContain(`http://hub.test/tasks/${task!.id}`);
  });

  it("findings posted: neutral, for people to read; in progress even when the agent reports no steps", async () => {
    world.setAgent(() => answerWith([finding()]));
    await reviewWithCheck();
    await world.settle();
    expect(steps()).toEqual(["POST queued", "PATCH in_progress", "PATCH completed:neutral"]);
  });

  it("a review that ended before GitHub created its check run is completed once it has", async () => {
    world.setAgent(() => {
      throw new Error(RAW);
    });
    expect((await world.send.github("pull_request", pullRequestEvent())).status).toBe(200);
    await world.settle();
    expect(steps()).toEqual(["POST queued", "PATCH completed:failure"]);
    const [, completed] = fake.checkRuns();
    expect(completed!.body.output.summary).toContain("could not reach GitHub to clone");
    expect(JSON.stringify(completed!.body)).not.toContain("fatal:");
  });
});

describe("a failure on the pull request", () => {
  it("a failed review says what failed and what to do, without the raw output", async () => {
    world.setAgent(() => {
      throw new Error(RAW);
    });
    expect((await world.send.github("pull_request", pullRequestEvent())).status).toBe(200);
    await world.settle();
    const [comment] = fake.commentsPosted();
    expect(comment!.body.body).toContain("The agent could not reach GitHub to clone the repository");
    expect(comment!.body.body).toContain("Details on the task page.");
    expect(comment!.body.body).not.toContain("fatal:");
    expect(comment!.body.body).not.toContain("terminal prompts");
  });

  it("a failed `@codex` task too", async () => {
    world.setAgent(() => {
      throw new Error(RAW);
    });
    await world.send.github("issue_comment", issueComment("@codex fix the build"));
    await world.settle();
    const [comment] = fake.commentsPosted();
    expect(comment!.body.body).toContain("**What failed:** The agent could not reach GitHub to clone");
    expect(comment!.body.body).not.toContain("fatal:");
  });
});

describe("the 👀 of a `@codex` task", () => {
  // Swapped by the outcome only; a review's state is its check run.
  const reactions = () =>
    fake.calls
      .filter((c) => c.path.includes("/reactions"))
      .map((c) => (c.method === "DELETE" ? `-${c.path.split("/").pop()}` : `+${c.body.content}`));

  it("becomes 🚀 when the task is done", async () => {
    const payload = issueComment("@codex rename `c` to `total`");
    await world.send.github("issue_comment", payload);
    await world.settle();
    const [eyes] = fake.reactionsPosted();
    // The fake's first created id: the 👀, whose id GitHub answered when it was added.
    const eyesId = 9001;
    expect(eyes!.body.content).toBe("eyes");
    // The outcome may land before the 👀 is taken back (the task can end before GitHub answered for the 👀).
    expect(reactions()[0]).toBe("+eyes");
    expect(reactions().sort()).toEqual(["+eyes", "+rocket", `-${eyesId}`].sort());
    expect(fake.reactionsDeleted()[0]!.path).toBe(
      `/repos/${REPO}/issues/comments/${payload.comment.id}/reactions/${eyesId}`,
    );
  });

  it("becomes 😕 when the task failed", async () => {
    world.setAgent(() => {
      throw new Error("boom");
    });
    await world.send.github("issue_comment", issueComment("@codex rename `c` to `total`"));
    await world.settle();
    expect(reactions().sort()).toEqual(["+confused", "+eyes", "-9001"].sort());
  });
});

describe("the App's manifest", () => {
  it("asks to write checks", () => {
    expect(githubManifest(world.deps).default_permissions).toMatchObject({ checks: "write" });
  });
});
