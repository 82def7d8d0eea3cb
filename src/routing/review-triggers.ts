import { z } from "zod";
import { matchGlob } from "./github-glob";

// When does a pull request event start an automatic Codex review? Per repository settings (DESIGN.md §4),
// evaluated as a pure function so every skip can be recorded with a stable reason code.
// `@codex review` comments are not evaluated here: they are explicit requests, gated by access rules only.

/** `pull_request` actions that can start an automatic review. */
export const REVIEW_TRIGGERS = [
  "opened",
  "ready_for_review",
  "reopened",
  "synchronize",
  "review_requested",
] as const;
export type ReviewTrigger = (typeof REVIEW_TRIGGERS)[number];

export type ReviewPriority = 0 | 1 | 2 | 3;

export const repoReviewSettingsSchema = z.object({
  /** Master switch for the repository: off means no review at all, not even on request by event. */
  reviewEnabled: z.boolean().default(true),
  /** Automatic reviews on pull request events. */
  autoReview: z.boolean().default(true),
  triggers: z
    .array(z.enum(REVIEW_TRIGGERS))
    .default(["opened", "ready_for_review"])
    .transform((list) => [...new Set(list)]),
  /** `all`: everyone's PRs; `opted_in`: only PRs of members who turned on reviews of their own PRs. */
  contributors: z.enum(["all", "opted_in"]).default("all"),
  /** Drafts are skipped; marking one ready for review triggers `ready_for_review` if that trigger is on. */
  skipDrafts: z.boolean().default(true),
  /** Base branches to review (globs with `*`, `**`, `?`); empty means every branch. */
  baseBranchGlobs: z.array(z.string().min(1)).default([]),
  /** Labels (case-insensitive) that skip the review. */
  skipLabels: z.array(z.string().min(1)).default([]),
  /** Title substrings (case-insensitive) that skip the review, e.g. "WIP", "[skip review]". */
  skipTitleKeywords: z.array(z.string().min(1)).default([]),
  /** GitHub logins (case-insensitive) whose PRs are never reviewed automatically. */
  ignoreAuthors: z.array(z.string().min(1)).default([]),
  /** Lowest priority still posted: 1 posts P0 and P1 only. */
  minPriority: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]).default(1),
});

export type RepoReviewSettings = z.output<typeof repoReviewSettingsSchema>;

/** The settings of a repository nobody configured yet. Frozen: copy before changing. */
export const defaultRepoReviewSettings: RepoReviewSettings = deepFreeze(repoReviewSettingsSchema.parse({}));

function deepFreeze<T extends object>(value: T): T {
  for (const v of Object.values(value)) if (typeof v === "object" && v !== null) Object.freeze(v);
  return Object.freeze(value);
}

/** A `pull_request` webhook event, reduced to what trigger evaluation reads. */
export interface PullRequestEventInput {
  /** Raw `pull_request` action (`opened`, `closed`, `labeled`, ...). */
  action: string;
  draft: boolean;
  /** Base branch name (`main`); a full `refs/heads/main` is accepted too. */
  baseRef: string;
  headSha: string;
  labels: string[];
  title: string;
  authorLogin: string;
  authorIsBot: boolean;
  /** For `review_requested`: whether the requested reviewer is this app (a request to a human is not ours). */
  requestedReviewerIsApp?: boolean;
}

export interface ReviewTriggerContext {
  /** The workspace-wide "code review" switch. */
  workspaceCodeReview: boolean;
  /** The PR author is a member who turned on reviews of their own PRs. */
  authorOptedIn: boolean;
  /**
   * The triggers the author (a member) chose for their own pull requests in this repository; absent when
   * they chose nothing there (the repository's triggers apply). Empty: they turned automatic reviews off.
   * Choosing triggers for a repository opts in there.
   */
  authorTriggers?: readonly ReviewTrigger[];
  /** This app's own login (e.g. `codex-hub[bot]`): its PRs are never auto-reviewed, to avoid loops. */
  appLogin?: string;
  /** Bot logins an admin allowed to be reviewed (e.g. `dependabot[bot]`). */
  allowedBots?: string[];
}

