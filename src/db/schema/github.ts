import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

// The GitHub surface: which installations and repositories the App reaches, how each repository is
// reviewed, every review the hub started (one per pull request, head commit and trigger), and what people
// answered to its findings. Repository names are stored lower-cased (`full_name_key`): GitHub treats them
// case-insensitively, so lookups must too.

/** The GitHub App's own credentials, created through the manifest flow (/setup/github); secrets sealed. */
export const githubAppCredentials = sqliteTable("github_app_credentials", {
  /** Always `default`: a hub talks to one GitHub App. */
  id: text("id").primaryKey(),
  appId: text("app_id").notNull(),
  slug: text("slug").notNull(),
  /** `https://github.com/apps/<slug>`: where the App is installed from. */
  htmlUrl: text("html_url").notNull(),
  ownerLogin: text("owner_login"),
  clientId: text("client_id"),
  /** AES-256-GCM sealed (lib/secret-box). */
  clientSecret: text("client_secret"),
  privateKey: text("private_key").notNull(),
  webhookSecret: text("webhook_secret").notNull(),
  createdBy: text("created_by").notNull(),
  createdAt: integer("created_at").notNull(),
});

export const installationStatuses = ["active", "suspended", "deleted"] as const;

/**
 * Every installation of the App the hub heard of. The workspace it belongs to is the `github_installation`
 * workspace link; an installation without one is waiting for an admin to claim it.
 */
export const githubInstallations = sqliteTable("github_installations", {
  id: integer("id").primaryKey(),
  accountLogin: text("account_login").notNull(),
  accountType: text("account_type").notNull(),
  /** The App's slug as GitHub reports it: its comments come from `<slug>[bot]`. */
  appSlug: text("app_slug"),
  status: text("status", { enum: installationStatuses }).notNull(),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

/** Repositories an installation reaches (added, removed, as GitHub reported them). */
export const githubRepositories = sqliteTable(
  "github_repositories",
  {
    /** GitHub's repository id: stable across renames. */
    id: integer("id").primaryKey(),
    installationId: integer("installation_id").notNull(),
    fullName: text("full_name").notNull(),
    fullNameKey: text("full_name_key").notNull(),
    isPrivate: integer("is_private", { mode: "boolean" }).notNull().default(false),
    status: text("status", { enum: ["active", "removed"] }).notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    // Repository listings of an installation: WHERE installation_id = ?.
    index("github_repositories_installation").on(t.installationId),
    // Lookups by name (settings pages, "is this repository active?"): WHERE full_name_key = ?.
    index("github_repositories_name").on(t.fullNameKey),
  ],
);

/** Per-repository review settings (RepoReviewSettings as JSON); a repository without a row uses the defaults. */
export const githubReviewSettings = sqliteTable(
  "github_review_settings",
  {
    workspaceId: text("workspace_id").notNull(),
    repository: text("repository").notNull(),
    settings: text("settings", { mode: "json" }).notNull(),
    updatedBy: text("updated_by").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.repository] })],
);

/** Members who turned on automatic reviews of their own pull requests (repositories set to `opted_in`). */
export const githubReviewOptIns = sqliteTable(
  "github_review_opt_ins",
  {
    workspaceId: text("workspace_id").notNull(),
    memberId: text("member_id").notNull(),
    enabled: integer("enabled", { mode: "boolean" }).notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.memberId] })],
);

/** Bots (e.g. `dependabot[bot]`) an admin allowed: their pull requests and comments are not ignored. */
export const githubBotAllowlist = sqliteTable(
  "github_bot_allowlist",
  {
    workspaceId: text("workspace_id").notNull(),
    /** Lower-cased login. */
    login: text("login").notNull(),
    addedBy: text("added_by").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.login] })],
);

/** Pull requests already told why Codex will not act there: one such comment per pull request, ever. */
export const githubPrNotices = sqliteTable(
  "github_pr_notices",
  {
    repository: text("repository").notNull(),
    prNumber: integer("pr_number").notNull(),
    /** The decision or guard that was explained. */
    code: text("code").notNull(),
    login: text("login").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.repository, t.prNumber] })],
);

export const reviewStatuses = [
  /** Its task is queued or running. */
  "pending",
  "published",
  /** Nothing at or above the threshold: a 👍 instead of a review. */
  "clean",
  "failed",
  /** A newer head commit was pushed before it finished. */
  "superseded",
  "cancelled",
] as const;
export type ReviewStatus = (typeof reviewStatuses)[number];

