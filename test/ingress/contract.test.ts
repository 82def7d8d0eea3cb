import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { storedPayload } from "../../src/inbox/payload-codec";
import type { Platform } from "../../src/ingress/events";
import { linearSignature, slackHeaders } from "../helpers/signers";
import { createWorld, type World } from "../helpers/world";
import {
  ackOf,
  type Built,
  expectError,
  fixture,
  githubDelivery,
  linearWebhook,
  type SignOptions,
  send,
  slackCommand,
  slackEvent,
  slackInteraction,
  storedRows,
} from "./deliveries";

/**
 * The contract every webhook endpoint keeps, whatever the platform: verified on the raw body, stored before
 * it is acknowledged, deduplicated, and refused with the one JSON error envelope and the right 4xx.
 */
interface PortCase {
  name: string;
  path: string;
  platform: Platform;
  maxBodyBytes: number;
  contentType: string;
  /** Replay window of signed timestamps; null when the platform signs no time (GitHub). */
  windowMs: number | null;
  /** A genuine delivery the hub acts on; `n` keeps delivery keys apart. */
  known(n: number, o: SignOptions): Promise<Built> | Built;
  /** A genuine delivery of a type the hub does not act on; null when the endpoint has no such thing. */
  unknown: ((o: SignOptions) => Promise<Built> | Built) | null;
  /**
   * Correctly signed, but not a well-formed delivery; null where the body is not parsed before the
   * acknowledgement (GitHub: github-bodies.test.ts).
   */
  malformed: ((o: SignOptions) => Promise<Built> | Built) | null;
  /** Each required header, and the status its absence must produce. */
  required: { header: string; status: 400 | 401 }[];
}

const slackRequired = [
  { header: "x-slack-signature", status: 401 as const },
  { header: "x-slack-request-timestamp", status: 401 as const },
];

function withEventId(name: string, n: number) {
  const p = fixture("slack", name);
  p.event_id = `${p.event_id}${n}`;
  return p;
}

const cases: PortCase[] = [
  {
    name: "github",
    path: "/webhooks/github",
    platform: "github",
    maxBodyBytes: 25 * 1024 * 1024,
    contentType: "application/json",
    windowMs: null,
    known: (_n, o) => githubDelivery("pull_request", "opened", o),
    unknown: (o) => githubDelivery("star", "created", o),
    malformed: null,
    required: [
      { header: "x-hub-signature-256", status: 401 },
      { header: "x-github-event", status: 400 },
      { header: "x-github-delivery", status: 400 },
    ],
  },
  {
    name: "slack events",
    path: "/webhooks/slack/events",
    platform: "slack",
    maxBodyBytes: 1024 * 1024,
    contentType: "application/json",
    windowMs: 5 * 60_000,
    known: (n, o) => slackEvent(withEventId("app-mention", n), o),
    unknown: (o) => slackEvent(withEventId("reaction-added", 0), o),
    malformed: (o) => ({
      ...slackEvent(withEventId("app-mention", 0), o),
      ...malformedJson(o, "application/json"),
    }),
    required: slackRequired,
  },
  {
    name: "slack commands",
    path: "/webhooks/slack/commands",
    platform: "slack",
    maxBodyBytes: 1024 * 1024,
    contentType: "application/x-www-form-urlencoded",
    windowMs: 5 * 60_000,
    known: (n, o) => {
      const fields = fixture("slack", "slash-command");
      return slackCommand({ ...fields, trigger_id: `${fields.trigger_id}${n}` }, o);
    },
    // Every genuine slash command is one the hub handles (unknown sub-commands get a help answer later).
    unknown: null,
    malformed: (o) => slackCommand({ command: "/codex", text: "status" }, o),
    required: slackRequired,
  },
  {
    name: "slack interactions",
    path: "/webhooks/slack/interactions",
    platform: "slack",
    maxBodyBytes: 1024 * 1024,
    contentType: "application/x-www-form-urlencoded",
    windowMs: 5 * 60_000,
    known: (n, o) => {
      const p = fixture("slack", "block-actions");
      p.trigger_id = `${p.trigger_id}${n}`;
      return slackInteraction(p, o);
    },
    unknown: (o) => slackInteraction(fixture("slack", "message-shortcut"), o),
    malformed: (o) => {
      const body = "payload=%7B%22type%22%3A%22block_actions%22%2C";
      return {
        body,
        headers: slackHeaders(body, o, "application/x-www-form-urlencoded"),
        key: "",
        eventType: "",
      };
    },
    required: slackRequired,
  },
  {
    name: "linear",
    path: "/webhooks/linear",
    platform: "linear",
    maxBodyBytes: 1024 * 1024,
    contentType: "application/json",
    windowMs: 60_000,
    known: (n, o) => linearWebhook(fixture("linear", "agent-session-created"), { ...o, delivery: `ld-${n}` }),
    unknown: (o) => linearWebhook(fixture("linear", "project-create"), o),
    malformed: (o) => {
      const body = '{"type":"AgentSessionEvent","action":"created",';
      const signed = linearWebhook(fixture("linear", "agent-session-created"), o);
      return {
        ...signed,
        body,
        headers: { ...signed.headers, "linear-signature": linearSignature(o.secret, body) },
      };
    },
    required: [{ header: "linear-signature", status: 401 }],
  },
];

function malformedJson(o: SignOptions, contentType: string) {
  const body = '{"type":"event_callback","event":';
  return { body, headers: slackHeaders(body, o, contentType) };
}

