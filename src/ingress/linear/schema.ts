import { z } from "zod";

/**
 * Only the fields the hub reads from Linear webhooks; the rest passes through unchecked. Shapes follow
 * @linear/sdk's webhook payload types (EntityWebhookPayload, AgentSessionEventWebhookPayload) and
 * https://linear.app/developers/webhooks, https://linear.app/developers/agent-interaction.
 */

const id = z.string().min(1);

/** Every Linear webhook carries these; `webhookTimestamp` (ms) is inside the signed body. */
export const envelope = z.object({
  type: z.string().min(1),
  action: z.string().min(1),
  organizationId: z.string().optional(),
  webhookId: z.string().optional(),
  webhookTimestamp: z.number(),
});

const issueRef = z.object({
  id,
  identifier: z.string().nullish(),
  title: z.string().nullish(),
  teamId: z.string().nullish(),
  team: z.object({ id: z.string() }).nullish(),
  url: z.string().nullish(),
});

export const agentSessionEvent = z.object({
  type: z.literal("AgentSessionEvent"),
  action: z.enum(["created", "prompted"]),
  organizationId: id,
  appUserId: z.string().nullish(),
  promptContext: z.string().nullish(),
  agentSession: z.object({
    id,
    issueId: z.string().nullish(),
    issue: issueRef.nullish(),
    creatorId: z.string().nullish(),
    creator: z.object({ id: z.string() }).nullish(),
  }),
  // Present on `prompted`: the person's follow-up, as an activity of content type `prompt`.
  agentActivity: z
    .object({
      id,
      userId: z.string().nullish(),
      content: z.looseObject({ type: z.string().optional(), body: z.string().optional() }).nullish(),
      // A human-to-agent signal such as `stop` (https://linear.app/developers/agent-signals). Linear may add
      // signals, so any value is accepted here, and one of an unexpected shape is dropped rather than
      // refusing the delivery.
      signal: z.string().nullish().catch(null),
    })
    .nullish(),
});

const actor = z.looseObject({ id: z.string().optional() }).nullish();

export const issueUpdate = z.object({
  type: z.literal("Issue"),
  action: z.literal("update"),
  organizationId: id,
  actor,
  data: z.object({
    id,
    teamId: z.string().nullish(),
    delegateId: z.string().nullish(),
    assigneeId: z.string().nullish(),
  }),
  // Previous values of the changed fields only; a key's presence is what says it changed.
  updatedFrom: z.record(z.string(), z.unknown()).nullish(),
});

/** The SDK types `botActor` as a string; API objects carry an ActorBot with an id. Accept both. */
const botActor = z.union([z.string(), z.looseObject({ id: z.string().nullish() })]).nullish();

export const commentCreate = z.object({
  type: z.literal("Comment"),
  action: z.literal("create"),
  organizationId: id,
  data: z.object({
    id,
    body: z.string(),
    issueId: z.string().nullish(),
    parentId: z.string().nullish(),
    userId: z.string().nullish(),
    botActor,
  }),
});

/** An assignment or delegation change: the only Issue updates the hub reacts to. */
export function isDelegationChange(updatedFrom: unknown): boolean {
  if (!updatedFrom || typeof updatedFrom !== "object") return false;
  return "delegateId" in updatedFrom || "assigneeId" in updatedFrom;
}

/** The event types (`<type>.<action>`) the hub acts on, given the envelope and its `updatedFrom`. */
export function isKnownLinearEvent(type: string, action: string, updatedFrom: unknown): boolean {
  if (type === "AgentSessionEvent") return action === "created" || action === "prompted";
  if (type === "Issue") return action === "update" && isDelegationChange(updatedFrom);
  return type === "Comment" && action === "create";
}
