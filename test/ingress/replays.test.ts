import { afterEach, describe, expect, it } from "vitest";
import { linearSignature } from "../helpers/signers";
import { createWorld, type World } from "../helpers/world";
import { ackOf, type Built, fixture, githubDelivery, linearWebhook, send, storedRows } from "./deliveries";

/**
 * GitHub and Linear key deliveries by an unsigned header. Whoever holds one signed body can send it again
 * under a new id; the inbox's second key, a digest of the signed bytes, makes that a duplicate: answered
 * 2xx, nothing stored, nothing processed.
 */
let hub: World;
let processed: string[];

function start() {
  processed = [];
  hub = createWorld({
    step: async (_deps, { event }) => {
      processed.push(event.deliveryKey);
      return { outcome: "ok" };
    },
  });
  return hub;
}
afterEach(() => hub?.close());

const withHeader = (built: Built, name: string, value: string): Built => ({
  ...built,
  headers: { ...built.headers, [name]: value },
});

async function expectDuplicate(res: Response) {
  expect(res.status).toBe(200);
  expect(await ackOf(res)).toMatchObject({ status: "duplicate" });
}

describe("replays under a new delivery id", () => {
  it("GitHub: the same signed body with a new X-GitHub-Delivery is a duplicate", async () => {
    start();
    const built = await githubDelivery("pull_request", "opened", {
      secret: hub.secrets.github.current,
      at: hub.clock.now(),
    });
    expect((await send(hub, "/webhooks/github", built)).status).toBe(200);
    await expectDuplicate(
      await send(hub, "/webhooks/github", withHeader(built, "x-github-delivery", "replayed-1")),
    );
    expect(storedRows(hub).map((r) => r.deliveryKey)).toEqual([built.key]);
    await hub.processor.drain();
    expect(processed).toEqual([built.key]);
  });

  it("GitHub: its own redelivery (same id, same body) is accepted exactly once, also after processing", async () => {
    start();
    const built = await githubDelivery("pull_request", "opened", {
      secret: hub.secrets.github.current,
      at: hub.clock.now(),
    });
    expect(await ackOf(await send(hub, "/webhooks/github", built))).toMatchObject({ status: "accepted" });
    await hub.processor.drain();
    await expectDuplicate(await send(hub, "/webhooks/github", built));
    await hub.processor.drain();
    expect(processed).toEqual([built.key]);
  });

  it("GitHub: a replay is still a duplicate once retention has dropped the stored payload", async () => {
    start();
    const built = await githubDelivery("pull_request", "opened", {
      secret: hub.secrets.github.current,
      at: hub.clock.now(),
    });
    await send(hub, "/webhooks/github", built);
    await hub.processor.drain();
    hub.clock.advance((hub.deps.config.inbox.retentionDays + 0.5) * 86_400_000);
    expect(await hub.processor.sweep()).toMatchObject({ payloadsDropped: 1, rowsDeleted: 0 });
    await expectDuplicate(
      await send(hub, "/webhooks/github", withHeader(built, "x-github-delivery", "late-1")),
    );
    await hub.processor.drain();
    expect(processed).toEqual([built.key]);
  });

  it("GitHub: replays sent at once, in one inbox commit, store the body once", async () => {
    start();
    const built = await githubDelivery("pull_request", "opened", {
      secret: hub.secrets.github.current,
      at: hub.clock.now(),
    });
    const answers = await Promise.all(
      ["burst-1", "burst-2", "burst-3"].map((id) =>
        send(hub, "/webhooks/github", withHeader(built, "x-github-delivery", id)),
      ),
    );
    const statuses = await Promise.all(answers.map(async (r) => (await ackOf(r)).status));
    expect(statuses.sort()).toEqual(["accepted", "duplicate", "duplicate"]);
    expect(storedRows(hub)).toHaveLength(1);
  });

  it("GitHub: a byte-order mark in front of a signed body does not make a new delivery", async () => {
    start();
    const built = await githubDelivery("pull_request", "opened", {
      secret: hub.secrets.github.current,
      at: hub.clock.now(),
    });
    await send(hub, "/webhooks/github", built);
    const res = await send(hub, "/webhooks/github", {
      body: `\ufeff${built.body}`,
      headers: { ...built.headers, "x-github-delivery": "bom-1" },
    });
    expect(res.status).toBeLessThan(500);
    if (res.status === 200) expect(await ackOf(res)).toMatchObject({ status: "duplicate" });
    expect(storedRows(hub)).toHaveLength(1);
    await hub.processor.drain();
    expect(processed).toEqual([built.key]);
  });

  it("Linear: the same signed body with a new Linear-Delivery is a duplicate", async () => {
    start();
    const built = linearWebhook(fixture("linear", "agent-session-created"), {
      secret: hub.secrets.linear.current,
      at: hub.clock.now(),
    });
    expect((await send(hub, "/webhooks/linear", built)).status).toBe(200);
    await expectDuplicate(
      await send(hub, "/webhooks/linear", withHeader(built, "linear-delivery", "ld-replayed")),
    );
    expect(storedRows(hub).map((r) => r.deliveryKey)).toEqual([built.key]);
    await hub.processor.drain();
    expect(processed).toEqual([built.key]);
  });

  it("Linear: different bodies under different ids are each their own delivery", async () => {
    start();
    const first = linearWebhook(fixture("linear", "agent-session-created"), {
      secret: hub.secrets.linear.current,
      at: hub.clock.now(),
    });
    // One millisecond later is another signed body, so another delivery.
    const body = first.body.replace(
      /"webhookTimestamp":(\d+)/,
      (_m, t) => `"webhookTimestamp":${Number(t) + 1}`,
    );
    const second = {
      body,
      headers: {
        ...first.headers,
        "linear-delivery": "ld-other",
        "linear-signature": linearSignature(hub.secrets.linear.current, body),
      },
    };
    expect(await ackOf(await send(hub, "/webhooks/linear", first))).toMatchObject({ status: "accepted" });
    expect(await ackOf(await send(hub, "/webhooks/linear", second))).toMatchObject({ status: "accepted" });
    expect(storedRows(hub)).toHaveLength(2);
  });
});
