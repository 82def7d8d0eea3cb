import { and, eq } from "drizzle-orm";
import { githubReviewOptIns } from "../../../db/schema/github";
import type { Deps } from "../../../deps";
import {
  REVIEW_TRIGGERS,
  type RepoReviewSettings,
  repoReviewSettingsSchema,
} from "../../../routing/review-triggers";
import type { RepoReviewSettingsView } from "../../../workspace/github-settings";
import { issuesRefusal, listField, type Refusal } from "./form-errors";

// A repository's review settings as the form holds them (lists as lines of text, so a refused form comes
// back as typed) and as the domain takes them, validated by the same schema the review triggers read.

export interface ReviewFormValues {
  reviewEnabled: boolean;
  autoReview: boolean;
  triggers: string[];
  contributors: string;
  skipDrafts: boolean;
  baseBranchGlobs: string;
  skipLabels: string;
  skipTitleKeywords: string;
  ignoreAuthors: string;
  minPriority: string;
}

export const REVIEW_LABELS: Readonly<Record<string, string>> = {
  reviewEnabled: "Code review",
  autoReview: "Automatic reviews",
  triggers: "Trigger events",
  contributors: "Whose pull requests",
  skipDrafts: "Skip drafts",
  baseBranchGlobs: "Base branches",
  skipLabels: "Labels that skip",
  skipTitleKeywords: "Title words that skip",
  ignoreAuthors: "Authors to ignore",
  minPriority: "Lowest priority posted",
};

export const reviewValuesOf = (s: RepoReviewSettings): ReviewFormValues => ({
  ...s,
  triggers: [...s.triggers],
  baseBranchGlobs: s.baseBranchGlobs.join("\n"),
  skipLabels: s.skipLabels.join("\n"),
  skipTitleKeywords: s.skipTitleKeywords.join("\n"),
  ignoreAuthors: s.ignoreAuthors.join("\n"),
  minPriority: String(s.minPriority),
});

/** A checkbox that is not ticked is not sent at all. */
export const reviewValues = (fields: Record<string, string>): ReviewFormValues => ({
  reviewEnabled: fields.reviewEnabled !== undefined,
  autoReview: fields.autoReview !== undefined,
  triggers: REVIEW_TRIGGERS.filter((t) => fields[`trigger_${t}`] !== undefined),
  contributors: fields.contributors ?? "",
  skipDrafts: fields.skipDrafts !== undefined,
  baseBranchGlobs: fields.baseBranchGlobs ?? "",
  skipLabels: fields.skipLabels ?? "",
  skipTitleKeywords: fields.skipTitleKeywords ?? "",
  ignoreAuthors: fields.ignoreAuthors ?? "",
  minPriority: fields.minPriority ?? "",
});

export function reviewInput(
  values: ReviewFormValues,
): { ok: true; input: RepoReviewSettings } | { ok: false; refusal: Refusal } {
  const parsed = repoReviewSettingsSchema.safeParse({
    ...values,
    baseBranchGlobs: listField(values.baseBranchGlobs),
    skipLabels: listField(values.skipLabels),
    skipTitleKeywords: listField(values.skipTitleKeywords),
    ignoreAuthors: listField(values.ignoreAuthors),
    minPriority: values.minPriority === "" ? Number.NaN : Number(values.minPriority),
  });
  return parsed.success
    ? { ok: true, input: parsed.data }
    : { ok: false, refusal: issuesRefusal(parsed.error, REVIEW_LABELS) };
}

/** One line per repository in the list: what a person checks first. */
export function summary(view: RepoReviewSettingsView): string {
  const s = view.settings;
  if (!s.reviewEnabled) return "Code review off";
  const auto = s.autoReview ? `automatic on ${s.triggers.join(", ") || "no event"}` : "on request only";
  const whose = s.contributors === "all" ? "everyone's pull requests" : "opted-in members' pull requests";
  return `Reviews ${auto}; ${whose}; posts P0 to P${s.minPriority}`;
}

/** Members who turned on reviews of their own pull requests (`/codex review-my-prs on`). */
export async function optedInMemberIds(deps: Pick<Deps, "database">, workspaceId: string): Promise<string[]> {
  const rows = await deps.database.db
    .select({ memberId: githubReviewOptIns.memberId })
    .from(githubReviewOptIns)
    .where(and(eq(githubReviewOptIns.workspaceId, workspaceId), eq(githubReviewOptIns.enabled, true)));
  return rows.map((r) => r.memberId);
}
