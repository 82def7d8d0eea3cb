import type { World } from "../helpers/world";
import type { Person } from "./acme";
import { RESPONSE_HOST } from "./slack-fake";

// Requests as Slack sends them from Acme's team: Events API deliveries, `/codex` commands and button
// presses; and readers for the blocks the hub posts back.

export const TEAM = "T0ACME";
export const BOT = "U0CODEX";

let seq = 0;

export interface MentionInput {
  user?: Person;
  text: string;
  channel?: string;
  ts?: string;
  threadTs?: string;
  shared?: boolean;
  eventId?: string;
  /** `message` for a thread reply event instead of `app_mention`. */
  type?: "app_mention" | "message";
  retry?: number;
}

export function mentionPayload(input: MentionInput) {
  seq++;
  const ts = input.ts ?? `1700000${String(seq).padStart(3, "0")}.000100`;
  return {
    type: "event_callback",
    team_id: TEAM,
    api_app_id: "A_CODEX",
    event_id: input.eventId ?? `Ev${seq}${Math.random().toString(36).slice(2, 8)}`,
    event_time: Math.floor(Date.now() / 1000),
    is_ext_shared_channel: input.shared ?? false,
    authorizations: [{ team_id: TEAM, user_id: BOT, is_bot: true }],
    event: {
      type: input.type ?? "app_mention",
      user: input.user ?? "U0MAX",
      text: input.text,
      ts,
      event_ts: ts,
      channel: input.channel ?? "C_GENERAL",
      ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
    },
  };
}

export async function mention(world: World, input: MentionInput) {
  const payload = mentionPayload(input);
  const res = await world.send.slackEvent(payload, input.retry);
  return { res, payload };
}

/** Runs `/codex <text>` as `user`; returns the response URL its answers go to. */
export async function command(world: World, text: string, user: Person, channel = "C_GENERAL") {
  seq++;
  const responseUrl = `${RESPONSE_HOST}/commands/${TEAM}/${seq}/${Math.random().toString(36).slice(2)}`;
  const res = await world.send.slackCommand({
    command: "/codex",
    text,
    user_id: user,
    user_name: user.toLowerCase(),
    team_id: TEAM,
    team_domain: "acme",
    channel_id: channel,
    channel_name: "general",
    response_url: responseUrl,
    trigger_id: `trig.${seq}.${Math.random().toString(36).slice(2)}`,
    api_app_id: "A_CODEX",
  });
  return { res, responseUrl };
}

/** Presses a button as `user`; returns the response URL the answer goes to. */
export async function press(
  world: World,
  user: Person,
  action: { action_id: string; value?: string },
  channel = "C_GENERAL",
) {
  seq++;
  const responseUrl = `${RESPONSE_HOST}/actions/${TEAM}/${seq}/${Math.random().toString(36).slice(2)}`;
  const payload = {
    type: "block_actions",
    team: { id: TEAM },
    user: { id: user, team_id: TEAM },
    channel: { id: channel },
    container: { type: "message", channel_id: channel, message_ts: "1700000000.000001" },
    response_url: responseUrl,
    trigger_id: `trig.${seq}.${Math.random().toString(36).slice(2)}`,
    actions: [{ ...action, block_id: "b", action_ts: String(Date.now() / 1000) }],
  };
  const res = await world.send.slackInteraction(payload);
  return { res, responseUrl };
}

/** Text of a message's blocks (sections and contexts), parsed from the form field Slack receives. */
export function blocksText(blocks: string | undefined): string {
  if (!blocks) return "";
  const list = JSON.parse(blocks) as {
    text?: { text: string };
    elements?: { text?: { text: string } | string }[];
  }[];
  return list
    .map(
      (b) =>
        b.text?.text ??
        (b.elements ?? []).map((e) => (typeof e.text === "string" ? e.text : (e.text?.text ?? ""))).join(" "),
    )
    .join("\n");
}

/** Action ids of a message's buttons. */
export function buttons(blocks: string | unknown[] | undefined): { action_id: string; value?: string }[] {
  if (!blocks) return [];
  const list = (typeof blocks === "string" ? JSON.parse(blocks) : blocks) as {
    type: string;
    elements?: { type: string; action_id: string; value?: string }[];
  }[];
  return list.flatMap((b) =>
    b.type === "actions" ? (b.elements ?? []).filter((e) => e.type === "button") : [],
  );
}
