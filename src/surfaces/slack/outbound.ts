import { postEphemeral, postMessage, respond } from "../../clients/slack/calls";
import { OutboundError, type SlackRequest, type SlackTarget } from "../../clients/types";
import type { Deps } from "../../deps";
import { enqueueOutbound } from "../../outbox/enqueue";
import type { SlackMessage } from "../../replies/slack-types";
import type { TaskOrigin } from "../../tasks/types";

// How the Slack surface talks back: every post goes through the outbox (durable, retried, deduplicated);
// reads the next step depends on (thread history, channel details) are made directly.

/**
 * A message in the thread a task was asked in, posted with its team's bot token (the hub may serve several
 * teams). Links are not unfurled: a task page preview would only repeat the message.
 */
export function postInTaskThread(
  origin: Extract<TaskOrigin, { surface: "slack" }>,
  message: SlackMessage,
): SlackRequest {
  return postMessage(
    { teamId: origin.teamId },
    {
      channel: origin.channel,
      thread_ts: origin.threadTs,
      text: message.text,
      blocks: message.blocks,
      unfurl_links: false,
      unfurl_media: false,
    },
  );
}

/**
 * Deps whose Slack client speaks for one team, for code that calls Slack without knowing about teams (the
 * member lookup's users.info): a call that names no team is made for `target`.
 */
export function teamDeps(deps: Deps, target: SlackTarget): Deps {
  const client = deps.clients.slack;
  return {
    ...deps,
    clients: {
      ...deps.clients,
      slack: {
        send: (request, options) =>
          client.send(
            request.platform === "slack" && !request.target ? { ...request, target } : request,
            options,
          ),
      },
    },
  };
}

/** Where a message only one person should see goes. */
export type Audience =
  | {
      via: "ephemeral";
      target: SlackTarget;
      channel: string;
      user: string;
      threadTs?: string | null;
    }
  /** A slash command's or a button press's `response_url`; `replace` swaps the message the button was on. */
  | { via: "response_url"; url: string; replace?: boolean };

/** Queues a message for one person (never the channel), once per dedupe key. */
export async function tell(
  deps: Deps,
  audience: Audience,
  message: SlackMessage,
  dedupeKey: string,
  taskId?: string,
): Promise<void> {
  const request =
    audience.via === "ephemeral"
      ? postEphemeral(audience.target, {
          channel: audience.channel,
          user: audience.user,
          ...(audience.threadTs ? { thread_ts: audience.threadTs } : {}),
          text: message.text,
          blocks: message.blocks,
        })
      : respond(audience.url, {
          response_type: "ephemeral",
          replace_original: audience.replace === true,
          text: message.text,
          blocks: message.blocks,
        });
  await enqueueOutbound(deps, { request, dedupeKey, ...(taskId ? { taskId } : {}) });
}

/** A plain mrkdwn message as one section (Slack's 3,000-character section limit is kept). */
export function textMessage(text: string): SlackMessage {
  const clipped = text.length > 3000 ? `${text.slice(0, 2990)}…` : text;
  return { text: clipped, blocks: [{ type: "section", text: { type: "mrkdwn", text: clipped } }] };
}

export type SlackRead = { ok: true; data: Record<string, unknown> } | { ok: false; error: string };

/**
 * A Slack read whose answer the next step needs. A transient failure is thrown, so the event is retried;
 * a refusal (missing scope, channel not found) is returned for the caller to work around.
 */
export async function readSlack(deps: Deps, request: SlackRequest): Promise<SlackRead> {
  try {
    const data = (await deps.clients.slack.send(request)) as Record<string, unknown> | null;
    if (!data || data.ok === false) return { ok: false, error: String(data?.error ?? "no answer") };
    return { ok: true, data };
  } catch (error) {
    if (error instanceof OutboundError && error.retryable) throw error;
    return { ok: false, error: (error as Error).message };
  }
}
