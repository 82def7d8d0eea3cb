import { canSeeEnvironment, environmentAccess } from "../../../access/environments";
import { AppError } from "../../../errors";
import type { GroupRef, PersonRef } from "../../../routing/slash-admin-types";
import { type EnvironmentView, listEnvironments } from "../../../workspace/environments";
import { type GroupView, listGroups } from "../../../workspace/groups";
import { resolveMember } from "../../../workspace/identity-resolve";
import { findMemberByEmail } from "../../../workspace/members";
import { byName, type CommandContext, type CommandReply, code, esc, reply } from "./context";

// Finding what an administration command names (an environment, a group, a person) and turning a refusal of
// the workspace services (a name taken, an invalid value) into an answer instead of a failed event.

/** An environment by name or id; a member finds only the ones visible to them, as in the console. */
export async function findEnvironment(
  ctx: CommandContext,
  name: string,
): Promise<EnvironmentView | CommandReply> {
  const env = byName(await listEnvironments(ctx.deps, ctx.workspaceId), name);
  const visible =
    env &&
    (ctx.level === "owner" ||
      ctx.level === "codex_admin" ||
      canSeeEnvironment(environmentAccess(env), ctx.memberId ?? ""));
  if (env && visible) return env;
  return reply(
    `No environment named ${code(name)} that you can see. \`/codex env list\` lists yours.`,
    "unknown environment",
  );
}

export async function findGroup(ctx: CommandContext, ref: GroupRef): Promise<GroupView | CommandReply> {
  const groups = await listGroups(ctx.deps, ctx.workspaceId);
  const group =
    (ref.slackUsergroupId ? groups.find((g) => g.externalId === ref.slackUsergroupId) : undefined) ??
    byName(groups, ref.name);
  if (group) return group;
  return reply(
    `No group named ${code(ref.name)}. Groups: ${esc(groups.map((g) => g.name).join(", ") || "none")}. \`/codex group list\` shows them.`,
    "unknown group",
  );
}

/** The member a mention or an email names: linked already, or matched by the email Slack reports. */
export async function findPerson(ctx: CommandContext, ref: PersonRef): Promise<string | CommandReply> {
  const memberId =
    ref.type === "email"
      ? ((await findMemberByEmail(ctx.deps, ctx.workspaceId, ref.email))?.id ?? null)
      : (await resolveMember(ctx.deps, ctx.workspaceId, { platform: "slack", userId: ref.slackUserId }))
          .memberId;
  if (memberId) return memberId;
  return reply(
    `${personLabel(ref)} is not a member of this workspace (members are matched by email).`,
    "unknown member",
  );
}

export const personLabel = (ref: PersonRef): string =>
  ref.type === "user" ? `<@${ref.slackUserId}>` : esc(ref.email);

/** A member's email, for answers (ids mean nothing to people). */
export const emailOf = (ctx: CommandContext, memberId: string): string =>
  ctx.snapshot.members.get(memberId)?.member.email ?? memberId;

export const isReply = (value: unknown): value is CommandReply =>
  typeof value === "object" && value !== null && "message" in value && "outcome" in value;

/** Runs a workspace service; what it refuses (conflict, invalid input, not found) is said to the caller. */
export async function attempt<T>(run: () => Promise<T>): Promise<T | CommandReply> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof AppError) || error.status >= 500) throw error;
    const issues = (error.details as { issues?: { message: string }[] } | undefined)?.issues ?? [];
    const detail = issues.map((i) => i.message).join("; ");
    return reply(`🚫 ${esc(error.message)}${detail ? ` (${esc(detail)})` : ""}`, `refused: ${error.code}`);
  }
}
