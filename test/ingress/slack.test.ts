import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { storedPayload } from "../../src/inbox/payload-codec";
import type { SlackEvent } from "../../src/ingress/events";
import { slackCommandsPort } from "../../src/ingress/slack/commands-port";
import { slackEventsPort } from "../../src/ingress/slack/events-port";
import { slackInteractionsPort } from "../../src/ingress/slack/interactions-port";
import { slackHeaders } from "../helpers/signers";
import { createWorld, type World } from "../helpers/world";
import {
  ackOf,
  expectError,
  fixture,
  type Json,
  send,
  slackCommand,
  slackEvent,
  slackInteraction,
  storedRows,
} from "./deliveries";

const events = "/webhooks/slack/events";
const commands = "/webhooks/slack/commands";
const interactions = "/webhooks/slack/interactions";

let hub: World;
const signed = () => ({ secret: hub.secrets.slack.current, at: hub.clock.now() });

beforeEach(() => {
  hub = createWorld();
});
afterEach(() => hub.close());

/** The InboundEvent the processor will rebuild from the one stored row. */
function normalizedRow(port = slackEventsPort): SlackEvent | null {
  const rows = storedRows(hub);
  expect(rows).toHaveLength(1);
  const row = rows[0]!;
  return port.normalize({
    eventType: row.eventType,
    deliveryKey: row.deliveryKey,
    payload: storedPayload(row)!,
  }).event as SlackEvent;
}

describe("Slack Events API", () => {
  it("answers url_verification with the challenge, once signed, and stores nothing", async () => {
    const payload = fixture("slack", "url-verification");
    const res = await send(hub, events, slackEvent(payload, signed()));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(await res.json()).toEqual({ challenge: payload.challenge });
    expect(storedRows(hub)).toHaveLength(0);

    const forged = slackEvent(payload, { ...signed(), secret: "someone-else" });
    await expectError(await send(hub, events, forged), 401, "invalid_signature");
  });

  it("treats a Slack retry (X-Slack-Retry-Num) of a stored event as a duplicate", async () => {
    const first = slackEvent(fixture("slack", "app-mention"), signed());
    expect((await send(hub, events, first)).status).toBe(200);
    hub.clock.advance(60_000);
    // Slack re-signs each attempt with a new timestamp; the event_id stays.
    const retry = slackEvent(fixture("slack", "app-mention"), signed());
    retry.headers["x-slack-retry-num"] = "1";
    retry.headers["x-slack-retry-reason"] = "http_timeout";
    const res = await send(hub, events, retry);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "duplicate", delivery: "Ev08MENTION01" });
    expect(storedRows(hub)).toHaveLength(1);
  });

  it("normalizes an app_mention", async () => {
    await send(hub, events, slackEvent(fixture("slack", "app-mention"), signed()));
    expect(normalizedRow()).toEqual({
      platform: "slack",
      kind: "mention",
      source: "app_mention",
      deliveryKey: "Ev08MENTION01",
      teamId: "T0A1B2C3D",
      enterpriseId: null,
      channel: "C0LAN2Q65",
      userId: "U061F7AUR",
      botId: null,
      text: "<@U07CODEX01> fix the flaky login test in web-app",
      ts: "1767225600.000100",
      threadTs: null,
      isExtShared: false,
    });
  });

  it("keeps a person's thread reply for the processor, with the shared-channel flag", async () => {
    const res = await send(hub, events, slackEvent(fixture("slack", "thread-message"), signed()));
    expect(await ackOf(res)).toMatchObject({ status: "accepted" });
    expect(normalizedRow()).toMatchObject({
      kind: "mention",
      source: "message",
      userId: "U061F7AUR",
      threadTs: "1767225600.000100",
      text: "also run the e2e suite please",
      isExtShared: true,
    });
  });

  it.each([
    ["an edit (message_changed)", "message-changed"],
    ["a bot's own thread message", "bot-thread-message"],
  ])("ignores %s", async (_label, name) => {
    const res = await send(hub, events, slackEvent(fixture("slack", name), signed()));
    expect(await ackOf(res)).toMatchObject({ status: "ignored" });
    expect(storedRows(hub)[0]).toMatchObject({ status: "ignored", eventType: "event_callback.message" });
  });

  it("ignores a message outside any thread", async () => {
    const payload = fixture("slack", "thread-message");
    delete payload.event.thread_ts;
    const res = await send(hub, events, slackEvent(payload, signed()));
    expect(await ackOf(res)).toMatchObject({ status: "ignored" });
  });

  it("records app_rate_limited as ignored under a key derived from the payload", async () => {
    const built = slackEvent(fixture("slack", "app-rate-limited"), signed());
    const res = await send(hub, events, built);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; delivery: string };
    expect(body.status).toBe("ignored");
    expect(body.delivery).toMatch(/^app_rate_limited:T0A1B2C3D:[0-9a-f]{16}$/);
    expect(storedRows(hub)[0]).toMatchObject({ eventType: "app_rate_limited", status: "ignored" });
    expect(await (await send(hub, events, built)).json()).toMatchObject({ status: "duplicate" });
  });

  it("refuses an app_mention missing what the processor reads", async () => {
    const payload = fixture("slack", "app-mention");
    delete payload.event.channel;
    await expectError(await send(hub, events, slackEvent(payload, signed())), 400, "invalid_body");
  });

  it("refuses a timestamp that is not Unix seconds", async () => {
    const built = slackEvent(fixture("slack", "app-mention"), signed());
    built.headers["x-slack-request-timestamp"] = "yesterday";
    await expectError(await send(hub, events, built), 401, "invalid_signature");
  });
});

