import { describe, expect, it } from "vitest";
import appMention from "../fixtures/slack/app-mention.json";
import { slackHeaders } from "../helpers/signers";
import { createWorkerWorld } from "./worker-world";

// The ingress contract on the Worker: verified on the raw body, stored in D1 before the 2xx, deduplicated,
// handed to the queue once, and refused with the JSON error envelope and the right 4xx.

const secret = "slack-current-secret";
const json = "application/json";

function slackEvent(eventId: string, o: { at?: number; secret?: string; contentType?: string } = {}) {
  const body = JSON.stringify({ ...appMention, event_id: eventId });
  return {
    method: "POST",
    body,
    headers: slackHeaders(
      body,
      { secret: o.secret ?? secret, at: o.at ?? Date.now() },
      o.contentType ?? json,
    ),
  };
}

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: { code: string; message: string; requestId: string } };
  expect(body.error).toMatchObject({ code, message: expect.any(String), requestId: expect.any(String) });
}

describe("webhook ingress on the Worker", () => {
  it("stores a signed delivery in D1, acknowledges it, then hands its id to the queue", async () => {
    const world = createWorkerWorld();
    const res = await world.request("/webhooks/slack/events", slackEvent("EvWORKER1"));
    expect(res.status).toBe(200);
    expect(res.headers.get("x-hub-delivery-status")).toBe("accepted");
    expect(await world.inboxRow("slack", "EvWORKER1")).toMatchObject({ status: "pending", attempts: 0 });
    expect(world.sent).toEqual([
      { body: { kind: "inbox", platform: "slack", deliveryKey: "EvWORKER1" }, delaySeconds: 0 },
    ]);
  });

  it("answers a duplicate delivery 2xx without storing or queueing it again", async () => {
    const world = createWorkerWorld();
    const first = await world.request("/webhooks/slack/events", slackEvent("EvWORKER2"));
    const again = await world.request("/webhooks/slack/events", slackEvent("EvWORKER2"));
    expect(first.headers.get("x-hub-delivery-status")).toBe("accepted");
    expect(again.status).toBe(200);
    expect(again.headers.get("x-hub-delivery-status")).toBe("duplicate");
    expect(world.sent).toHaveLength(1);
  });

  it("refuses a bad signature with 401 and stores nothing", async () => {
    const world = createWorkerWorld();
    const res = await world.request("/webhooks/slack/events", slackEvent("EvWORKER3", { secret: "wrong" }));
    await expectError(res, 401, "invalid_signature");
    expect(await world.inboxRow("slack", "EvWORKER3")).toBeUndefined();
    expect(world.sent).toHaveLength(0);
  });

  it("refuses a stale timestamp with 401", async () => {
    const world = createWorkerWorld();
    const res = await world.request(
      "/webhooks/slack/events",
      slackEvent("EvWORKER4", { at: Date.now() - 10 * 60_000 }),
    );
    expect(res.status).toBe(401);
  });

  it("refuses a wrong content type with 415", async () => {
    const world = createWorkerWorld();
    const res = await world.request(
      "/webhooks/slack/events",
      slackEvent("EvWORKER5", { contentType: "text/plain" }),
    );
    await expectError(res, 415, "unsupported_media_type");
  });

  it("refuses a body over the limit with 413", async () => {
    const world = createWorkerWorld();
    const body = JSON.stringify({ ...appMention, padding: "x".repeat(1024 * 1024) });
    const res = await world.request("/webhooks/slack/events", {
      method: "POST",
      body,
      headers: slackHeaders(body, { secret, at: Date.now() }, json),
    });
    await expectError(res, 413, "payload_too_large");
  });

  it("refuses a GitHub delivery without a valid signature with 401", async () => {
    const world = createWorkerWorld();
    const res = await world.request("/webhooks/github", {
      method: "POST",
      body: JSON.stringify({ zen: "Keep it logically awesome." }),
      headers: {
        "content-type": json,
        "x-github-event": "ping",
        "x-github-delivery": crypto.randomUUID(),
        "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
      },
    });
    await expectError(res, 401, "invalid_signature");
  });
});
