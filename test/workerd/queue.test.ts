import { HttpResponse, http } from "msw";
import { afterEach, describe, expect, it } from "vitest";
import { manualClock } from "../../src/lib/clock";
import { BOT, slackWorkerWorld } from "./slack-world";

// The work queue's guarantees on the Worker: at-least-once messages, exactly-once processing per delivery;
// a delivery whose processing keeps failing is retried with backoff and finally dead-lettered, where admins
// see it and can retry it.

let restore = () => {};
afterEach(() => restore());
const admin = { authorization: "Bearer test-admin-token-0123456789abcdef" };

describe("the work queue on the Worker", () => {
  it("processes a delivery once when its message is delivered twice", async () => {
    const acme = await slackWorkerWorld();
    restore = acme.fakes.restore;
    const { world } = acme;
    await acme.mention(`<@${BOT}> fix the flaky login test in acme/web`);
    const [message] = world.sent.splice(0);
    expect(message?.body).toMatchObject({ kind: "inbox", platform: "slack" });

    // Twice in one batch, then once more in a later batch (a redelivery after a lost ack).
    const first = await world.consume([message!.body, message!.body]);
    const again = await world.consume([message!.body]);

    expect(first.explicitAcks).toHaveLength(2);
    expect(first.retryMessages).toEqual([]);
    expect(again.explicitAcks).toHaveLength(1);
    const row = await world.inboxRow("slack", (message!.body as { deliveryKey: string }).deliveryKey);
    expect(row).toMatchObject({ status: "done", attempts: 1 });
    expect(await world.tasks()).toHaveLength(1);
    expect(acme.dispatched).toHaveLength(1);
  });

  it("retries a failing delivery with backoff, then dead-letters it where the admin API shows it", async () => {
    const clock = manualClock(Date.now());
    // Slack is down: the mention's processing cannot look its user up, so it throws every time.
    const acme = await slackWorkerWorld({
      clock,
      before: [http.post("http://slack.test/api/*", () => new HttpResponse("unavailable", { status: 503 }))],
    });
    restore = acme.fakes.restore;
    const { world } = acme;
    await acme.mention(`<@${BOT}> fix the flaky login test in acme/web`, clock.now());
    const [message] = world.sent.splice(0);
    const key = (message!.body as { deliveryKey: string }).deliveryKey;

    const delays: number[] = [];
    for (let attempt = 1; attempt <= 6; attempt++) {
      const result = await world.consume([message!.body], { attempt });
      expect(result.explicitAcks).toEqual([]);
      const [retry] = result.retryMessages;
      expect(retry).toBeDefined();
      delays.push(retry!.delaySeconds!);
      expect(await world.inboxRow("slack", key)).toMatchObject({ status: "pending", attempts: attempt });
      clock.advance(retry!.delaySeconds! * 1000);
    }
    // Exponential backoff between attempts.
    expect(delays).toEqual([2, 4, 8, 16, 32, 64]);

    // Queues moves the message to the dead-letter queue after max_retries; its consumer marks the row dead.
    const dead = await world.consume([message!.body], { queue: "codex-hub-dead" });
    expect(dead.explicitAcks).toHaveLength(1);
    const row = await world.inboxRow("slack", key);
    expect(row).toMatchObject({ status: "dead", attempts: 6 });
    expect(row!.lastError).toContain("slack");

    const listed = await world.request("/api/v1/inbox?status=dead", { headers: admin });
    expect(listed.status).toBe(200);
    const { items } = (await listed.json()) as {
      items: { id: string; deliveryKey: string; status: string }[];
    };
    expect(items.map((d) => d.deliveryKey)).toContain(key);

    // An admin's retry puts it back in the queue.
    const retried = await world.request(`/api/v1/inbox/${row!.id}/retry`, { method: "POST", headers: admin });
    expect(retried.status).toBeLessThan(300);
    expect(await world.inboxRow("slack", key)).toMatchObject({ status: "pending", attempts: 0 });
    expect(world.sent.map((s) => s.body)).toContainEqual({ kind: "inbox" });
  });
});
