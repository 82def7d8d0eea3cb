import { describe, expect, it } from "vitest";
import { matchGlob } from "../../src/routing/github-glob";
import {
  defaultRepoReviewSettings,
  evaluateReviewTrigger,
  type PullRequestEventInput,
  REVIEW_TRIGGERS,
  type RepoReviewSettings,
  type ReviewTriggerContext,
  repoReviewSettingsSchema,
  reviewDedupeKey,
  reviewPullKey,
} from "../../src/routing/review-triggers";

const pr = (over: Partial<PullRequestEventInput> = {}): PullRequestEventInput => ({
  action: "opened",
  draft: false,
  baseRef: "main",
  headSha: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
  labels: [],
  title: "Add retry budget to the outbox",
  authorLogin: "octocat",
  authorIsBot: false,
  ...over,
});

const settings = (over: Partial<RepoReviewSettings> = {}): RepoReviewSettings => ({
  ...defaultRepoReviewSettings,
  ...over,
});

const ctx = (over: Partial<ReviewTriggerContext> = {}): ReviewTriggerContext => ({
  workspaceCodeReview: true,
  authorOptedIn: false,
  appLogin: "codex-hub[bot]",
  ...over,
});

const reasonOf = (d: ReturnType<typeof evaluateReviewTrigger>) => (d.review ? "REVIEW" : d.reason);

describe("defaults", () => {
  it("reviews opened and ready_for_review, skips drafts, posts P0 and P1", () => {
    expect(defaultRepoReviewSettings).toEqual({
      reviewEnabled: true,
      autoReview: true,
      triggers: ["opened", "ready_for_review"],
      contributors: "all",
      skipDrafts: true,
      baseBranchGlobs: [],
      skipLabels: [],
      skipTitleKeywords: [],
      ignoreAuthors: [],
      minPriority: 1,
    });
    expect(() => (defaultRepoReviewSettings.triggers as string[]).push("synchronize")).toThrow();
  });

  it("the settings schema rejects unknown triggers and priorities out of range", () => {
    expect(repoReviewSettingsSchema.safeParse({ triggers: ["pushed"] }).success).toBe(false);
    expect(repoReviewSettingsSchema.safeParse({ minPriority: 4 }).success).toBe(false);
    expect(repoReviewSettingsSchema.parse({ triggers: ["synchronize", "synchronize"] }).triggers).toEqual([
      "synchronize",
    ]);
  });
});

describe("each trigger × trigger setting", () => {
  const cases = REVIEW_TRIGGERS.flatMap((action) => [true, false].map((enabled) => ({ action, enabled })));
  it.each(cases)("$action with trigger enabled=$enabled", ({ action, enabled }) => {
    const triggers = enabled ? [action] : REVIEW_TRIGGERS.filter((t) => t !== action);
    const input = pr({ action, requestedReviewerIsApp: action === "review_requested" ? true : undefined });
    const d = evaluateReviewTrigger(input, settings({ triggers }), ctx());
    if (enabled) expect(d).toEqual({ review: true, trigger: action });
    else expect(reasonOf(d)).toBe("TRIGGER_NOT_ENABLED");
  });

  it.each(["closed", "edited", "labeled", "converted_to_draft", "assigned"])(
    "%s never starts a review",
    (action) => {
      const d = evaluateReviewTrigger(pr({ action }), settings({ triggers: [...REVIEW_TRIGGERS] }), ctx());
      expect(reasonOf(d)).toBe("ACTION_NOT_A_TRIGGER");
    },
  );

  it("review_requested counts only when Codex is the requested reviewer", () => {
    const s = settings({ triggers: ["review_requested"] });
    expect(reasonOf(evaluateReviewTrigger(pr({ action: "review_requested" }), s, ctx()))).toBe(
      "ACTION_NOT_A_TRIGGER",
    );
    expect(
      reasonOf(
        evaluateReviewTrigger(pr({ action: "review_requested", requestedReviewerIsApp: false }), s, ctx()),
      ),
    ).toBe("ACTION_NOT_A_TRIGGER");
    expect(
      evaluateReviewTrigger(pr({ action: "review_requested", requestedReviewerIsApp: true }), s, ctx())
        .review,
    ).toBe(true);
  });
});

