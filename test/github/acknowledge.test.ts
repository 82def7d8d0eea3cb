import { describe, expect, it } from "vitest";
import { useWorld, type World } from "../helpers/world";
import { githubWorld, patchSettings } from "./acme";
import { issueComment, reviewComment } from "./events";
import { type GitHubFake, REPO } from "./github-fake";

// 👀 on a pull request comment means "working on it": a person who is refused reads the refusal and nothing
// else, and an allowed request is acknowledged only once GitHub has answered for the commenter's access.

let fake: GitHubFake;
let world: World;
useWorld(githubWorld, (fresh) => ({ fake, world } = fresh));

async function comment(payload: Record<string, any>, event = "issue_comment") {
  expect((await world.send.github(event, payload)).status).toBe(200);
  await world.settle();
}

const permissionCheck = (login: string) => `/repos/${REPO}/collaborators/${login}/permission`;
const seen = () => fake.calls.map((c) => `${c.method} ${c.path}`);

describe("👀 on a pull request comment", () => {
  it.each([
    ["review by someone who is not a member", "@codex review", "stranger-gh"],
    ["review by a member without repository access", "@codex review", "nora-gh"],
    ["task by someone who is not a member", "@codex fix the build", "stranger-gh"],
    ["task by a member without repository access", "@codex fix the build", "nora-gh"],
  ])("%s: only the refusal, no 👀", async (_case, body, login) => {
    await comment(issueComment(body, login));
    expect(fake.reactionsPosted()).toEqual([]);
    expect(fake.writes()).toHaveLength(1);
    expect(fake.commentsPosted()[0]!.body.body).toMatch(new RegExp(`^@${login} `));
    expect(await world.tasks()).toEqual([]);
  });

  it("a review where the repository's reviews are off: told so, no 👀", async () => {
    await patchSettings(world, { reviewEnabled: false });
    await comment(reviewComment("@codex review"), "pull_request_review_comment");
    expect(fake.reactionsPosted()).toEqual([]);
    expect(fake.commentsPosted()[0]!.body.body).toContain("Code review is turned off");
  });

  it("an allowed task: 👀 after GitHub was asked for the commenter's access, before the answer", async () => {
    const payload = issueComment("@codex rename `c` to `total`");
    await comment(payload);
    const calls = seen();
    const asked = calls.indexOf(`GET ${permissionCheck("Codertocat")}`);
    const eyes = calls.indexOf(`POST /repos/${REPO}/issues/comments/${payload.comment.id}/reactions`);
    const answer = calls.findIndex((c) => /^POST .*\/issues\/\d+\/comments$/.test(c));
    expect(asked).toBeGreaterThanOrEqual(0);
    expect(eyes).toBeGreaterThan(asked);
    expect(answer).toBeGreaterThan(eyes);
    expect(fake.reactionsPosted().filter((c) => c.body.content === "eyes")).toHaveLength(1);
  });
});
