import { describe, expect, it } from "vitest";
import { useWorld, type World } from "../helpers/world";
import { answerWith, finding, githubWorld, patchSettings, storedReviews, WS } from "./acme";
import { issueComment, pullRequestEvent } from "./events";
import { BASE, type GitHubFake, HEAD, REPO } from "./github-fake";

// A finished review on GitHub: one review with inline findings on the lines GitHub accepts, the rest in the
// summary, nothing below the threshold; a 👍 when clean; a failed review (never a half-posted one) when the
// executor's answer is not the findings JSON.

let fake: GitHubFake;
let world: World;
useWorld(githubWorld, (fresh) => ({ fake, world } = fresh));

async function reviewOpenedPullRequest() {
  expect((await world.send.github("pull_request", pullRequestEvent())).status).toBe(200);
  await world.settle();
}

describe("the review task's context", () => {
  it("carries base and head, the diff, and the review rules of AGENTS.md read at the base commit", async () => {
    await reviewOpenedPullRequest();
    const [task] = world.runs;
    expect(task).toMatchObject({
      kind: "review",
      origin: {
        surface: "github",
        repository: REPO,
        prNumber: 2,
        headSha: HEAD,
        baseSha: BASE,
        trigger: "opened",
      },
    });
    expect(task!.context.pullRequest).toMatchObject({ base: { sha: BASE }, head: { sha: HEAD } });
    expect(task!.context.diff).toContain("+++ b/src/app.js\n@@ -10,6 +10,8 @@");
    expect(task!.context.changedFiles).toEqual([
      "modified src/app.js (+3/-1)",
      "added docs/guide.md (+2/-0)",
      "added assets/logo.png (+0/-0)",
    ]);
    // Nearest AGENTS.md wins, read at the base: src/ has its own rules; the head's rewrite is not used.
    const rules = String(task!.context.reviewRules);
    expect(rules).toContain("Src rule");
    expect(rules).toContain("Root rule");
    expect(rules).not.toContain("EVIL");
    const agentReads = fake.calls.filter((c) => c.path.includes("/contents/"));
    expect(new Set(agentReads.map((c) => c.query.ref))).toEqual(new Set([BASE]));
    expect(agentReads.map((c) => c.path).sort()).toEqual(
      [
        "/repos/Codertocat/Hello-World/contents/AGENTS.md",
        "/repos/Codertocat/Hello-World/contents/assets/AGENTS.md",
        "/repos/Codertocat/Hello-World/contents/docs/AGENTS.md",
        "/repos/Codertocat/Hello-World/contents/src/AGENTS.md",
      ].sort(),
    );
  });
});

