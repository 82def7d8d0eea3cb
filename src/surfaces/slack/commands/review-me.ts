import { AppError } from "../../../errors";
import { getRepoReviewSettings, getReviewOptIn } from "../../../workspace/github-settings";
import {
  clearReviewTriggerChoice,
  getReviewTriggerChoice,
  listReviewTriggerChoices,
  setReviewTriggerChoice,
} from "../../../workspace/review-choices";
import { type CommandContext, changed, code, esc, type Handler, onOff, reply, unchanged } from "./context";

// `/codex review me`: when Codex reviews the caller's own pull requests, per repository, through the same
// service as the API and the console (validated against the repository's triggers and audited there).

const list = (triggers: readonly string[]) => (triggers.length > 0 ? triggers.join(", ") : "off");

async function showAll(ctx: CommandContext, memberId: string) {
  const [optIn, choices] = await Promise.all([
    getReviewOptIn(ctx.deps, ctx.workspaceId, memberId),
    listReviewTriggerChoices(ctx.deps, ctx.workspaceId, memberId),
  ]);
  const lines = [
    "*Automatic reviews of your pull requests*",
    `• Opted in (repositories that review only members who opted in): *${onOff(optIn)}*`,
  ];
  if (choices.length === 0) lines.push("• Every repository reviews your pull requests on its own triggers.");
  for (const c of choices) lines.push(`• ${esc(c.repository)}: ${code(list(c.triggers))}`);
  lines.push("`/codex review me <owner/name> opened,synchronize` chooses the events for one repository.");
  return reply(lines.join("\n"), `showed review choices (${choices.length})`);
}

async function showOne(ctx: CommandContext, memberId: string, repository: string) {
  const [repo, choice] = await Promise.all([
    getRepoReviewSettings(ctx.deps, ctx.workspaceId, repository),
    getReviewTriggerChoice(ctx.deps, ctx.workspaceId, memberId, repository),
  ]);
  const allowed = repo.settings.autoReview ? list(repo.settings.triggers) : "off";
  const yours = choice ? code(list(choice.triggers)) : "the repository's own triggers";
  return reply(
    `*Your automatic reviews in ${esc(repo.repository)}*\n• Yours: ${yours}\n• The repository allows: ${code(allowed)}`,
    `showed review choice for ${repo.repository}`,
  );
}

export const reviewMe: Handler<"review.me"> = async (ctx, command) => {
  if (!ctx.memberId) return reply("You are not a member of this workspace.", "not a member");
  const memberId = ctx.memberId;
  if (!command.repository) return showAll(ctx, memberId);
  if (command.triggers === undefined) return showOne(ctx, memberId, command.repository);
  const before = await getReviewTriggerChoice(ctx.deps, ctx.workspaceId, memberId, command.repository);
  const what = `Your review triggers in ${command.repository}`;
  const shownBefore = before ? list(before.triggers) : "repository default";
  if (command.triggers === null) {
    if (!before) return reply(unchanged(what, "repository default"), "no change");
    await clearReviewTriggerChoice(ctx.deps, {
      workspaceId: ctx.workspaceId,
      memberId,
      repository: command.repository,
      actor: ctx.actor,
    });
    return reply(changed(what, shownBefore, "repository default"), "review triggers reset");
  }
  const after = list(command.triggers);
  if (before && shownBefore === after) return reply(unchanged(what, after), "no change");
  try {
    await setReviewTriggerChoice(ctx.deps, {
      workspaceId: ctx.workspaceId,
      memberId,
      repository: command.repository,
      triggers: command.triggers,
      actor: ctx.actor,
    });
  } catch (error) {
    // A trigger the repository does not allow: said in the service's words, which name what it allows.
    if (error instanceof AppError && error.code === "invalid_body") {
      return reply(`🚫 ${error.message}`, "refused: trigger not allowed by the repository");
    }
    throw error;
  }
  return reply(changed(what, shownBefore, after), `review triggers ${after}`);
};