describe.each(cases)("webhook contract: $name", (port) => {
  let hub: World;
  const current = () => ({ secret: hub.secrets[port.platform].current, at: hub.clock.now() });

  beforeEach(() => {
    hub = createWorld();
  });
  afterEach(() => hub.close());

  it("stores a valid delivery before answering 200", async () => {
    const built = await port.known(1, current());
    const res = await send(hub, port.path, built);
    expect(res.status).toBe(200);
    expect(await ackOf(res)).toMatchObject({ delivery: built.key, status: "accepted" });
    const rows = storedRows(hub);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      platform: port.platform,
      deliveryKey: built.key,
      eventType: built.eventType,
      status: "pending",
    });
    // Exactly the bytes that were signed, whatever the encoding at rest.
    expect(storedPayload(rows[0]!)).toBe(built.body);
  });

  it("refuses a bad signature with 401 and stores nothing", async () => {
    const built = await port.known(1, { ...current(), secret: "not-the-secret" });
    await expectError(await send(hub, port.path, built), 401, "invalid_signature");
    expect(storedRows(hub)).toHaveLength(0);
  });

  it("refuses a body altered after signing", async () => {
    const built = await port.known(1, current());
    const tampered = built.body.replace(/.$/, (c) => (c === " " ? "  " : ` ${c}`));
    await expectError(await send(hub, port.path, { ...built, body: tampered }), 401, "invalid_signature");
  });

  it("accepts a delivery signed with the previous (rotated) secret", async () => {
    const built = await port.known(1, { ...current(), secret: hub.secrets[port.platform].previous });
    const res = await send(hub, port.path, built);
    expect(res.status).toBe(200);
    expect(storedRows(hub)).toHaveLength(1);
  });

  it.runIf(port.windowMs !== null)(
    "refuses stale and future timestamps with 401, accepts within the window",
    async () => {
      const window = port.windowMs!;
      for (const skew of [-(window + 5_000), window + 5_000]) {
        const built = await port.known(2, { ...current(), at: hub.clock.now() + skew });
        await expectError(await send(hub, port.path, built), 401, "stale_timestamp");
      }
      expect(storedRows(hub)).toHaveLength(0);
      const edge = await port.known(3, { ...current(), at: hub.clock.now() - window + 2_000 });
      expect((await send(hub, port.path, edge)).status).toBe(200);
    },
  );

  it.runIf(port.windowMs !== null)(
    "refuses a delivery that went stale while the hub's clock moved on",
    async () => {
      const built = await port.known(4, current());
      hub.clock.advance(port.windowMs! + 1_000);
      await expectError(await send(hub, port.path, built), 401, "stale_timestamp");
    },
  );

  it.each(port.required)("answers $status when $header is missing", async ({ header, status }) => {
    const built = await port.known(5, current());
    const headers = Object.fromEntries(
      Object.entries(built.headers).filter(([k]) => k.toLowerCase() !== header),
    );
    const error = await expectError(await send(hub, port.path, { ...built, headers }), status);
    expect(error.message.toLowerCase()).toContain(header.toLowerCase());
    expect(storedRows(hub)).toHaveLength(0);
  });

  it("answers a duplicate delivery 200 'duplicate' and stores nothing new", async () => {
    const built = await port.known(6, current());
    expect((await send(hub, port.path, built)).status).toBe(200);
    const again = await send(hub, port.path, built);
    expect(again.status).toBe(200);
    expect(await ackOf(again)).toMatchObject({ status: "duplicate", delivery: built.key });
    expect(storedRows(hub)).toHaveLength(1);
  });

  it.runIf(port.unknown !== null)(
    "answers an unknown but genuine event type 2xx and records it as ignored",
    async () => {
      const built = await port.unknown!(current());
      const res = await send(hub, port.path, built);
      expect(res.status).toBe(200);
      expect(await ackOf(res)).toMatchObject({ status: "ignored" });
      const rows = storedRows(hub);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: "ignored", eventType: built.eventType });
      expect(await hub.processor.drain()).toBe(0);
    },
  );

  it.runIf(port.malformed !== null)("refuses a malformed body with 400", async () => {
    const built = await port.malformed!(current());
    await expectError(await send(hub, port.path, built), 400, "invalid_body");
    expect(storedRows(hub)).toHaveLength(0);
  });

  it("refuses an oversized body with 413, before reading it whole", async () => {
    const built = await port.known(7, current());
    const body = "x".repeat(port.maxBodyBytes + 1);
    await expectError(await send(hub, port.path, { ...built, body }), 413, "payload_too_large");
    // A body streamed without a Content-Length is cut off at the limit just the same.
    const chunk = new TextEncoder().encode("y".repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > port.maxBodyBytes) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const res = await hub.request(port.path, {
      method: "POST",
      body: stream,
      headers: built.headers,
      duplex: "half",
    } as RequestInit);
    await expectError(res, 413, "payload_too_large");
    expect(storedRows(hub)).toHaveLength(0);
  });

  it("refuses an empty body with a 4xx", async () => {
    const built = await port.known(10, current());
    const res = await send(hub, port.path, { body: "", headers: built.headers });
    expect([400, 401]).toContain(res.status);
    await expectError(res, res.status);
    expect(storedRows(hub)).toHaveLength(0);
  });

  it("refuses a wrong content type with 415", async () => {
    const built = await port.known(8, current());
    const wrong = port.contentType === "application/json" ? "text/plain" : "application/json";
    const error = await expectError(
      await send(hub, port.path, { ...built, headers: { ...built.headers, "content-type": wrong } }),
      415,
      "unsupported_media_type",
    );
    expect(error.message).toContain(port.contentType);
  });

  it("accepts its content type with a charset parameter", async () => {
    const built = await port.known(9, current());
    const headers = { ...built.headers, "content-type": `${port.contentType}; charset=utf-8` };
    expect((await send(hub, port.path, { ...built, headers })).status).toBe(200);
  });
});
