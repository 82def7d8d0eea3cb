import type { IngressPort } from "../port";
import { fingerprint, parseJson, parseWith } from "./body";
import { normalizeSlack, slackEventTypes } from "./normalize";
import {
  appMention,
  envelope,
  eventCallback,
  isKnownInnerEvent,
  threadMessage,
  urlVerification,
} from "./schema";
import { slackMaxBodyBytes, slackReplayDigest, verifySlackSignature } from "./verify";

/**
 * Slack Events API (https://api.slack.com/apis/events-api). Retries (`X-Slack-Retry-Num`) carry the same
 * `event_id`, so the inbox answers them as duplicates without doing anything twice.
 */
export const slackEventsPort: IngressPort = {
  platform: "slack",
  name: "slack_events",
  maxBodyBytes: slackMaxBodyBytes,
  contentType: "application/json",
  replayDigest: slackReplayDigest,

  verify: verifySlackSignature,

  parse(delivery) {
    const body = parseJson(delivery.text);
    const { type } = parseWith(envelope, body, "Slack Events API");

    if (type === "url_verification") {
      // The handshake when the Request URL is saved; answered only once the signature has been checked.
      const { challenge } = parseWith(urlVerification, body, "url_verification");
      return { immediate: Response.json({ challenge }) };
    }

    if (type === "event_callback") {
      const callback = parseWith(eventCallback, body, "event_callback");
      const inner = callback.event;
      const known = isKnownInnerEvent(inner);
      // Events the hub acts on must carry what the processor reads; a broken one is refused now, not later.
      if (inner.type === "app_mention") parseWith(appMention, inner, "app_mention");
      else if (known) parseWith(threadMessage, inner, "message");
      return {
        deliveryKey: callback.event_id,
        eventType: `${slackEventTypes.eventCallbackPrefix}${inner.type}`,
        known,
      };
    }

    // Other envelopes (e.g. `app_rate_limited`) are genuine but not events: kept as ignored, answered 2xx.
    const record = body as Record<string, unknown>;
    const team = typeof record.team_id === "string" ? record.team_id : "-";
    const id = typeof record.event_id === "string" ? record.event_id : fingerprint(delivery.text);
    return { deliveryKey: `${type}:${team}:${id}`, eventType: type, known: false };
  },

  normalize: normalizeSlack,
};
