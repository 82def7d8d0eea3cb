import type { z } from "zod";
import type { LinearEvent } from "../events";
import { agentSessionEvent, commentCreate, isDelegationChange, issueUpdate } from "./schema";

const orNull = (value: string | null | undefined): string | null => (value ? value : null);

type BotActor = z.infer<typeof commentCreate>["data"]["botActor"];

/** The app behind a comment, if any: Linear sends an ActorBot object, the SDK types it as a string. */
function botActorId(bot: BotActor): string | null {
  if (!bot) return null;
  if (typeof bot !== "string") return orNull(bot.id);
  try {
    const parsed = JSON.parse(bot) as { id?: unknown } | null;
    if (parsed && typeof parsed.id === "string") return parsed.id;
  } catch {
    // Not JSON: the string itself names the bot.
  }
  return orNull(bot);
}

/** Turns a stored, already-verified Linear delivery into an InboundEvent (null: nothing to act on). */
export function normalizeLinear(eventType: string, deliveryKey: string, body: unknown): LinearEvent | null {
  switch (eventType) {
    case "AgentSessionEvent.created":
    case "AgentSessionEvent.prompted": {
      const p = agentSessionEvent.parse(body);
      const session = p.agentSession;
      const issue = session.issue;
      const issueId = issue?.id ?? session.issueId ?? null;
      const creatorId = session.creatorId ?? session.creator?.id ?? null;
      return {
        platform: "linear",
        kind: "agent_session",
        deliveryKey,
        action: p.action,
        organizationId: p.organizationId,
        appUserId: orNull(p.appUserId),
        sessionId: session.id,
        issue: issueId
          ? {
              id: issueId,
              identifier: orNull(issue?.identifier),
              title: orNull(issue?.title),
              teamId: orNull(issue?.teamId ?? issue?.team?.id),
              url: orNull(issue?.url),
            }
          : null,
        // A follow-up is the prompting person's; the session's creator started it.
        creatorId: p.action === "prompted" ? (p.agentActivity?.userId ?? creatorId) : creatorId,
        promptContext: orNull(p.promptContext),
        prompt: p.agentActivity?.content?.body ?? null,
        activityId: p.agentActivity?.id ?? null,
        // Only `stop` changes what the hub does; any other signal leaves the prompt an ordinary follow-up.
        ...(p.action === "prompted" && p.agentActivity?.signal === "stop" ? { signal: "stop" as const } : {}),
      };
    }
    case "Issue.update": {
      const p = issueUpdate.parse(body);
      if (!isDelegationChange(p.updatedFrom)) return null;
      return {
        platform: "linear",
        kind: "issue_delegated",
        deliveryKey,
        organizationId: p.organizationId,
        issueId: p.data.id,
        teamId: orNull(p.data.teamId),
        actorId: orNull(p.actor?.id),
        delegateId: orNull(p.data.delegateId),
        assigneeId: orNull(p.data.assigneeId),
      };
    }
    case "Comment.create": {
      const p = commentCreate.parse(body);
      return {
        platform: "linear",
        kind: "comment",
        deliveryKey,
        action: p.action,
        organizationId: p.organizationId,
        commentId: p.data.id,
        issueId: orNull(p.data.issueId),
        parentId: orNull(p.data.parentId),
        userId: orNull(p.data.userId),
        body: p.data.body,
        botActorId: botActorId(p.data.botActor),
      };
    }
    default:
      return null;
  }
}
