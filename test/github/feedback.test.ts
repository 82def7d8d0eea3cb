import { beforeEach, describe, expect, it } from "vitest";
import { syncReviewFeedback } from "../../src/surfaces/github/feedback";
import { useWorld, type World } from "../helpers/world";
import { answerWith, finding, githubWorld, WS } from "./acme";
import { pullRequestEvent, reviewComment } from "./events";
import { type GitHubFake, REPO } from "./github-fake";

// Feedback on findings, for code-review analytics: replies in a finding's thread (webhooks) and reactions on
// its comment (fetched, since GitHub sends no reaction webhooks), each recorded with the finding's priority.

let fake: GitHubFake;
let world: World;
useWorld(githubWorld, (fresh) => ({ fake, world } = fresh));
beforeEach(async () => {
  world.setAgent(() =>
    answerWith([
      finding({ title: "Debug output", priority: 1, line: 13 }),
      finding({ title: "Broken total", priority: 0, line: 14 }),
    ]),
  );
  await world.send.github("pull_request", pullRequestEvent());
  await world.settle();
  // What GitHub shows of the posted review: its comments, with the ids GitHub gave them.
  const [posted] = fake.reviewsPosted();
  fake.state.reviewComments = posted!.body.comments.map((c: any, i: number) => ({
    id: 501 + i,
    pull_request_review_id: 9001,
    path: c.path,
    line: c.line,
    side: c.side,
    body: c.body,
  }));
});

async function reviewDetail() {
  const [review] = (await (await world.admin(`/workspaces/${WS}/github/reviews`)).json()).items;
  return (await world.admin(`/workspaces/${WS}/github/reviews/${review.id}`)).json();
}

describe("review feedback", () => {
  it("records a reply in a finding's thread with the finding's priority, once", async () => {
    // Comments are sorted P0 first: 501 is "Broken total" (P0), 502 "Debug output" (P1).
    const reply = reviewComment("Good catch, fixed in the next commit.", "Codertocat", 502);
    await world.send.github("pull_request_review_comment", reply);
    await world.send.github("pull_request_review_comment", reply);
    await world.settle();
    const detail = await reviewDetail();
    const debug = detail.findings.find((f: any) => f.title === "Debug output");
    expect(debug).toMatchObject({ commentId: 502, priority: 1 });
    expect(debug.feedback).toEqual([
      {
        kind: "reply",
        content: "Good catch, fixed in the next commit.",
        actorLogin: "Codertocat",
        createdAt: expect.any(Number),
      },
    ]);
    // The review's own comments were read to learn which comment carries which finding.
    expect(
      fake.calls.some(
        (c) => c.path.startsWith(`/repos/${REPO}/pulls/2/reviews/`) && c.path.endsWith("/comments"),
      ),
    ).toBe(true);
    expect(await world.outcomes()).toContainEqual(expect.stringContaining("reply to finding"));
  });

  it("ignores replies to comments that carry no finding", async () => {
    await world.send.github("pull_request_review_comment", reviewComment("me too", "Codertocat", 999));
    await world.settle();
    const detail = await reviewDetail();
    expect(detail.findings.flatMap((f: any) => f.feedback)).toEqual([]);
  });

  it("fetches reactions on finding comments periodically and keeps them current", async () => {
    fake.state.reactions.set(501, [
      { id: 1, content: "+1", user: { login: "Codertocat" } },
      { id: 2, content: "heart", user: { login: "octo-olga" } },
    ]);
    fake.state.reactions.set(502, [{ id: 3, content: "-1", user: { login: "Codertocat" } }]);
    expect(await syncReviewFeedback(world.deps)).toBe(1);
    let detail = await reviewDetail();
    const total = () => detail.findings.find((f: any) => f.title === "Broken total");
    expect(total().feedback.map((f: any) => [f.kind, f.content, f.actorLogin])).toEqual([
      ["reaction", "+1", "Codertocat"],
      ["reaction", "heart", "octo-olga"],
    ]);
    expect(
      detail.findings.find((f: any) => f.title === "Debug output").feedback.map((f: any) => f.content),
    ).toEqual(["-1"]);

    // Synced at most every 15 minutes; a withdrawn reaction disappears at the next sync.
    fake.state.reactions.set(501, [{ id: 1, content: "+1", user: { login: "Codertocat" } }]);
    expect(await syncReviewFeedback(world.deps)).toBe(0);
    world.clock.advance(16 * 60_000);
    expect(await syncReviewFeedback(world.deps)).toBe(1);
    detail = await reviewDetail();
    expect(total().feedback.map((f: any) => f.content)).toEqual(["+1"]);
    // Reactions are read with a read-only token for the one repository.
    const reads = fake.tokens.filter((t) => t.body.permissions.pull_requests === "read");
    expect(reads.every((t) => t.body.repositories[0] === "Hello-World")).toBe(true);
  });

  it("leaves reviews older than two weeks alone", async () => {
    world.clock.advance(15 * 86_400_000);
    expect(await syncReviewFeedback(world.deps)).toBe(0);
  });
});
