import type { SlackEvent } from "../events";
import { parseForm } from "./body";
import {
  appMention,
  type BlockActions,
  blockActions,
  eventCallback,
  isKnownInnerEvent,
  slashCommand,
  threadMessage,
} from "./schema";

/**
 * Event types the three Slack ports store, so one normalizer can rebuild any stored Slack delivery:
 * `event_callback.<inner type>` (Events API), `slash_command`, `interaction.<payload type>`.
 */
export const slackEventTypes = {
  slashCommand: "slash_command",
  interactionPrefix: "interaction.",
  eventCallbackPrefix: "event_callback.",
} as const;

const orNull = (value: string | null | undefined): string | null => (value ? value : null);

/** Turns a stored Events API envelope into a mention event (null: nothing for the hub). */
export function normalizeSlackEventCallback(deliveryKey: string, body: unknown): SlackEvent | null {
  const envelope = eventCallback.parse(body);
  if (!isKnownInnerEvent(envelope.event)) return null;
  const common = {
    platform: "slack" as const,
    kind: "mention" as const,
    deliveryKey,
    teamId: envelope.team_id,
    enterpriseId: orNull(envelope.enterprise_id),
    isExtShared: envelope.is_ext_shared_channel === true,
  };
  if (envelope.event.type === "app_mention") {
    const e = appMention.parse(envelope.event);
    return {
      ...common,
      source: "app_mention",
      channel: e.channel,
      userId: orNull(e.user),
      botId: orNull(e.bot_id),
      text: e.text,
      ts: e.ts,
      threadTs: orNull(e.thread_ts),
    };
  }
  const e = threadMessage.parse(envelope.event);
  return {
    ...common,
    source: "message",
    channel: e.channel,
    userId: e.user,
    botId: null,
    text: e.text,
    ts: e.ts,
    threadTs: e.thread_ts,
  };
}

/** Turns a stored slash command's form fields into a slash_command event. */
export function normalizeSlackCommand(deliveryKey: string, fields: Record<string, string>): SlackEvent {
  const c = slashCommand.parse(fields);
  return {
    platform: "slack",
    kind: "slash_command",
    deliveryKey,
    command: c.command,
    text: c.text,
    teamId: c.team_id,
    enterpriseId: orNull(c.enterprise_id),
    userId: c.user_id,
    userName: c.user_name,
    channelId: c.channel_id,
    responseUrl: c.response_url,
    triggerId: c.trigger_id,
  };
}

/** The workspace a block action came from: the team, or for org-wide installs the user's team. */
export function blockActionsTeamId(p: BlockActions): string | null {
  return p.team?.id ?? p.user.team_id ?? null;
}

/** Turns a stored interaction's `payload` into an interaction event (null: not a block action). */
export function normalizeSlackInteraction(deliveryKey: string, payload: unknown): SlackEvent | null {
  const parsed = blockActions.safeParse(payload);
  if (!parsed.success) return null;
  const p = parsed.data;
  const teamId = blockActionsTeamId(p);
  if (!teamId) return null;
  return {
    platform: "slack",
    kind: "interaction",
    deliveryKey,
    teamId,
    enterpriseId: orNull(p.enterprise?.id),
    userId: p.user.id,
    // Ephemeral messages come without `message`/`channel`; the container still names them.
    channelId: p.channel?.id ?? orNull(p.container?.channel_id),
    responseUrl: orNull(p.response_url),
    triggerId: orNull(p.trigger_id),
    actions: p.actions.map((a) => ({
      actionId: a.action_id,
      value: a.value ?? a.selected_option?.value ?? null,
      blockId: orNull(a.block_id),
    })),
    messageTs: p.message?.ts ?? orNull(p.container?.message_ts),
  };
}

/**
 * Rebuilds any stored Slack delivery, whichever of the three endpoints received it. The body is what Bolt
 * reads from such a request: the Events API envelope, the slash command's form fields, or an interaction's
 * `payload` JSON.
 */
export function normalizeSlack(stored: { eventType: string; deliveryKey: string; payload: string }): {
  event: SlackEvent | null;
  body: Record<string, unknown>;
} {
  const { eventType, deliveryKey, payload } = stored;
  if (eventType === slackEventTypes.slashCommand) {
    const fields = parseForm(payload);
    return { event: normalizeSlackCommand(deliveryKey, fields), body: fields };
  }
  if (eventType.startsWith(slackEventTypes.interactionPrefix)) {
    const raw = parseForm(payload).payload;
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    const blockAction = eventType === `${slackEventTypes.interactionPrefix}block_actions`;
    return { event: blockAction ? normalizeSlackInteraction(deliveryKey, body) : null, body };
  }
  const body = JSON.parse(payload) as Record<string, unknown>;
  if (eventType.startsWith(slackEventTypes.eventCallbackPrefix)) {
    return { event: normalizeSlackEventCallback(deliveryKey, body), body };
  }
  return { event: null, body };
}