describe("switches", () => {
  it("workspace code review off wins over everything else", () => {
    const d = evaluateReviewTrigger(
      pr(),
      settings({ reviewEnabled: false }),
      ctx({ workspaceCodeReview: false }),
    );
    expect(reasonOf(d)).toBe("WORKSPACE_REVIEW_OFF");
  });
  it("repository review disabled", () => {
    expect(reasonOf(evaluateReviewTrigger(pr(), settings({ reviewEnabled: false }), ctx()))).toBe(
      "REVIEW_DISABLED",
    );
  });
  it("automatic reviews off skips every event", () => {
    for (const action of REVIEW_TRIGGERS) {
      const input = pr({ action, requestedReviewerIsApp: true });
      const d = evaluateReviewTrigger(
        input,
        settings({ autoReview: false, triggers: [...REVIEW_TRIGGERS] }),
        ctx(),
      );
      expect(reasonOf(d)).toBe("AUTO_REVIEW_OFF");
    }
  });
});

describe("drafts", () => {
  it("a draft opened is skipped, and reviewed once marked ready", () => {
    expect(reasonOf(evaluateReviewTrigger(pr({ draft: true }), settings(), ctx()))).toBe("DRAFT");
    const ready = evaluateReviewTrigger(pr({ action: "ready_for_review", draft: false }), settings(), ctx());
    expect(ready).toEqual({ review: true, trigger: "ready_for_review" });
  });
  it("ready_for_review does nothing when that trigger is off", () => {
    const d = evaluateReviewTrigger(
      pr({ action: "ready_for_review" }),
      settings({ triggers: ["opened"] }),
      ctx(),
    );
    expect(reasonOf(d)).toBe("TRIGGER_NOT_ENABLED");
  });
  it("pushes to a draft are skipped; drafts are reviewed when skipDrafts is off", () => {
    const s = settings({ triggers: ["synchronize", "opened"] });
    expect(reasonOf(evaluateReviewTrigger(pr({ action: "synchronize", draft: true }), s, ctx()))).toBe(
      "DRAFT",
    );
    const d = evaluateReviewTrigger(pr({ draft: true }), { ...s, skipDrafts: false }, ctx());
    expect(d.review).toBe(true);
  });
});

describe("authors", () => {
  it("this app's own pull requests are never reviewed, even if allow-listed as a bot", () => {
    const input = pr({ authorLogin: "Codex-Hub[bot]", authorIsBot: true });
    const d = evaluateReviewTrigger(input, settings(), ctx({ allowedBots: ["codex-hub[bot]"] }));
    expect(reasonOf(d)).toBe("OWN_APP_AUTHOR");
  });
  it("other bots are skipped unless allow-listed", () => {
    const input = pr({ authorLogin: "dependabot[bot]", authorIsBot: true });
    expect(reasonOf(evaluateReviewTrigger(input, settings(), ctx()))).toBe("BOT_AUTHOR");
    expect(evaluateReviewTrigger(input, settings(), ctx({ allowedBots: ["Dependabot[bot]"] })).review).toBe(
      true,
    );
  });
  it("ignored authors match case-insensitively", () => {
    const d = evaluateReviewTrigger(
      pr({ authorLogin: "OctoCat" }),
      settings({ ignoreAuthors: ["octocat"] }),
      ctx(),
    );
    expect(d).toMatchObject({ review: false, reason: "AUTHOR_IGNORED" });
  });
  it("opted_in reviews only members who opted in; all reviews everyone", () => {
    const optedIn = settings({ contributors: "opted_in" });
    expect(reasonOf(evaluateReviewTrigger(pr(), optedIn, ctx({ authorOptedIn: false })))).toBe(
      "AUTHOR_NOT_OPTED_IN",
    );
    expect(evaluateReviewTrigger(pr(), optedIn, ctx({ authorOptedIn: true })).review).toBe(true);
    expect(
      evaluateReviewTrigger(pr(), settings({ contributors: "all" }), ctx({ authorOptedIn: false })).review,
    ).toBe(true);
  });
});

