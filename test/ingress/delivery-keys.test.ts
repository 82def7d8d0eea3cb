import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { githubRequest } from "../helpers/signers";
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
 * The delivery key is echoed in the `x-hub-delivery` answer header and keys the inbox row. A genuine
 * signature says nothing about what the key holds, so a key that could not be a header value (CR/LF, NUL,
 * text beyond Latin-1) or is absurdly long is refused with 400 before anything is stored: otherwise the
 * delivery would be stored and processed while every attempt, and every retry, got a 500.
 */
const hostile = [
  ["CR/LF", "Ev0001\r\nx-injected: 1"],
  ["NUL", "Ev0001\u0000"],
  ["non-Latin-1 text", "Ev0001\u2603"],
  ["a space", "Ev 0001"],
  ["129 characters", "E".repeat(129)],
] as const;

interface KeyCase {
  name: string;
  path: string;
  /** A genuine, correctly signed delivery whose key field holds `key`. */
  build(key: string, o: SignOptions): Built | Promise<Built>;
}

const cases: KeyCase[] = [
  {
    name: "Slack event_id",
    path: "/webhooks/slack/events",
    build: (key, o) => slackEvent({ ...fixture("slack", "app-mention"), event_id: key }, o),
  },
  {
    name: "Slack command trigger_id",
    path: "/webhooks/slack/commands",
    build: (key, o) => slackCommand({ ...fixture("slack", "slash-command"), trigger_id: key }, o),
  },
  {
    name: "Slack interaction trigger_id",
    path: "/webhooks/slack/interactions",
    build: (key, o) => slackInteraction({ ...fixture("slack", "block-actions"), trigger_id: key }, o),
  },
  {
    name: "Linear webhookId (no Linear-Delivery header)",
    path: "/webhooks/linear",
    build: (key, o) =>
      linearWebhook(
        { ...fixture("linear", "agent-session-created"), webhookId: key },
        { ...o, delivery: null },
      ),
  },
];

let hub: World;
const signed = (platform: "slack" | "linear" | "github") => ({
  secret: hub.secrets[platform].current,
  at: hub.clock.now(),
});
const platformOf = (path: string) =>
  path.includes("slack") ? "slack" : path.includes("linear") ? "linear" : "github";

beforeEach(() => {
  hub = createWorld();
});
afterEach(() => hub.close());

describe.each(cases)("delivery keys: $name", ({ path, build }) => {
  it.each(hostile)("refuses a key with %s with 400 and stores nothing", async (_what, key) => {
    const built = await build(key, signed(platformOf(path)));
    const error = await expectError(await send(hub, path, built), 400, "bad_request");
    expect(error.message).toMatch(/delivery/i);
    expect(storedRows(hub)).toHaveLength(0);
    // The platform's retry gets the same clear answer, never a 500.
    await expectError(await send(hub, path, built), 400, "bad_request");
    expect(storedRows(hub)).toHaveLength(0);
  });
});

describe("delivery keys: headers", () => {
  it("refuses an X-GitHub-Delivery that is not printable ASCII or too long", async () => {
    for (const key of ["caf\u00e9-0001", "a\tb", "d".repeat(129)]) {
      const built = await githubDelivery("pull_request", "opened", signed("github"));
      const res = await send(hub, "/webhooks/github", {
        ...built,
        headers: { ...built.headers, "x-github-delivery": key },
      });
      await expectError(res, 400, "bad_request");
    }
    expect(storedRows(hub)).toHaveLength(0);
  });

  it("refuses a Linear-Delivery that is not printable ASCII", async () => {
    const built = linearWebhook(fixture("linear", "agent-session-created"), {
      ...signed("linear"),
      delivery: "ld-\u00ff\u00fe",
    });
    await expectError(await send(hub, "/webhooks/linear", built), 400, "bad_request");
    expect(storedRows(hub)).toHaveLength(0);
  });

  it("accepts the longest allowed key and echoes it in the answer header", async () => {
    const key = `${"a".repeat(60)}-${"0".repeat(67)}`;
    expect(key).toHaveLength(128);
    const init = await githubRequest(
      { action: "created", starred_at: null },
      { event: "star", delivery: key, secret: hub.secrets.github.current },
    );
    const res = await hub.request("/webhooks/github", init);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-hub-delivery")).toBe(key);
    expect(await ackOf(res)).toMatchObject({ delivery: key });
    expect(storedRows(hub).map((r) => r.deliveryKey)).toEqual([key]);
  });
});