export const SKIP_REASONS = [
  "ACTION_NOT_A_TRIGGER",
  "WORKSPACE_REVIEW_OFF",
  "REVIEW_DISABLED",
  "AUTO_REVIEW_OFF",
  "TRIGGER_NOT_ENABLED",
  "DRAFT",
  "OWN_APP_AUTHOR",
  "BOT_AUTHOR",
  "AUTHOR_IGNORED",
  "AUTHOR_NOT_OPTED_IN",
  "AUTHOR_TRIGGER_NOT_CHOSEN",
  "BASE_BRANCH_FILTERED",
  "LABEL_SKIPPED",
  "TITLE_SKIPPED",
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export type ReviewTriggerDecision =
  | { review: true; trigger: ReviewTrigger }
  | { review: false; reason: SkipReason; detail: string };

function isReviewTrigger(action: string): action is ReviewTrigger {
  return (REVIEW_TRIGGERS as readonly string[]).includes(action);
}

const lower = (s: string) => s.toLowerCase();

function skip(reason: SkipReason, detail: string): ReviewTriggerDecision {
  return { review: false, reason, detail };
}

/**
 * Decides whether a pull request event starts an automatic review. Checks run from the broadest to the most
 * specific, so the reason reported is the one an admin would change first.
 */
export function evaluateReviewTrigger(
  input: PullRequestEventInput,
  settings: RepoReviewSettings,
  ctx: ReviewTriggerContext,
): ReviewTriggerDecision {
  const { action } = input;
  if (!isReviewTrigger(action)) {
    return skip("ACTION_NOT_A_TRIGGER", `pull_request.${action} never starts a review`);
  }
  if (action === "review_requested" && input.requestedReviewerIsApp !== true) {
    return skip("ACTION_NOT_A_TRIGGER", "review was requested from someone other than Codex");
  }
  if (!ctx.workspaceCodeReview) {
    return skip("WORKSPACE_REVIEW_OFF", "code review is turned off for the workspace");
  }
  if (!settings.reviewEnabled) {
    return skip("REVIEW_DISABLED", "code review is turned off for this repository");
  }
  if (!settings.autoReview) {
    return skip("AUTO_REVIEW_OFF", "automatic reviews are off for this repository; use `@codex review`");
  }
  if (!settings.triggers.includes(action)) {
    return skip(
      "TRIGGER_NOT_ENABLED",
      `trigger "${action}" is not enabled (enabled: ${listOrNone(settings.triggers)})`,
    );
  }
  if (input.draft && settings.skipDrafts) {
    return skip("DRAFT", "draft pull requests are skipped until marked ready for review");
  }

  const author = lower(input.authorLogin);
  if (ctx.appLogin && author === lower(ctx.appLogin)) {
    return skip("OWN_APP_AUTHOR", `${input.authorLogin} is this app; its own pull requests are not reviewed`);
  }
  if (input.authorIsBot && !(ctx.allowedBots ?? []).some((b) => lower(b) === author)) {
    return skip("BOT_AUTHOR", `${input.authorLogin} is a bot that is not allow-listed`);
  }
  if (settings.ignoreAuthors.some((a) => lower(a) === author)) {
    return skip("AUTHOR_IGNORED", `${input.authorLogin} is in the repository's ignored authors`);
  }
  const chosen = ctx.authorTriggers;
  if (chosen !== undefined && !chosen.includes(action)) {
    return skip(
      "AUTHOR_TRIGGER_NOT_CHOSEN",
      chosen.length === 0
        ? `${input.authorLogin} turned automatic reviews of their pull requests off in this repository`
        : `${input.authorLogin} chose reviews on ${chosen.join(", ")} only, not on "${action}"`,
    );
  }
  const optedIn = ctx.authorOptedIn || (chosen !== undefined && chosen.length > 0);
  if (settings.contributors === "opted_in" && !optedIn) {
    return skip(
      "AUTHOR_NOT_OPTED_IN",
      `only pull requests of members who opted in are reviewed; ${input.authorLogin} has not`,
    );
  }

  const base = input.baseRef.replace(/^refs\/heads\//, "");
  if (settings.baseBranchGlobs.length > 0 && !settings.baseBranchGlobs.some((g) => matchGlob(g, base))) {
    return skip(
      "BASE_BRANCH_FILTERED",
      `base branch "${base}" matches none of ${settings.baseBranchGlobs.map((g) => `"${g}"`).join(", ")}`,
    );
  }
  const skipLabels = new Set(settings.skipLabels.map(lower));
  const label = input.labels.find((l) => skipLabels.has(lower(l)));
  if (label !== undefined) {
    return skip("LABEL_SKIPPED", `label "${label}" skips reviews`);
  }
  const title = lower(input.title);
  const keyword = settings.skipTitleKeywords.find((k) => title.includes(lower(k)));
  if (keyword !== undefined) {
    return skip("TITLE_SKIPPED", `title contains "${keyword}"`);
  }
  return { review: true, trigger: action };
}

function listOrNone(list: readonly string[]): string {
  return list.length > 0 ? list.join(", ") : "none";
}

/** What started a review: an automatic trigger, or an `@codex review` comment (identified by its id). */
export type ReviewOrigin = ReviewTrigger | `mention:${string}`;

/**
 * One review per (pull request, head commit, trigger): two deliveries for the same head and trigger share this
 * key. Repository names are case-insensitive on GitHub, so the key is too.
 */
export function reviewDedupeKey(
  repo: string,
  prNumber: number,
  headSha: string,
  trigger: ReviewOrigin,
): string {
  return `review:${lower(repo)}#${prNumber}@${lower(headSha)}:${trigger}`;
}

/** Groups every review of one pull request, so a review of a newer head can supersede older queued ones. */
export function reviewPullKey(repo: string, prNumber: number): string {
  return `review:${lower(repo)}#${prNumber}`;
}