describe("findings → one GitHub review", () => {
  it("anchors findings on their lines and sides, summarizes the rest, and leaves out what is below P1", async () => {
    world.setAgent(() =>
      answerWith(
        [
          finding({ title: "Debug output", priority: 1, line: 13 }),
          finding({ title: "Range problem", priority: 1, start_line: 12, line: 14 }),
          finding({ title: "Removed constant mattered", priority: 0, line: 12, side: "LEFT" }),
          finding({ title: "Outside the diff", priority: 1, line: 40 }),
          finding({ title: "Binary file", priority: 1, path: "assets/logo.png", line: 1 }),
          finding({ title: "Just a nit", priority: 3, line: 13 }),
        ],
        "Two real problems.",
      ),
    );
    await reviewOpenedPullRequest();
    const posted = fake.reviewsPosted();
    expect(posted).toHaveLength(1);
    const { body } = posted[0]!;
    expect(posted[0]!.path).toBe("/repos/Codertocat/Hello-World/pulls/2/reviews");
    expect(body).toMatchObject({ commit_id: HEAD, event: "COMMENT" });
    expect(body.comments.map((c: any) => ({ ...c, body: undefined }))).toEqual([
      { path: "src/app.js", line: 12, side: "LEFT", body: undefined },
      { path: "src/app.js", line: 13, side: "RIGHT", body: undefined },
      { path: "src/app.js", line: 14, side: "RIGHT", start_line: 12, start_side: "RIGHT", body: undefined },
    ]);
    expect(body.comments[0].body).toContain("P0 Badge");
    expect(body.comments[0].body).toContain("Removed constant mattered");
    expect(body.comments[1].body).toContain("P1 Badge");
    expect(body.body).toContain("Two real problems.");
    expect(body.body).toContain("Outside the diff");
    expect(body.body).toContain("line 40 (new version) is not in the diff");
    expect(body.body).toContain("Binary file");
    expect(body.body).toContain("1 finding below P1 was not posted");
    expect(body.body).not.toContain("Just a nit");
    // No 👍 and no other comment besides the review (the check run aside).
    expect(fake.conversationWrites()).toHaveLength(1);

    const [review] = (await (await world.admin(`/workspaces/${WS}/github/reviews`)).json()).items;
    expect(review).toMatchObject({
      status: "published",
      stats: { inline: 3, summarized: 2, belowThreshold: 1 },
    });
    const detail = await (await world.admin(`/workspaces/${WS}/github/reviews/${review.id}`)).json();
    expect(detail.findings.map((f: any) => [f.priority, f.placement])).toEqual([
      [0, "inline"],
      [1, "inline"],
      [1, "inline"],
      [1, "summary"],
      [1, "summary"],
      [3, "below_threshold"],
    ]);
  });

  it("posts P2 findings too when the repository's threshold is P2", async () => {
    await patchSettings(world, { minPriority: 2 });
    world.setAgent(() => answerWith([finding({ priority: 2 }), finding({ priority: 3, title: "Nit" })]));
    await reviewOpenedPullRequest();
    const [posted] = fake.reviewsPosted();
    expect(posted!.body.comments).toHaveLength(1);
    expect(posted!.body.comments[0].body).toContain("P2 Badge");
    expect(posted!.body.body).toContain("1 finding below P2 was not posted");
  });

  it("reacts 👍 on the pull request instead of reviewing when nothing reaches the threshold", async () => {
    world.setAgent(() => answerWith([finding({ priority: 2 })]));
    await reviewOpenedPullRequest();
    expect(fake.reviewsPosted()).toEqual([]);
    expect(fake.conversationWrites().map((c) => [c.path, c.body])).toEqual([
      ["/repos/Codertocat/Hello-World/issues/2/reactions", { content: "+1" }],
    ]);
    expect((await storedReviews(world))[0]).toMatchObject({ status: "clean" });
  });

  it("reacts 👍 on the asking comment when a requested review is clean", async () => {
    const comment = issueComment("@codex review");
    await world.send.github("issue_comment", comment);
    await world.settle();
    expect(fake.conversationWrites().map((c) => [c.path, c.body])).toEqual([
      [`/repos/Codertocat/Hello-World/issues/comments/${comment.comment.id}/reactions`, { content: "eyes" }],
      [`/repos/Codertocat/Hello-World/issues/comments/${comment.comment.id}/reactions`, { content: "+1" }],
    ]);
  });

  it("turns malformed output into a failed review an admin can see, and posts no review", async () => {
    world.setAgent(() => "Looks good to me! No issues.");
    await reviewOpenedPullRequest();
    expect(fake.reviewsPosted()).toEqual([]);
    const [task] = await world.tasks();
    expect(task).toMatchObject({ status: "failed" });
    expect(task!.error).toContain("not valid JSON");
    const [review] = (await (await world.admin(`/workspaces/${WS}/github/reviews`)).json()).items;
    expect(review).toMatchObject({ status: "failed", taskStatus: "failed" });
    expect(review.error).toContain("not valid JSON");
    // The pull request is told the review failed, once, with a link to the task.
    const comments = fake.commentsPosted();
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body.body).toContain("Codex couldn't finish this review");
    expect(comments[0]!.body.body).toContain(`/tasks/${task!.id}`);
  });

  it("fails a review whose findings break the format (a priority of 5)", async () => {
    world.setAgent(() => answerWith([finding({ priority: 5 })]));
    await reviewOpenedPullRequest();
    expect(fake.reviewsPosted()).toEqual([]);
    expect((await storedReviews(world))[0]).toMatchObject({ status: "failed" });
  });
});

