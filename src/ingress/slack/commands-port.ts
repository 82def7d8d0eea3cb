import type { IngressPort } from "../port";
import { isSslCheck, parseForm, parseWith } from "./body";
import { normalizeSlack, slackEventTypes } from "./normalize";
import { slashCommand } from "./schema";
import { slackMaxBodyBytes, slackReplayDigest, verifySlackSignature } from "./verify";

/**
 * The `/codex` slash command (https://api.slack.com/interactivity/slash-commands): a form body. Slack gives
 * a command no id of its own; `trigger_id` is unique per invocation, so it keys the inbox row.
 */
export const slackCommandsPort: IngressPort = {
  platform: "slack",
  name: "slack_commands",
  maxBodyBytes: slackMaxBodyBytes,
  contentType: "application/x-www-form-urlencoded",
  replayDigest: slackReplayDigest,
  // Slack shows a non-empty body to the person; the answer follows through response_url.
  acknowledge: () => new Response(null, { status: 200 }),

  async verify(delivery, secrets) {
    // The certificate probe is answered like Bolt's receivers do, before verification (see isSslCheck);
    // parse() turns it into an immediate 200 and nothing of it is stored.
    if (isSslCheck(delivery.text)) return;
    await verifySlackSignature(delivery, secrets);
  },

  parse(delivery) {
    if (isSslCheck(delivery.text)) return { immediate: new Response(null, { status: 200 }) };
    const command = parseWith(slashCommand, parseForm(delivery.text), "slash command");
    return {
      deliveryKey: `cmd:${command.team_id}:${command.trigger_id}`,
      eventType: slackEventTypes.slashCommand,
      known: true,
    };
  },

  normalize: normalizeSlack,
};
