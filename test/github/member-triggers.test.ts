import { describe, expect, it } from "vitest";
import { sessionCookieFor } from "../helpers/sign-in";
import { useWorld, type World } from "../helpers/world";
import { githubWorld, patchSettings, storedReviews, WS } from "./acme";
import { pullRequestEvent } from "./events";
import { REPO } from "./github-fake";

// A member chooses the events that start automatic reviews of their own pull requests in a repository, within
// the repository's triggers; the automatic-review decision reads the pull request author's choice.

let world: World;
useWorld(githubWorld, (fresh) => ({ world } = fresh));

const MAX = `/workspaces/${WS}/members/mem_max/github/review-triggers`;

async function send(payload: Record<string, any>) {
  expect((await world.send.github("pull_request", payload)).status).toBe(200);
  await world.process();
}

const choose = (triggers: string[], path = `${MAX}/${REPO}`) =>
  world.admin(path, { method: "PUT", body: JSON.stringify({ triggers }) });

describe("a member's own review triggers", () => {
  it("skips `opened` for an author who chose only `ready_for_review`, and reviews `ready_for_review`", async () => {
    const res = await choose(["ready_for_review"]);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      repository: REPO.toLowerCase(),
      triggers: ["ready_for_review"],
    });

    await send(pullRequestEvent({ action: "opened" }));
    expect(await storedReviews(world)).toHaveLength(0);
    const [skip] = await world.audit("review.skip");
    expect(skip.after).toMatchObject({ reason: "AUTHOR_TRIGGER_NOT_CHOSEN" });
    expect(skip.after.detail).toContain("ready_for_review only");

    await send(pullRequestEvent({ action: "ready_for_review" }));
    const reviews = await storedReviews(world);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ requesterMemberId: "mem_max", trigger: "ready_for_review" });
  });

  it("reviews every push once the repository allows it and the author chose it", async () => {
    await patchSettings(world, { triggers: ["opened", "synchronize"] });
    expect((await choose(["synchronize"])).status).toBe(200);
    await send(pullRequestEvent({ action: "synchronize" }));
    expect(await storedReviews(world)).toHaveLength(1);
  });

  it("turned off in a repository: none of the author's pull requests is reviewed automatically there", async () => {
    expect((await choose([])).status).toBe(200);
    await send(pullRequestEvent({ action: "opened" }));
    expect(await storedReviews(world)).toHaveLength(0);
    const [skip] = await world.audit("review.skip");
    expect(skip.after.detail).toContain("off in this repository");
  });

  it("counts as opting in where only opted-in members are reviewed", async () => {
    await patchSettings(world, { contributors: "opted_in" });
    expect((await choose(["opened"])).status).toBe(200);
    await send(pullRequestEvent({ action: "opened" }));
    expect(await storedReviews(world)).toHaveLength(1);
  });

  it("refuses a trigger the repository does not allow with a 400 naming what it allows, storing nothing", async () => {
    const res = await choose(["ready_for_review", "synchronize"]);
    expect(res.status).toBe(400);
    const body = (await res.json()) as any;
    expect(body.error.code).toBe("invalid_body");
    expect(body.error.message).toContain("does not allow synchronize");
    expect(body.error.message).toContain("it allows opened, ready_for_review");
    expect(body.error.details).toMatchObject({
      refused: ["synchronize"],
      allowed: ["opened", "ready_for_review"],
    });
    expect((await world.admin(MAX)).status).toBe(200);
    expect(((await (await world.admin(MAX)).json()) as any).items).toEqual([]);
    expect(await world.audit("github.review_triggers.update")).toEqual([]);
  });

  it("refuses a body that is not a list of triggers with the JSON error envelope", async () => {
    const res = await world.admin(`${MAX}/${REPO}`, {
      method: "PUT",
      body: JSON.stringify({ triggers: "x" }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      error: { code: expect.any(String), message: expect.any(String) },
    });
  });

  it("audits each change and its reset, who and before → after", async () => {
    await choose(["opened"]);
    await choose(["opened", "ready_for_review"]);
    const del = await world.admin(`${MAX}/${REPO}`, { method: "DELETE" });
    expect(del.status).toBe(200);
    const updates = await world.audit("github.review_triggers.update");
    expect(updates.map((u) => [u.before, u.after])).toEqual([
      [null, { triggers: ["opened"] }],
      [{ triggers: ["opened"] }, { triggers: ["opened", "ready_for_review"] }],
    ]);
    const [cleared] = await world.audit("github.review_triggers.clear");
    expect(cleared).toMatchObject({ actor: "api_key:bootstrap", target: `mem_max ${REPO.toLowerCase()}` });
  });

  it("lets a member read their own choices as `me`, and not another member's", async () => {
    await choose(["opened"]);
    const cookie = await sessionCookieFor(world.deps, { provider: "github", subject: "codertocat" });
    const mine = await world.request(`/api/v1/workspaces/${WS}/members/me/github/review-triggers`, {
      headers: { cookie },
    });
    expect(mine.status).toBe(200);
    expect(((await mine.json()) as any).items).toMatchObject([{ triggers: ["opened"] }]);
    const theirs = await world.request(`/api/v1/workspaces/${WS}/members/mem_olga/github/review-triggers`, {
      headers: { cookie },
    });
    expect(theirs.status).toBe(403);
    expect(((await theirs.json()) as any).error.message).toContain("only your own");
  });
});