describe("one review per pull request, head commit and trigger", () => {
  it("does nothing more for a redelivery of the same delivery id", async () => {
    const payload = pullRequestEvent();
    const first = await world.send.github("pull_request", payload, "delivery-1");
    const again = await world.send.github("pull_request", payload, "delivery-1");
    expect([first.status, again.status]).toEqual([200, 200]);
    await world.settle();
    expect(await storedReviews(world)).toHaveLength(1);
    expect(world.runs).toHaveLength(1);
    expect(fake.conversationWrites().length).toBeLessThanOrEqual(1);
  });

  it("makes one review of two deliveries for the same head commit", async () => {
    world.setAgent(() => answerWith([finding()]));
    await world.send.github("pull_request", pullRequestEvent(), "delivery-a");
    // Two genuine deliveries differ in their bodies (GitHub stamps the pull request anew); the same body
    // under a new id would be a replay, answered `duplicate` by ingress before any review logic.
    const again = pullRequestEvent();
    again.pull_request.updated_at = "2030-01-01T00:00:00Z";
    await world.send.github("pull_request", again, "delivery-b");
    await world.settle();
    expect(await storedReviews(world)).toHaveLength(1);
    expect(await world.tasks()).toHaveLength(1);
    expect(world.runs).toHaveLength(1);
    expect(fake.reviewsPosted()).toHaveLength(1);
    expect((await world.outcomes()).sort()).toEqual([
      expect.stringContaining("review already started"),
      expect.stringContaining("review started"),
    ]);
  });

  it("supersedes the queued review of an older head when a newer head is pushed", async () => {
    await patchSettings(world, { triggers: ["opened", "synchronize"] });
    world.setAgent(() => answerWith([finding()]));
    const newer = "1".repeat(40);
    await world.send.github("pull_request", pullRequestEvent());
    await world.process();
    await world.send.github("pull_request", pullRequestEvent({ action: "synchronize", head: newer }));
    await world.settle();

    const reviews = await storedReviews(world);
    const old = reviews.find((r) => r.headSha === HEAD)!;
    const current = reviews.find((r) => r.headSha === newer)!;
    expect(old).toMatchObject({ status: "superseded", supersededBy: current.id });
    expect(current).toMatchObject({ status: "published", trigger: "synchronize" });
    const tasks = await world.tasks();
    expect(tasks.find((t) => t.id === old.taskId)).toMatchObject({ status: "cancelled" });
    // Only the newer head was reviewed and published; the cancelled one said nothing.
    expect(world.runs.map((t) => t.id)).toEqual([current.taskId]);
    const posted = fake.reviewsPosted();
    expect(posted).toHaveLength(1);
    expect(posted[0]!.body.commit_id).toBe(newer);
    expect(fake.commentsPosted()).toEqual([]);
  });

  it("keeps both reviews when a second trigger comes for the same head (one per trigger)", async () => {
    await patchSettings(world, { triggers: ["opened", "reopened"] });
    await world.send.github("pull_request", pullRequestEvent());
    await world.send.github("pull_request", pullRequestEvent({ action: "reopened" }));
    await world.process();
    expect((await storedReviews(world)).map((r) => r.trigger).sort()).toEqual(["opened", "reopened"]);
  });
});

describe("least privilege", () => {
  it("asks every token for the one repository and only what each call needs", async () => {
    world.setAgent(() => answerWith([finding()]));
    await reviewOpenedPullRequest();
    expect(fake.tokens.length).toBeGreaterThan(0);
    for (const { installationId, body } of fake.tokens) {
      expect(installationId).toBe("1");
      expect(body.repositories).toEqual(["Hello-World"]);
      expect(Object.keys(body.permissions)).toHaveLength(1);
    }
    expect(fake.tokens.map((t) => t.body.permissions)).toEqual(
      expect.arrayContaining([{ pull_requests: "read" }, { contents: "read" }, { pull_requests: "write" }]),
    );
    expect(fake.tokens.map((t) => t.body.permissions)).not.toContainEqual({ contents: "write" });
    // Tokens are reused: one per permission set, however many calls used it.
    const distinct = new Set(fake.tokens.map((t) => JSON.stringify(t.body.permissions)));
    expect(fake.tokens).toHaveLength(distinct.size);
    expect(fake.calls.length).toBeGreaterThan(fake.tokens.length);
  });
});
