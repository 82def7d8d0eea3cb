import { z } from "zod";
import { userQuery } from "../clients/linear/calls";
import { OutboundError } from "../clients/types";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { findLinkedMember, linkIdentity } from "./identity-link";
import { findMemberByEmail } from "./members";

// Who is this platform user in the workspace? Slack and Linear users are matched by the email their own API
// reports (and the link is kept, so the API is asked once per person); a GitHub login only ever through an
// existing link, made by the member's own OAuth connection or an admin's mapping: GitHub does not vouch for
// emails the way an identity provider does, so an email match there would let anyone claim a member.

export interface PlatformActor {
  platform: "slack" | "github" | "linear";
  /** Slack user id, Linear user id, or for GitHub the login (or numeric id when `login` is given). */
  userId: string;
  login?: string;
}

export interface ResolvedMember {
  memberId: string | null;
  /** Why no member was found, for logs and the audit trace. */
  reason?: string;
}

const slackUserInfo = z.object({
  ok: z.boolean(),
  error: z.string().optional(),
  user: z
    .object({
      deleted: z.boolean().optional(),
      is_bot: z.boolean().optional(),
      profile: z.object({ email: z.string().optional() }).optional(),
    })
    .optional(),
});

const linearUser = z.object({
  email: z.string().optional(),
  user: z.object({ email: z.string().optional() }).optional(),
});

type EmailAnswer = { email: string } | { reason: string };

async function slackEmail(deps: Deps, user: string): Promise<EmailAnswer> {
  const raw = await ask(() =>
    deps.clients.slack.send({ platform: "slack", operation: "users.info", args: { user } }),
  );
  if ("reason" in raw) return raw;
  const parsed = slackUserInfo.safeParse(raw.answer);
  if (!parsed.success) return { reason: "Slack's users.info answer had an unexpected shape" };
  const info = parsed.data;
  if (!info.ok) return { reason: `Slack users.info failed: ${info.error ?? "unknown error"}` };
  if (info.user?.is_bot) return { reason: `Slack user ${user} is a bot` };
  if (info.user?.deleted) return { reason: `Slack user ${user} is deactivated in Slack` };
  const email = info.user?.profile?.email;
  // Slack omits the email unless the app has the users:read.email scope.
  if (!email) return { reason: `Slack reported no email for ${user} (does the app have users:read.email?)` };
  return { email };
}

async function linearEmail(deps: Deps, id: string): Promise<EmailAnswer> {
  const raw = await ask(() => deps.clients.linear.send(userQuery({}, { id })));
  if ("reason" in raw) return raw;
  const parsed = linearUser.safeParse(raw.answer);
  const email = parsed.success ? (parsed.data.email ?? parsed.data.user?.email) : undefined;
  return email ? { email } : { reason: `Linear reported no email for user ${id}` };
}

/** Transient failures propagate so the event is retried; anything else means "not recognised". */
async function ask(call: () => Promise<unknown>): Promise<{ answer: unknown } | { reason: string }> {
  try {
    return { answer: await call() };
  } catch (error) {
    if (error instanceof OutboundError && error.retryable) throw error;
    return { reason: `the platform refused the lookup: ${(error as Error).message}` };
  }
}

export async function resolveMember(
  deps: Deps,
  workspaceId: string,
  actor: PlatformActor,
): Promise<ResolvedMember> {
  const { platform } = actor;
  const id = platform === "github" ? (actor.login ?? actor.userId) : actor.userId;
  if (!id.trim()) return { memberId: null, reason: `no ${platform} user id` };
  const linked = await findLinkedMember(deps, workspaceId, platform, id);
  if (linked) return { memberId: linked };
  if (platform === "github") {
    return {
      memberId: null,
      reason: `GitHub login ${id} is not linked to a member (connect it at /connect/github)`,
    };
  }
  const answer = platform === "slack" ? await slackEmail(deps, id) : await linearEmail(deps, id);
  if ("reason" in answer) return { memberId: null, reason: answer.reason };
  const member = await findMemberByEmail(deps, workspaceId, answer.email);
  if (!member) return { memberId: null, reason: `no member of the workspace has the email ${answer.email}` };
  try {
    await linkIdentity(deps, {
      workspaceId,
      memberId: member.id,
      platform,
      id,
      source: "email",
      actor: "system",
    });
  } catch (error) {
    // Another delivery linked the same user a moment ago, or the member already has a different identity
    // on this platform linked to someone else's id: trust only what the table now says.
    if (!(error instanceof AppError && error.code === "conflict")) throw error;
    const now = await findLinkedMember(deps, workspaceId, platform, id);
    return now ? { memberId: now } : { memberId: null, reason: `${platform} user ${id} could not be linked` };
  }
  return { memberId: member.id };
}
