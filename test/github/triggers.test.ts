import { describe, expect, it } from "vitest";
import { workspaces } from "../../src/db/schema/workspaces";
import { invalidateSnapshot } from "../../src/workspace/snapshot";
import { useWorld, type World } from "../helpers/world";
import { githubWorld, patchSettings, storedReviews, WS } from "./acme";
import { pullRequestEvent } from "./events";
import { APP_LOGIN, type GitHubFake } from "./github-fake";

// Automatic reviews: every trigger against the repository's settings ends in a review (a review task and
// row) or a skip recorded with its reason in the audit log (`review.skip`), never silently.

let fake: GitHubFake;
let world: World;
useWorld(githubWorld, (fresh) => ({ fake, world } = fresh));

async function send(payload: Record<string, any>) {
  const res = await world.send.github("pull_request", payload);
  expect(res.status).toBe(200);
  await world.process();
}

async function outcome(): Promise<"review" | string> {
  const reviews = await storedReviews(world);
  const skips = await world.audit("review.skip");
  if (reviews.length > 0 && skips.length === 0) return "review";
  if (reviews.length === 0 && skips.length === 1) return skips[0].after.reason as string;
  return `unexpected: ${reviews.length} reviews, ${skips.length} skips`;
}

describe("automatic review triggers × repository settings", () => {
  const cases: {
    name: string;
    settings?: Record<string, unknown>;
    event: Parameters<typeof pullRequestEvent>[0];
    expected: string;
  }[] = [
    { name: "opened, defaults", event: { action: "opened" }, expected: "review" },
    { name: "ready_for_review, defaults", event: { action: "ready_for_review" }, expected: "review" },
    {
      name: "reopened, not enabled by default",
      event: { action: "reopened" },
      expected: "TRIGGER_NOT_ENABLED",
    },
    {
      name: "reopened, enabled",
      settings: { triggers: ["reopened"] },
      event: { action: "reopened" },
      expected: "review",
    },
    {
      name: "synchronize, not enabled by default",
      event: { action: "synchronize" },
      expected: "TRIGGER_NOT_ENABLED",
    },
    {
      name: "synchronize, enabled",
      settings: { triggers: ["synchronize"] },
      event: { action: "synchronize" },
      expected: "review",
    },
    {
      name: "review_requested from this App",
      settings: { triggers: ["review_requested"] },
      event: { action: "review_requested", requestedReviewer: APP_LOGIN },
      expected: "review",
    },
    {
      name: "opened, repository reviews off",
      settings: { reviewEnabled: false },
      event: {},
      expected: "REVIEW_DISABLED",
    },
    {
      name: "opened, automatic reviews off",
      settings: { autoReview: false },
      event: {},
      expected: "AUTO_REVIEW_OFF",
    },
    { name: "opened as a draft", event: { draft: true }, expected: "DRAFT" },
    {
      name: "opened as a draft, drafts reviewed",
      settings: { skipDrafts: false },
      event: { draft: true },
      expected: "review",
    },
    {
      name: "base branch outside the globs",
      settings: { baseBranchGlobs: ["main", "release/*"] },
      event: { base: "master" },
      expected: "BASE_BRANCH_FILTERED",
    },
    {
      name: "base branch matching a glob",
      settings: { baseBranchGlobs: ["ma*"] },
      event: { base: "master" },
      expected: "review",
    },
    {
      name: "a label that skips",
      settings: { skipLabels: ["WIP"] },
      event: { labels: ["bug", "wip"] },
      expected: "LABEL_SKIPPED",
    },
    {
      name: "a title keyword that skips",
      settings: { skipTitleKeywords: ["[skip review]"] },
      event: { title: "Docs [Skip Review]" },
      expected: "TITLE_SKIPPED",
    },
    {
      name: "an ignored author",
      settings: { ignoreAuthors: ["CODERTOCAT"] },
      event: {},
      expected: "AUTHOR_IGNORED",
    },
    {
      name: "a bot author",
      event: { author: { login: "renovate[bot]", type: "Bot" } },
      expected: "BOT_AUTHOR",
    },
    {
      name: "a pull request by this App",
      event: { author: { login: APP_LOGIN, type: "Bot" } },
      expected: "OWN_APP_AUTHOR",
    },
    {
      name: "an event this App caused",
      event: { sender: { login: APP_LOGIN, type: "Bot" } },
      expected: "SENDER_IS_APP",
    },
    {
      name: "opted-in only, author did not opt in",
      settings: { contributors: "opted_in" },
      event: {},
      expected: "AUTHOR_NOT_OPTED_IN",
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      if (c.settings) expect((await patchSettings(world, c.settings)).status).toBe(200);
      await send(pullRequestEvent(c.event));
      expect(await outcome()).toBe(c.expected);
    });
  }

  it("records the reason in the audit log, readable through the API, and in the inbox outcome", async () => {
    await patchSettings(world, { skipLabels: ["bug"] });
    await send(pullRequestEvent());
    const [skip] = await world.audit("review.skip");
    expect(skip.after).toMatchObject({
      reason: "LABEL_SKIPPED",
      detail: 'label "bug" skips reviews',
      action: "opened",
    });
    const res = await world.admin(`/workspaces/${WS}/audit`);
    const items = ((await res.json()) as { items: any[] }).items;
    expect(items.find((i) => i.action === "review.skip")).toMatchObject({
      target: "Codertocat/Hello-World#2@ec26c3e",
      after: { reason: "LABEL_SKIPPED" },
    });
    expect(await world.outcomes()).toEqual([expect.stringContaining(`review skipped (LABEL_SKIPPED)`)]);
    expect((await world.outcomes())[0]).toContain(skip.id);
  });

  it("skips everything while the workspace's code review switch is off", async () => {
    await world.database.db.update(workspaces).set({ codeReview: false });
    await invalidateSnapshot(world.deps, WS);
    await send(pullRequestEvent());
    expect(await outcome()).toBe("WORKSPACE_REVIEW_OFF");
  });

  it("reviews a draft once it is marked ready for review", async () => {
    await send(pullRequestEvent({ draft: true }));
    expect(await storedReviews(world)).toHaveLength(0);
    await send(pullRequestEvent({ action: "ready_for_review" }));
    const reviews = await storedReviews(world);
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ trigger: "ready_for_review", status: "pending" });
  });

  it("ignores a review requested from someone else", async () => {
    await patchSettings(world, { triggers: ["review_requested"] });
    await send(pullRequestEvent({ action: "review_requested", requestedReviewer: "octo-olga" }));
    expect(await storedReviews(world)).toHaveLength(0);
    expect(await world.outcomes()).toEqual([expect.stringContaining("someone other than Codex")]);
  });

  it("reviews an allow-listed bot's pull request", async () => {
    const bot = { login: "dependabot[bot]", type: "Bot" };
    await send(pullRequestEvent({ author: bot, sender: bot }));
    expect(await storedReviews(world)).toHaveLength(0);
    expect(
      (await world.admin(`/workspaces/${WS}/github/bots/dependabot[bot]`, { method: "PUT" })).status,
    ).toBe(200);
    // An allowed bot is not a member: its pull requests are the workspace's reviews (everyone's PRs).
    await send(pullRequestEvent({ author: bot, sender: bot, head: "b".repeat(40) }));
    const [review] = await storedReviews(world);
    expect(review).toMatchObject({ requesterMemberId: "mem_olga" });
  });
});

