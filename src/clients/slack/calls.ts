import type { SlackBlock } from "../../replies/slack-types";
import type { SlackRequest, SlackTarget } from "../types";

// Every Slack call the hub makes, one builder each: typed arguments, and the team whose bot token makes the
// call as the request's `target` (stored with it in the outbox, so a retry speaks for the same team).
// https://api.slack.com/methods

/**
 * Not a Web API method: a POST of `args.body` (JSON) to `args.url`, the `response_url` Slack hands out with a
 * slash command or a button press (https://api.slack.com/interactivity/handling#message_responses). It needs
 * no token; it goes through the outbox like every other call.
 */
export const RESPONSE_URL_OPERATION = "response_url";

/** A call for `target`'s team; one that names no team is made with SLACK_BOT_TOKEN. */
const call = (target: SlackTarget, operation: string, args: object): SlackRequest => ({
  platform: "slack",
  operation,
  ...(target.teamId || target.enterpriseId ? { target } : {}),
  args: { ...args },
});

/** What a message shows: `text` is the notification and fallback, `blocks` the layout. */
interface MessageContent {
  text: string;
  blocks?: readonly SlackBlock[];
}

export interface PostMessageArgs extends MessageContent {
  channel: string;
  /** Answers in this thread rather than the channel. */
  thread_ts?: string;
  unfurl_links?: boolean;
  unfurl_media?: boolean;
}

/** https://api.slack.com/methods/chat.postMessage */
export const postMessage = (target: SlackTarget, args: PostMessageArgs) =>
  call(target, "chat.postMessage", args);

export interface PostEphemeralArgs extends MessageContent {
  channel: string;
  /** The one person who sees it. */
  user: string;
  thread_ts?: string;
}

/** https://api.slack.com/methods/chat.postEphemeral */
export const postEphemeral = (target: SlackTarget, args: PostEphemeralArgs) =>
  call(target, "chat.postEphemeral", args);

/** https://api.slack.com/methods/chat.update: the message at `channel` + `ts`, in place (no notification). */
export const updateMessage = (target: SlackTarget, args: MessageContent & { channel: string; ts: string }) =>
  call(target, "chat.update", args);

/** https://api.slack.com/methods/reactions.add (`already_reacted` counts as success in the client). */
export const addReaction = (
  target: SlackTarget,
  args: { channel: string; timestamp: string; name: string },
) => call(target, "reactions.add", args);

/** https://api.slack.com/methods/reactions.remove (`no_reaction` counts as success in the client). */
export const removeReaction = (
  target: SlackTarget,
  args: { channel: string; timestamp: string; name: string },
) => call(target, "reactions.remove", args);

export interface ResponseBody extends MessageContent {
  response_type: "ephemeral" | "in_channel";
  /** Replaces the message the button was on instead of adding one. */
  replace_original: boolean;
}

/** A post to a slash command's or a button press's `response_url`; no team: the URL itself is the grant. */
export const respond = (url: string, body: ResponseBody): SlackRequest => ({
  platform: "slack",
  operation: RESPONSE_URL_OPERATION,
  args: { url, body },
});

/** A thread's messages, oldest first. https://api.slack.com/methods/conversations.replies */
export const conversationReplies = (
  target: SlackTarget,
  args: { channel: string; ts: string; limit: number; inclusive: boolean },
) => call(target, "conversations.replies", args);

/** A channel's details (whether it is shared with another organization). https://api.slack.com/methods/conversations.info */
export const conversationInfo = (target: SlackTarget, args: { channel: string }) =>
  call(target, "conversations.info", args);

/** A person's profile (their email links them to a member). https://api.slack.com/methods/users.info */
export const userInfo = (target: SlackTarget, args: { user: string }) => call(target, "users.info", args);

/** Which team (and organization) a bot token belongs to. https://api.slack.com/methods/auth.test */
export const authTest = (target: SlackTarget = {}) => call(target, "auth.test", {});
