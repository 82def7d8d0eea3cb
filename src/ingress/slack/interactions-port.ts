import { AppError } from "../../errors";
import type { IngressPort } from "../port";
import { fingerprint, parseForm, parseJson, parseWith } from "./body";
import { blockActionsTeamId, normalizeSlack, slackEventTypes } from "./normalize";
import { blockActions, interactionEnvelope } from "./schema";
import { slackMaxBodyBytes, slackReplayDigest, verifySlackSignature } from "./verify";

/**
 * Interactivity (https://api.slack.com/interactivity/handling#payloads): a form body whose one `payload`
 * field holds JSON. Block actions (environment picker, confirmations) are what the hub acts on.
 */
export const slackInteractionsPort: IngressPort = {
  platform: "slack",
  name: "slack_interactions",
  maxBodyBytes: slackMaxBodyBytes,
  contentType: "application/x-www-form-urlencoded",
  replayDigest: slackReplayDigest,
  // Slack shows a non-empty body to the person; the answer follows through response_url.
  acknowledge: () => new Response(null, { status: 200 }),

  verify: verifySlackSignature,

  parse(delivery) {
    const raw = parseForm(delivery.text).payload;
    if (!raw) throw new AppError("invalid_body", "The interaction body has no `payload` field.");
    const payload = parseJson(raw, "The `payload` field");
    const head = parseWith(interactionEnvelope, payload, "interaction");
    const eventType = `${slackEventTypes.interactionPrefix}${head.type}`;

    if (head.type === "block_actions") {
      const actions = parseWith(blockActions, payload, "block_actions");
      const teamId = blockActionsTeamId(actions);
      if (!teamId) throw new AppError("invalid_body", "The block_actions payload names no team.");
      const moment = actions.trigger_id ?? actions.actions[0]?.action_ts ?? fingerprint(delivery.text);
      return { deliveryKey: `ia:${teamId}:${moment}`, eventType, known: true };
    }

    // Shortcuts, view submissions and the like: genuine, not acted on yet, kept as ignored.
    const teamId = head.team?.id ?? head.user?.team_id ?? "-";
    const moment =
      head.trigger_id ?? head.action_ts ?? head.actions?.[0]?.action_ts ?? fingerprint(delivery.text);
    return { deliveryKey: `ia:${teamId}:${moment}`, eventType, known: false };
  },

  normalize: normalizeSlack,
};