describe("filters", () => {
  it("base branch globs: empty means all, otherwise one must match", () => {
    const s = settings({ baseBranchGlobs: ["main", "release/*"] });
    expect(evaluateReviewTrigger(pr({ baseRef: "main" }), s, ctx()).review).toBe(true);
    expect(evaluateReviewTrigger(pr({ baseRef: "refs/heads/release/1.4" }), s, ctx()).review).toBe(true);
    const d = evaluateReviewTrigger(pr({ baseRef: "release/1.4/hotfix" }), s, ctx());
    expect(d).toMatchObject({ review: false, reason: "BASE_BRANCH_FILTERED" });
    expect(!d.review && d.detail).toContain("release/1.4/hotfix");
    expect(evaluateReviewTrigger(pr({ baseRef: "develop" }), settings(), ctx()).review).toBe(true);
  });
  it("skip labels match case-insensitively and name the label", () => {
    const d = evaluateReviewTrigger(
      pr({ labels: ["bug", "No-Review"] }),
      settings({ skipLabels: ["no-review"] }),
      ctx(),
    );
    expect(d).toEqual({ review: false, reason: "LABEL_SKIPPED", detail: 'label "No-Review" skips reviews' });
    expect(
      evaluateReviewTrigger(pr({ labels: ["bug"] }), settings({ skipLabels: ["no-review"] }), ctx()).review,
    ).toBe(true);
  });
  it("title keywords match case-insensitively anywhere in the title", () => {
    const s = settings({ skipTitleKeywords: ["WIP", "[skip review]"] });
    expect(reasonOf(evaluateReviewTrigger(pr({ title: "wip: new parser" }), s, ctx()))).toBe("TITLE_SKIPPED");
    expect(reasonOf(evaluateReviewTrigger(pr({ title: "Docs [Skip Review]" }), s, ctx()))).toBe(
      "TITLE_SKIPPED",
    );
    expect(evaluateReviewTrigger(pr({ title: "Add parser" }), s, ctx()).review).toBe(true);
  });
});

describe("glob matcher", () => {
  it.each([
    ["main", "main", true],
    ["main", "maint", false],
    ["release/*", "release/1.2", true],
    ["release/*", "release/1.2/x", false],
    ["release/**", "release/1.2/x", true],
    ["**/stable", "stable", true],
    ["**/stable", "team/a/stable", true],
    ["v?.x", "v2.x", true],
    ["v?.x", "v10.x", false],
    ["feat.(x)", "feat.(x)", true],
    ["feat.x", "featyx", false],
    ["{main,develop}", "develop", true],
    ["release-[0-9]*", "release-3.1", true],
    ["release-[0-9]*", "release-x", false],
    ["Main", "main", false],
    [".github/**", ".github/workflows/ci.yml", true],
  ])("%s vs %s → %s", (glob, value, expected) => {
    expect(matchGlob(glob, value)).toBe(expected);
  });
});

describe("dedupe keys", () => {
  it("one key per (PR, head commit, trigger)", () => {
    const sha = "A1B2C3";
    const key = reviewDedupeKey("Acme/API", 42, sha, "opened");
    expect(key).toBe(reviewDedupeKey("acme/api", 42, "a1b2c3", "opened"));
    expect(key).not.toBe(reviewDedupeKey("acme/api", 42, "a1b2c4", "opened"));
    expect(key).not.toBe(reviewDedupeKey("acme/api", 42, sha, "synchronize"));
    expect(key).not.toBe(reviewDedupeKey("acme/api", 43, sha, "opened"));
    expect(reviewDedupeKey("acme/api", 42, sha, "mention:1001")).not.toBe(
      reviewDedupeKey("acme/api", 42, sha, "mention:1002"),
    );
  });
  it("the pull key groups reviews of one PR regardless of head", () => {
    expect(reviewPullKey("Acme/API", 42)).toBe(reviewPullKey("acme/api", 42));
    expect(reviewPullKey("acme/api", 42)).not.toBe(reviewPullKey("acme/api", 420));
  });
});
