import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { storedPayload } from "../../src/inbox/payload-codec";
import type { LinearEvent } from "../../src/ingress/events";
import { linearPort } from "../../src/ingress/linear/port";
import { linearSignature } from "../helpers/signers";
import { createWorld, type World } from "../helpers/world";
import { expectError, fixture, linearWebhook, send, storedRows } from "./deliveries";

const path = "/webhooks/linear";

let hub: World;
const signed = () => ({ secret: hub.secrets.linear.current, at: hub.clock.now() });

beforeEach(() => {
  hub = createWorld();
});
afterEach(() => hub.close());

function normalizedRow(): LinearEvent | null {
  const rows = storedRows(hub);
  expect(rows).toHaveLength(1);
  const row = rows[0]!;
  return linearPort.normalize({
    eventType: row.eventType,
    deliveryKey: row.deliveryKey,
    payload: storedPayload(row)!,
  }).event as LinearEvent;
}

/** A raw body signed as Linear signs it, with a delivery id. */
function raw(body: string) {
  return {
    body,
    headers: {
      "content-type": "application/json",
      "linear-signature": linearSignature(hub.secrets.linear.current, body),
      "linear-delivery": crypto.randomUUID(),
    },
  };
}

describe("Linear webhooks", () => {
  it("normalizes an AgentSessionEvent created by a mention", async () => {
    const built = linearWebhook(fixture("linear", "agent-session-created"), signed());
    expect(await (await send(hub, path, built)).json()).toMatchObject({
      status: "accepted",
      delivery: built.key,
    });
    const event = normalizedRow();
    expect(event).toEqual({
      platform: "linear",
      kind: "agent_session",
      deliveryKey: built.key,
      action: "created",
      organizationId: "8f2c4b1e-3a5d-4c6e-9f70-1a2b3c4d5e6f",
      appUserId: "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
      sessionId: "6c5b4a39-2817-4f6e-9d5c-4b3a29180716",
      issue: {
        id: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
        identifier: "ENG-123",
        title: "Fix flaky login test",
        teamId: "7e6d5c4b-3a29-4817-8f6e-5d4c3b2a1908",
        url: "https://linear.app/acme/issue/ENG-123/fix-flaky-login-test",
      },
      creatorId: "f0e1d2c3-b4a5-4968-8776-655443322110",
      promptContext: expect.stringContaining('<issue identifier="ENG-123">'),
      prompt: null,
      activityId: null,
    });
  });

  it("normalizes a prompted session with the follow-up and who wrote it", async () => {
    await send(hub, path, linearWebhook(fixture("linear", "agent-session-prompted"), signed()));
    expect(normalizedRow()).toMatchObject({
      kind: "agent_session",
      action: "prompted",
      prompt: "Use the staging environment, not prod.",
      activityId: "5d4c3b2a-1908-4f7e-8d6c-5b4a39281706",
      creatorId: "0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9",
      promptContext: null,
    });
  });

  it("acts on a delegation change and ignores other issue updates", async () => {
    const delegated = linearWebhook(fixture("linear", "issue-delegated"), signed());
    expect(await (await send(hub, path, delegated)).json()).toMatchObject({ status: "accepted" });
    expect(normalizedRow()).toEqual({
      platform: "linear",
      kind: "issue_delegated",
      deliveryKey: delegated.key,
      organizationId: "8f2c4b1e-3a5d-4c6e-9f70-1a2b3c4d5e6f",
      issueId: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
      teamId: "7e6d5c4b-3a29-4817-8f6e-5d4c3b2a1908",
      actorId: "f0e1d2c3-b4a5-4968-8776-655443322110",
      delegateId: "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
      assigneeId: "f0e1d2c3-b4a5-4968-8776-655443322110",
    });

    const retitled = linearWebhook(fixture("linear", "issue-title-update"), signed());
    expect(await (await send(hub, path, retitled)).json()).toMatchObject({ status: "ignored" });
    expect(storedRows(hub).find((r) => r.deliveryKey === retitled.key)).toMatchObject({
      eventType: "Issue.update",
      status: "ignored",
    });
  });

  it("normalizes a new comment, telling apps' comments apart", async () => {
    const payload = fixture("linear", "comment-create");
    payload.data.botActor = { id: "bot-7", type: "oauthClient", name: "Codex" };
    await send(hub, path, linearWebhook(payload, signed()));
    expect(normalizedRow()).toMatchObject({
      kind: "comment",
      action: "create",
      commentId: "e1d2c3b4-a596-4877-8695-a4b3c2d1e0f9",
      issueId: "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
      parentId: "c0ffee00-1111-4222-8333-444455556666",
      userId: "0a1b2c3d-4e5f-4061-8273-94a5b6c7d8e9",
      body: "@codex can you also add a regression test?",
      botActorId: "bot-7",
    });
  });

  it("keys a delivery without Linear-Delivery by webhookId and webhookTimestamp", async () => {
    const payload = fixture("linear", "comment-create");
    const at = hub.clock.now();
    const built = linearWebhook(payload, { ...signed(), at, delivery: null });
    const res = await send(hub, path, built);
    expect(await res.json()).toMatchObject({ status: "accepted", delivery: `${payload.webhookId}:${at}` });
    expect(await (await send(hub, path, built)).json()).toMatchObject({ status: "duplicate" });
  });

  it("refuses a delivery with neither Linear-Delivery nor webhookId", async () => {
    const payload = fixture("linear", "comment-create");
    delete payload.webhookId;
    const built = linearWebhook(payload, { ...signed(), delivery: null });
    await expectError(await send(hub, path, built), 400);
  });

  it.each([
    ["missing", undefined],
    ["not a number", "1767225600000"],
  ])("refuses a signed body whose webhookTimestamp is %s with 400", async (_label, value) => {
    const payload = { ...fixture("linear", "comment-create"), webhookTimestamp: value };
    const error = await expectError(await send(hub, path, raw(JSON.stringify(payload))), 400, "invalid_body");
    expect(error.message).toContain("webhookTimestamp");
  });

  it("verifies the raw bytes, whatever their formatting", async () => {
    const payload = { ...fixture("linear", "comment-create"), webhookTimestamp: hub.clock.now() };
    const res = await send(hub, path, raw(`${JSON.stringify(payload, null, 2)}\n`));
    expect(res.status).toBe(200);
  });

  it("refuses a comment missing its body", async () => {
    const payload = fixture("linear", "comment-create");
    delete payload.data.body;
    await expectError(await send(hub, path, linearWebhook(payload, signed())), 400, "invalid_body");
  });
});
