import { describe, expect, it } from "vitest";
import { syncReviewFeedback } from "../../../src/surfaces/github/feedback";
import { storedKey } from "../../admin/helpers";
import { answerWith, finding, githubWorld, patchSettings, storedReviews, WS } from "../../github/acme";
import { issueComment, pullRequestEvent, reviewComment } from "../../github/events";
import type { GitHubFake } from "../../github/github-fake";
import { useWorld, type World } from "../../helpers/world";
import { rebuildFromMigration } from "./helpers";
import { expectedFromRaw } from "./oracle";

// The code-review rollups are kept by the review's own writes (started, settled) and by the feedback the hub
// records (reply webhooks, reactions read back by the feedback loop). Through a real pull request's life they
// must agree with the raw review, finding and feedback rows.

let fake: GitHubFake;
let world: World;
useWorld(githubWorld, (fresh) => ({ fake, world } = fresh));

const DAY = 86_400_000;

async function read(endpoint: string, first: number, last: number) {
  const key = await storedKey(world, ["analytics.read"]);
  const rows: any[] = [];
  let page: string | null = null;
  do {
    const query = `start_time=${first * 86_400}&end_time=${(last + 1) * 86_400}&limit=3${page ? `&page=${page}` : ""}`;
    const res = await world.request(`/api/v1/analytics/codex/workspaces/${WS}/${endpoint}?${query}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const body = (await res.json()) as any;
    expect(res.status, JSON.stringify(body)).toBe(200);
    rows.push(...body.data);
    page = body.next_page;
  } while (page);
  return rows;
}

describe("code-review rollups", () => {
  it("agree with the raw reviews, findings and feedback through a pull request's life", async () => {
    // The story's days are counted by hand below, and the feedback loop's half hour must not cross midnight:
    // begin at the next 09:00 UTC, whatever time the suite runs.
    world.clock.advance((DAY + 9 * 3_600_000 - (world.clock.now() % DAY)) % DAY);
    const first = Math.floor(world.clock.now() / DAY);
    await patchSettings(world, { triggers: ["opened", "synchronize"] });
    // An automatic review: P0 and P1 inline, P2 below the threshold (not posted).
    world.setAgent(() =>
      answerWith([
        finding({ title: "Debug output", priority: 1, line: 13 }),
        finding({ title: "Broken total", priority: 0, line: 14 }),
        finding({ title: "Naming", priority: 2, line: 13 }),
      ]),
    );
    await world.send.github("pull_request", pullRequestEvent());
    await world.settle();
    const [posted] = fake.reviewsPosted();
    fake.state.reviewComments = posted!.body.comments.map((c: any, i: number) => ({
      id: 501 + i,
      pull_request_review_id: 9001,
      path: c.path,
      line: c.line,
      side: c.side,
      body: c.body,
    }));
    // Replies (501 is the P0 finding, 502 the P1): one redelivered, each counted once.
    const thanks = reviewComment("Good catch, fixed in the next commit.", "Codertocat", 502);
    await world.send.github("pull_request_review_comment", thanks);
    await world.send.github("pull_request_review_comment", thanks);
    await world.send.github(
      "pull_request_review_comment",
      reviewComment("This is a false positive.", "octo-olga", 501),
    );
    await world.send.github("pull_request_review_comment", reviewComment("Why is that?", "Codertocat", 501));
    await world.settle();

    // The next day the loop reads reactions: one made the day before (GitHub says when), the rest unknown.
    const reviewedAt = new Date(world.clock.now()).toISOString();
    world.clock.advance(DAY);
    fake.state.reactions.set(501, [
      { id: 1, content: "+1", user: { login: "Codertocat" }, created_at: reviewedAt },
      { id: 2, content: "eyes", user: { login: "octo-olga" } },
    ]);
    fake.state.reactions.set(502, [
      { id: 3, content: "-1", user: { login: "Codertocat" } },
      { id: 4, content: "heart", user: { login: "octo-olga" } },
    ]);
    expect(await syncReviewFeedback(world.deps)).toBe(1);
    // A reaction withdrawn leaves the figures at the next read; reading again changes nothing else.
    fake.state.reactions.set(502, [{ id: 3, content: "-1", user: { login: "Codertocat" } }]);
    world.clock.advance(16 * 60_000);
    expect(await syncReviewFeedback(world.deps)).toBe(1);
    world.clock.advance(16 * 60_000);
    expect(await syncReviewFeedback(world.deps)).toBe(1);

    // A requested review (`@codex review`) that comes back clean, then a push that supersedes a queued review,
    // then a review that fails.
    world.setAgent(() => answerWith([]));
    await world.send.github("issue_comment", issueComment("@codex review"));
    await world.settle();
    world.setAgent(() => answerWith([finding({ title: "Still broken", priority: 0, line: 14 })]));
    await world.send.github(
      "pull_request",
      pullRequestEvent({ action: "synchronize", head: "2".repeat(40) }),
    );
    await world.process();
    await world.send.github(
      "pull_request",
      pullRequestEvent({ action: "synchronize", head: "3".repeat(40) }),
    );
    await world.settle();
    world.clock.advance(DAY);
    world.setAgent(() => "not the findings JSON");
    await world.send.github(
      "pull_request",
      pullRequestEvent({ action: "synchronize", head: "4".repeat(40) }),
    );
    await world.settle();

    const statuses = (await storedReviews(world)).map((r) => r.status).sort();
    expect(statuses).toEqual(["clean", "failed", "published", "published", "superseded"]);
    const last = first + 3;
    const expected = expectedFromRaw(world, WS, first, last);
    expect(await read("code_reviews", first, last)).toEqual(expected.codeReviews);
    expect(await read("code_review_responses", first, last)).toEqual(expected.responses);
    expect(await read("usage", first, last)).toEqual(expected.usage);

    // By hand: day 1 had the automatic review with one P0 and one P1 posted (the P2 was not).
    expect(expected.codeReviews[0]).toMatchObject({
      reviews: 1,
      automatic_reviews: 1,
      review_users: 1,
      reviews_with_findings: 1,
      findings_p0: 1,
      findings_p1: 1,
      findings_p2: 0,
    });
    const p = (day: number, priority: string) =>
      expected.responses.find((r) => r.date === expected.codeReviews[day]!.date && r.priority === priority);
    expect(p(0, "P0")).toMatchObject({
      comments: 1,
      replies_negative: 1,
      replies_neutral: 1,
      reactions_positive: 1,
    });
    expect(p(0, "P1")).toMatchObject({ comments: 1, replies_positive: 1, reactions: 0 });
    expect(p(1, "P0")).toMatchObject({ reactions_neutral: 1, reactions: 1 });
    expect(p(1, "P1")).toMatchObject({ reactions_negative: 1, reactions_positive: 0, negative: 1 });
    expect(expected.codeReviews[1]).toMatchObject({
      reviews: 3,
      requested_reviews: 1,
      automatic_reviews: 2,
      reviews_clean: 1,
      reviews_with_findings: 1,
      reviews_cancelled: 1,
    });
    expect(expected.codeReviews[2]).toMatchObject({ reviews: 1, reviews_failed: 1 });

    // A hub upgraded with this history gets the same figures from the migration's backfill.
    rebuildFromMigration(world);
    expect(await read("code_reviews", first, last)).toEqual(expected.codeReviews);
    expect(await read("code_review_responses", first, last)).toEqual(expected.responses);
    expect(await read("usage", first, last)).toEqual(expected.usage);
  });
});