describe("Slack slash commands", () => {
  it("answers Slack's ssl_check with 200 and stores nothing", async () => {
    const res = await hub.request(commands, {
      method: "POST",
      body: "ssl_check=1&token=gIkuvaNzQIHg97ATvDxqgjtO",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(res.status).toBe(200);
    expect(storedRows(hub)).toHaveLength(0);
  });

  it("still requires a signature for a real command", async () => {
    const built = slackCommand(fixture("slack", "slash-command"), signed());
    const headers = { "content-type": built.headers["content-type"]! };
    await expectError(await send(hub, commands, { ...built, headers }), 401, "invalid_signature");
  });

  it("stores the command under cmd:<team>:<trigger> and normalizes it", async () => {
    const fields = fixture("slack", "slash-command");
    const res = await send(hub, commands, slackCommand(fields, signed()));
    expect(await ackOf(res)).toMatchObject({
      status: "accepted",
      delivery: `cmd:T0A1B2C3D:${fields.trigger_id}`,
    });
    expect(normalizedRow(slackCommandsPort)).toEqual({
      platform: "slack",
      kind: "slash_command",
      deliveryKey: `cmd:T0A1B2C3D:${fields.trigger_id}`,
      command: "/codex",
      text: "settings code-review on",
      teamId: "T0A1B2C3D",
      enterpriseId: "E0ACME001",
      userId: "U061F7AUR",
      userName: "ada",
      channelId: "C0LAN2Q65",
      responseUrl: fields.response_url,
      triggerId: fields.trigger_id,
    });
  });

  it("accepts an empty command text, as Slack sends for a bare /codex", async () => {
    const fields: Json = { ...fixture("slack", "slash-command"), text: "" };
    delete fields.enterprise_id;
    expect((await send(hub, commands, slackCommand(fields, signed()))).status).toBe(200);
    expect(normalizedRow(slackCommandsPort)).toMatchObject({ text: "", enterpriseId: null });
  });
});

describe("Slack interactions", () => {
  it("normalizes a block action, taking a select menu's choice as its value", async () => {
    const payload = fixture("slack", "block-actions");
    const res = await send(hub, interactions, slackInteraction(payload, signed()));
    expect(await ackOf(res)).toMatchObject({
      status: "accepted",
      delivery: `ia:T0A1B2C3D:${payload.trigger_id}`,
    });
    expect(normalizedRow(slackInteractionsPort)).toEqual({
      platform: "slack",
      kind: "interaction",
      deliveryKey: `ia:T0A1B2C3D:${payload.trigger_id}`,
      teamId: "T0A1B2C3D",
      enterpriseId: null,
      userId: "U061F7AUR",
      channelId: "C0LAN2Q65",
      responseUrl: payload.response_url,
      triggerId: payload.trigger_id,
      actions: [{ actionId: "codex_pick_environment", value: "env_web_app", blockId: "env_picker" }],
      messageTs: "1767226000.000600",
    });
  });

  it("falls back to the container and the user's team for ephemeral, org-wide actions", async () => {
    const payload = fixture("slack", "block-actions");
    payload.team = null;
    delete payload.channel;
    delete payload.message;
    payload.actions = [
      { type: "button", action_id: "codex_confirm", block_id: "confirm", value: "yes", action_ts: "1.2" },
    ];
    await send(hub, interactions, slackInteraction(payload, signed()));
    expect(normalizedRow(slackInteractionsPort)).toMatchObject({
      teamId: "T0A1B2C3D",
      channelId: "C0LAN2Q65",
      messageTs: "1767226000.000600",
      actions: [{ actionId: "codex_confirm", value: "yes", blockId: "confirm" }],
    });
  });

  it("refuses a form without a payload field", async () => {
    const body = "foo=bar";
    const headers = slackHeaders(body, signed(), "application/x-www-form-urlencoded");
    const error = await expectError(await send(hub, interactions, { body, headers }), 400, "invalid_body");
    expect(error.message).toContain("payload");
  });

  it("keys a shortcut by its trigger and records it as ignored", async () => {
    const payload = fixture("slack", "message-shortcut");
    const res = await send(hub, interactions, slackInteraction(payload, signed()));
    expect(await ackOf(res)).toMatchObject({
      status: "ignored",
      delivery: `ia:T0A1B2C3D:${payload.trigger_id}`,
    });
    expect(storedRows(hub)[0]).toMatchObject({ eventType: "interaction.message_action" });
  });
});
