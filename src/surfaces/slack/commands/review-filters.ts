import type { RepoReviewSettings } from "../../../routing/review-triggers";
import type { ReviewFilterChange } from "../../../routing/slash-admin-types";
import {
  getRepoReviewSettings,
  listRepoReviewSettings,
  type RepoReviewSettingsInput,
  updateRepoReviewSettings,
} from "../../../workspace/github-settings";
import { changed, code, esc, type Handler, reply, unchanged } from "./context";
import { attempt, isReply } from "./lookups";

// Which pull requests automatic reviews skip, per repository: drafts, base branches, labels, title words,
// authors, and the lowest finding priority posted. The same service as PATCH
// /api/v1/workspaces/{id}/github/repositories/{owner}/{repo}/review-settings (validated and audited there).

const list = (values: readonly string[], empty: string) =>
  values.length ? values.map((v) => code(v)).join(", ") : empty;

function filterLines(s: RepoReviewSettings): string[] {
  return [
    `• Drafts: ${s.skipDrafts ? "skipped" : "reviewed"}`,
    `• Base branches: ${list(s.baseBranchGlobs, "every branch")}`,
    `• Labels that skip a review: ${list(s.skipLabels, "none")}`,
    `• Title words that skip a review: ${list(s.skipTitleKeywords, "none")}`,
    `• Authors never reviewed automatically: ${list(s.ignoreAuthors, "none")}`,
    `• Lowest priority posted: P${s.minPriority}${s.minPriority === 3 ? " (every finding)" : ""}`,
  ];
}

export const reviewFilters: Handler<"review.filters"> = async (ctx, command) => {
  if (command.repository) {
    const view = await getRepoReviewSettings(ctx.deps, ctx.workspaceId, command.repository);
    const head = `*Review filters of ${esc(view.repository)}*${view.configured ? "" : " (defaults: nobody changed them yet)"}`;
    return reply([head, ...filterLines(view.settings)].join("\n"), `showed filters of ${view.repository}`);
  }
  const views = await listRepoReviewSettings(ctx.deps, ctx.workspaceId);
  if (views.length === 0) {
    return reply(
      "No repository has its own review settings; every one uses the defaults (drafts skipped, every branch, P1 and above posted). `/codex review filters <owner/repo>` shows one.",
      "listed 0 repositories",
    );
  }
  const lines = views.flatMap((v) => [`*${esc(v.repository)}*`, ...filterLines(v.settings)]);
  return reply(["*Review filters*", ...lines].join("\n"), `listed ${views.length} repositories`);
};

const FIELDS = {
  drafts: { label: "Drafts", show: (s: RepoReviewSettings) => (s.skipDrafts ? "skipped" : "reviewed") },
  branches: {
    label: "Base branches",
    show: (s: RepoReviewSettings) => s.baseBranchGlobs.join(", ") || "every branch",
  },
  labels: {
    label: "Labels that skip a review",
    show: (s: RepoReviewSettings) => s.skipLabels.join(", ") || "none",
  },
  titles: {
    label: "Title words that skip a review",
    show: (s: RepoReviewSettings) => s.skipTitleKeywords.join(", ") || "none",
  },
  authors: {
    label: "Authors never reviewed automatically",
    show: (s: RepoReviewSettings) => s.ignoreAuthors.join(", ") || "none",
  },
  priority: { label: "Lowest priority posted", show: (s: RepoReviewSettings) => `P${s.minPriority}` },
} as const;

function patchOf(change: ReviewFilterChange): Partial<RepoReviewSettingsInput> {
  switch (change.field) {
    case "drafts":
      return { skipDrafts: change.skip };
    case "branches":
      return { baseBranchGlobs: change.values };
    case "labels":
      return { skipLabels: change.values };
    case "titles":
      return { skipTitleKeywords: change.values };
    case "authors":
      // GitHub logins are written without the @ people often type.
      return { ignoreAuthors: change.values.map((v) => v.replace(/^@/, "")) };
    case "priority":
      return { minPriority: change.value };
  }
}

export const reviewFilter: Handler<"review.filter"> = async (ctx, command) => {
  const field = FIELDS[command.change.field];
  const before = await getRepoReviewSettings(ctx.deps, ctx.workspaceId, command.repository);
  const what = `${field.label} of ${before.repository}`;
  const patch = patchOf(command.change);
  const same =
    field.show({ ...before.settings, ...patch } as RepoReviewSettings) === field.show(before.settings);
  if (same) return reply(unchanged(what, field.show(before.settings)), "no change");
  const after = await attempt(() =>
    updateRepoReviewSettings(ctx.deps, {
      workspaceId: ctx.workspaceId,
      repository: command.repository,
      patch,
      actor: ctx.actor,
    }),
  );
  if (isReply(after)) return after;
  return reply(
    changed(what, field.show(before.settings), field.show(after.settings)),
    `${what}: ${field.show(before.settings)} → ${field.show(after.settings)}`,
  );
};