/** One review per (pull request, head commit, trigger), with the task that produces it. */
export const githubReviews = sqliteTable(
  "github_reviews",
  {
    id: text("id").primaryKey(),
    /** reviewDedupeKey(repo, pr, head, trigger). */
    dedupeKey: text("dedupe_key").notNull(),
    /** reviewPullKey(repo, pr): every review of one pull request. */
    pullKey: text("pull_key").notNull(),
    workspaceId: text("workspace_id").notNull(),
    installationId: integer("installation_id").notNull(),
    /** `owner/name` as GitHub spells it (calls use it); lookups go through `pull_key`. */
    repository: text("repository").notNull(),
    prNumber: integer("pr_number").notNull(),
    headSha: text("head_sha").notNull(),
    baseSha: text("base_sha").notNull(),
    /** `opened`, `synchronize`, ... or `mention:<comment id>`. */
    trigger: text("trigger").notNull(),
    taskId: text("task_id").notNull(),
    requesterMemberId: text("requester_member_id").notNull(),
    /** Lowest priority posted, as the repository's settings said when the review started. */
    minPriority: integer("min_priority").notNull(),
    status: text("status", { enum: reviewStatuses }).notNull(),
    supersededBy: text("superseded_by"),
    /** GitHub's id of the posted review, when its answer carried it. */
    githubReviewId: integer("github_review_id"),
    /** ReviewStats of the published review (JSON). */
    stats: text("stats", { mode: "json" }),
    error: text("error"),
    createdAt: integer("created_at").notNull(),
    finishedAt: integer("finished_at"),
    /** Last time reactions on its comments were fetched (feedback loop). */
    feedbackSyncedAt: integer("feedback_synced_at"),
  },
  (t) => [
    // Idempotent creation: INSERT ... ON CONFLICT (dedupe_key) DO NOTHING.
    uniqueIndex("github_reviews_dedupe").on(t.dedupeKey),
    // Supersession: WHERE pull_key = ? AND status = 'pending'.
    index("github_reviews_pull").on(t.pullKey, t.status),
    // The publisher: WHERE task_id = ?.
    index("github_reviews_task").on(t.taskId),
    // Admin listings and the feedback loop: WHERE workspace_id = ? ORDER BY created_at DESC / status + finished_at.
    index("github_reviews_workspace_created").on(t.workspaceId, t.createdAt),
    index("github_reviews_status_finished").on(t.status, t.finishedAt),
  ],
);

export const findingPlacements = ["inline", "summary", "below_threshold"] as const;

/** Each finding of a finished review, where it went, and (once learnt) the review comment that carries it. */
export const githubReviewFindings = sqliteTable(
  "github_review_findings",
  {
    id: text("id").primaryKey(),
    reviewId: text("review_id").notNull(),
    workspaceId: text("workspace_id").notNull(),
    /** Position in the executor's answer, so re-publishing inserts nothing twice. */
    position: integer("position").notNull(),
    priority: integer("priority").notNull(),
    title: text("title").notNull(),
    path: text("path").notNull(),
    line: integer("line").notNull(),
    side: text("side", { enum: ["RIGHT", "LEFT"] }).notNull(),
    placement: text("placement", { enum: findingPlacements }).notNull(),
    /** GitHub's review comment id of an inline finding (learnt from GitHub after posting). */
    commentId: integer("comment_id"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("github_review_findings_position").on(t.reviewId, t.position),
    // Feedback on a review comment: WHERE comment_id = ?.
    index("github_review_findings_comment").on(t.commentId),
  ],
);

export const feedbackSentiments = ["positive", "negative", "neutral"] as const;
export type FeedbackSentiment = (typeof feedbackSentiments)[number];

/** Replies and reactions to review comments, per finding, for code-review analytics. */
export const githubReviewFeedback = sqliteTable(
  "github_review_feedback",
  {
    id: text("id").primaryKey(),
    findingId: text("finding_id").notNull(),
    reviewId: text("review_id").notNull(),
    workspaceId: text("workspace_id").notNull(),
    kind: text("kind", { enum: ["reaction", "reply"] }).notNull(),
    /** The reaction (`+1`, `-1`, `heart`...) or the first characters of the reply. */
    content: text("content").notNull(),
    actorLogin: text("actor_login").notNull(),
    /** The finding's priority, copied so analytics need no join. */
    priority: integer("priority").notNull(),
    /** GitHub's id of the reaction or reply comment: recorded once. */
    externalId: integer("external_id").notNull(),
    createdAt: integer("created_at").notNull(),
    /** `positive`, `negative` or `neutral`, by the rule in governance/analytics/sentiment.ts. */
    sentiment: text("sentiment", { enum: feedbackSentiments }).notNull().default("neutral"),
    /** 1 once the row is in the daily analytics (rollup-feedback.ts): counted once, and taken out once if withdrawn. */
    counted: integer("counted").notNull().default(0),
  },
  (t) => [
    uniqueIndex("github_review_feedback_external").on(t.kind, t.externalId),
    // Per-finding views and syncing reactions of one finding: WHERE finding_id = ?.
    index("github_review_feedback_finding").on(t.findingId),
    // Analytics over a period: WHERE workspace_id = ? AND created_at BETWEEN ? AND ?.
    index("github_review_feedback_workspace_created").on(t.workspaceId, t.createdAt),
  ],
);

export type GitHubReviewRow = typeof githubReviews.$inferSelect;
export type GitHubReviewFindingRow = typeof githubReviewFindings.$inferSelect;