describe("whose pull requests: opted-in members or everyone", () => {
  it("reviews a member's pull request once they opt in", async () => {
    await patchSettings(world, { contributors: "opted_in" });
    await send(pullRequestEvent());
    expect(await outcome()).toBe("AUTHOR_NOT_OPTED_IN");
    const optIn = await world.admin(`/workspaces/${WS}/members/mem_max/github/review-opt-in`, {
      method: "PUT",
      body: JSON.stringify({ enabled: true }),
    });
    expect(optIn.status).toBe(200);
    await send(pullRequestEvent({ action: "ready_for_review" }));
    const [review] = await storedReviews(world);
    expect(review).toMatchObject({ requesterMemberId: "mem_max", trigger: "ready_for_review" });
  });

  it("never reviews a non-member's pull request when only opted-in members are", async () => {
    await patchSettings(world, { contributors: "opted_in" });
    await send(pullRequestEvent({ author: { login: "outsider" }, sender: { login: "outsider" } }));
    expect(await outcome()).toBe("AUTHOR_NOT_OPTED_IN");
  });

  it("reviews an outside contributor's pull request as the workspace's review when everyone's PRs are", async () => {
    await send(pullRequestEvent({ author: { login: "outsider" }, sender: { login: "outsider" } }));
    const [review] = await storedReviews(world);
    expect(review).toMatchObject({ requesterMemberId: "mem_olga", status: "pending" });
    const [decision] = await world.audit("decision.review.request");
    expect(decision.decision).toMatchObject({ allowed: true });
    // The outsider's login is not asked about: the installation's access stands for the workspace.
    expect(fake.calls.filter((c) => c.path.includes("/collaborators/"))).toEqual([]);
  });

  it("checks a member author's own access: no repository access on GitHub, no automatic review", async () => {
    fake.state.permissions.delete("codertocat");
    await send(pullRequestEvent());
    expect(await outcome()).toBe("ACCESS_DENIED");
    const [skip] = await world.audit("review.skip");
    expect(skip.after.detail).toContain("REPO_NO_ACCESS");
    expect(skip.after.decisionId).toMatch(/^aud_/);
    // An automatic review that was not asked for is not explained on the pull request.
    expect(fake.writes()).toEqual([]);
  });
});
