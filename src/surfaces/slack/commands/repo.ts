import type { RepoReviewSettings } from "../../../routing/review-triggers";
import {
  getRepoReviewSettings,
  getReviewOptIn,
  type RepoReviewSettingsInput,
  setReviewOptIn,
  updateRepoReviewSettings,
} from "../../../workspace/github-settings";
import { type CommandContext, changed, code, esc, type Handler, onOff, reply, unchanged } from "./context";

// Code review settings of a repository and a member's own opt-in, through the GitHub settings service the
// admin API uses (validated and audited there).

const CONTRIBUTORS = {
  all: "everyone's pull requests",
  opted_in: "only PRs of members who opted in",
} as const;

function describe(
  repository: string,
  s: RepoReviewSettings,
  configured: boolean,
  workspaceReview: boolean,
): string {
  // The workspace switch comes first: with it off, nothing below starts a review, and with it on every
  // repository is reviewed automatically unless someone turned that off here. People are surprised by both.
  const workspace = workspaceReview
    ? "*on*"
    : "*off*: nothing below starts a review until an owner runs `/codex settings set code-review on`";
  const lines = [
    `*Code review for ${esc(repository)}*${configured ? "" : " (defaults: nobody changed them yet)"}`,
    `• Workspace code review switch: ${workspace}`,
    `• Review: *${onOff(s.reviewEnabled)}*`,
    `• Automatic reviews: *${onOff(s.autoReview)}* on ${s.triggers.map((t) => code(t)).join(", ") || "no event"}`,
    `• Contributors: ${CONTRIBUTORS[s.contributors]}`,
    `• Drafts: ${s.skipDrafts ? "skipped" : "reviewed"}; lowest priority posted: P${s.minPriority}`,
  ];
  if (s.baseBranchGlobs.length)
    lines.push(`• Base branches: ${s.baseBranchGlobs.map((b) => code(b)).join(", ")}`);
  if (s.skipLabels.length) lines.push(`• Skipped labels: ${s.skipLabels.map((l) => code(l)).join(", ")}`);
  lines.push(
    `Automatic reviews are on by default for every repository once the workspace code review switch is on; \`/codex repo ${esc(repository)} auto-review off\` turns them off for this one.`,
  );
  return lines.join("\n");
}

export const repoShow: Handler<"repo.show"> = async (ctx, command) => {
  const view = await getRepoReviewSettings(ctx.deps, ctx.workspaceId, command.repository);
  const workspaceReview = ctx.snapshot.snapshot.toggles.codeReview;
  return reply(
    describe(command.repository, view.settings, view.configured, workspaceReview),
    `showed ${view.repository}`,
  );
};

async function change<K extends keyof RepoReviewSettings>(
  ctx: CommandContext,
  repository: string,
  key: K,
  value: RepoReviewSettings[K],
  label: string,
  show: (v: RepoReviewSettings[K]) => string,
) {
  const before = await getRepoReviewSettings(ctx.deps, ctx.workspaceId, repository);
  const what = `${label} of ${repository}`;
  if (show(before.settings[key]) === show(value)) return reply(unchanged(what, show(value)), "no change");
  const after = await updateRepoReviewSettings(ctx.deps, {
    workspaceId: ctx.workspaceId,
    repository,
    patch: { [key]: value } as Partial<RepoReviewSettingsInput>,
    actor: ctx.actor,
  });
  return reply(
    changed(what, show(before.settings[key]), show(after.settings[key])),
    `${after.repository} ${String(key)} ${show(before.settings[key])} → ${show(after.settings[key])}`,
  );
}

export const repoReview: Handler<"repo.review"> = (ctx, c) =>
  change(ctx, c.repository, "reviewEnabled", c.enabled, "Code review", onOff);
export const repoAutoReview: Handler<"repo.auto-review"> = (ctx, c) =>
  change(ctx, c.repository, "autoReview", c.enabled, "Automatic reviews", onOff);
export const repoTriggers: Handler<"repo.triggers"> = (ctx, c) =>
  change(ctx, c.repository, "triggers", c.triggers, "Review triggers", (t) => t.join(", "));
export const repoContributors: Handler<"repo.contributors"> = (ctx, c) =>
  change(ctx, c.repository, "contributors", c.contributors, "Reviewed contributors", (v) =>
    v.replace("_", "-"),
  );

export const reviewMyPrs: Handler<"review-my-prs"> = async (ctx, command) => {
  if (!ctx.memberId) return reply("You are not a member of this workspace.", "not a member");
  const before = await getReviewOptIn(ctx.deps, ctx.workspaceId, ctx.memberId);
  const what = "Automatic reviews of your own pull requests";
  if (before === command.enabled) return reply(unchanged(what, onOff(before)), "no change");
  await setReviewOptIn(ctx.deps, {
    workspaceId: ctx.workspaceId,
    memberId: ctx.memberId,
    enabled: command.enabled,
    actor: ctx.actor,
  });
  const note = command.enabled
    ? "\nRepositories set to review everyone's pull requests review yours anyway; this adds those limited to members who opted in."
    : "";
  return reply(
    `${changed(what, onOff(before), onOff(command.enabled))}${note}`,
    `review opt-in ${onOff(command.enabled)}`,
  );
};
