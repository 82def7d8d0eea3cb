import { z } from "zod";

/**
 * Only the fields the hub reads from Slack deliveries; everything else passes through unchecked.
 * Events API: https://api.slack.com/apis/events-api#callback-field
 * Slash commands: https://api.slack.com/interactivity/slash-commands#app_command_handling
 * Interactivity: https://api.slack.com/reference/interaction-payloads/block-actions
 */

export const envelope = z.object({ type: z.string() });

export const urlVerification = z.object({
  type: z.literal("url_verification"),
  challenge: z.string().min(1),
});

export const eventCallback = z.object({
  type: z.literal("event_callback"),
  team_id: z.string().min(1),
  enterprise_id: z.string().nullish(),
  event_id: z.string().min(1),
  is_ext_shared_channel: z.boolean().optional(),
  event: z.looseObject({ type: z.string().min(1) }),
});

export const appMention = z.object({
  type: z.literal("app_mention"),
  channel: z.string(),
  ts: z.string(),
  text: z.string().default(""),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  thread_ts: z.string().optional(),
});

export const threadMessage = z.object({
  type: z.literal("message"),
  channel: z.string(),
  ts: z.string(),
  thread_ts: z.string(),
  text: z.string().default(""),
  user: z.string(),
});

/**
 * Message subtypes that are still a person writing in the thread. `message_changed`, `message_deleted`,
 * `bot_message`, joins and the like are not new requests and are ignored.
 * https://api.slack.com/events/message#subtypes
 */
const personSubtypes = new Set(["thread_broadcast", "file_share"]);

/**
 * A `message` event the hub may act on: a reply in a thread, written by a person. Whether Codex was
 * mentioned in that thread is for the processor to find out; ingress only keeps the noise out.
 */
export function isThreadReplyByPerson(event: Record<string, unknown>): boolean {
  if (event.type !== "message" || typeof event.thread_ts !== "string") return false;
  // No `user` means no person to answer (workflow and integration posts); ignore rather than refuse.
  if (typeof event.user !== "string" || event.bot_id !== undefined || event.bot_profile !== undefined)
    return false;
  return event.subtype === undefined || personSubtypes.has(String(event.subtype));
}

/** The inner event types the hub acts on. */
export function isKnownInnerEvent(event: Record<string, unknown>): boolean {
  return event.type === "app_mention" || isThreadReplyByPerson(event);
}

export const slashCommand = z.object({
  command: z.string().min(1),
  text: z.string(),
  user_id: z.string().min(1),
  user_name: z.string(),
  team_id: z.string().min(1),
  channel_id: z.string().min(1),
  response_url: z.string().min(1),
  trigger_id: z.string().min(1),
  enterprise_id: z.string().optional(),
});

export const interactionEnvelope = z.object({
  type: z.string().min(1),
  team: z.object({ id: z.string() }).nullish(),
  user: z.object({ id: z.string(), team_id: z.string().optional() }).nullish(),
  trigger_id: z.string().optional(),
  action_ts: z.string().optional(),
  actions: z.array(z.object({ action_ts: z.string().optional() })).optional(),
});

export const blockActions = z.object({
  type: z.literal("block_actions"),
  // Org-wide (Enterprise Grid) installs may send `team: null`; the user's team then names the workspace.
  team: z.object({ id: z.string() }).nullish(),
  enterprise: z.object({ id: z.string() }).nullish(),
  user: z.object({ id: z.string(), team_id: z.string().optional() }),
  channel: z.object({ id: z.string() }).nullish(),
  response_url: z.string().optional(),
  trigger_id: z.string().optional(),
  container: z
    .looseObject({ type: z.string(), message_ts: z.string().optional(), channel_id: z.string().optional() })
    .optional(),
  message: z.object({ ts: z.string() }).nullish(),
  actions: z
    .array(
      z.object({
        action_id: z.string(),
        block_id: z.string().optional(),
        value: z.string().optional(),
        // Select menus carry their choice here rather than in `value`.
        selected_option: z.object({ value: z.string() }).nullish(),
        action_ts: z.string().optional(),
      }),
    )
    .min(1),
});

export type BlockActions = z.infer<typeof blockActions>;
