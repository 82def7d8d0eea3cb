import { afterEach, describe, expect, it } from "vitest";
import { decodePayload } from "../../src/inbox/payload-codec";
import type { PipelineStep } from "../../src/inbox/processor";
import { maxInboxAttempts } from "../../src/inbox/store";
import { githubExample } from "../helpers/github-examples";
import { githubRequest } from "../helpers/signers";
import { createWorld, type World } from "../helpers/world";

let hub: World;
afterEach(() => hub?.close());

async function deliver(h: World, delivery: string) {
  const init = await githubRequest(githubExample("pull_request", "opened"), {
    event: "pull_request",
    delivery,
    secret: h.secrets.github.current,
  });
  return h.request("/webhooks/github", init);
}

describe("inbox processor", () => {
  it("stores before acknowledging and processes each delivery once", async () => {
    const seen: string[] = [];
    hub = createWorld({
      step: async (_d, { event }) => {
        seen.push(event.deliveryKey);
        return { outcome: "ok" };
      },
    });
    const res = await deliver(hub, "d-1");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "accepted", delivery: "d-1" });
    // Acknowledged means stored: the row exists before any processing ran.
    expect(hub.inbox().map((r) => [r.deliveryKey, r.status])).toEqual([["d-1", "pending"]]);

    await deliver(hub, "d-1");
    expect(await hub.processor.drain()).toBe(1);
    expect(await hub.processor.drain()).toBe(0);
    expect(seen).toEqual(["d-1"]);
    const [row] = hub.inbox();
    expect(row?.status).toBe("done");
    expect(JSON.parse(row!.normalized!)).toMatchObject({ kind: "pull_request", action: "opened" });
  });

  it("keeps the raw payload compressed, and gives the pipeline exactly the body that was signed", async () => {
    let normalized: unknown;
    hub = createWorld({
      step: async (_d, { event }) => {
        normalized = event;
        return { outcome: "ok" };
      },
    });
    const body = JSON.stringify(githubExample("pull_request", "opened"));
    await deliver(hub, "d-compressed");
    const [row] = hub.inbox();
    expect(row?.payloadEncoding).toBe("br");
    expect(row!.payload!.byteLength).toBeLessThan(Buffer.byteLength(body) / 4);
    expect(decodePayload(row!.payload!, row!.payloadEncoding)).toBe(body);
    await hub.processor.drain();
    expect(normalized).toMatchObject({ kind: "pull_request", action: "opened", deliveryKey: "d-compressed" });
  });

  it("retries a failing step with backoff, then parks it as dead with its last error", async () => {
    let calls = 0;
    const failing: PipelineStep = async () => {
      calls++;
      throw new Error(`boom ${calls}`);
    };
    hub = createWorld({ step: failing });
    await deliver(hub, "d-dead");
    for (let i = 0; i < maxInboxAttempts; i++) {
      await hub.processor.drain();
      hub.clock.advance(60 * 60_000);
    }
    expect(calls).toBe(maxInboxAttempts);
    const res = await hub.request("/api/v1/inbox?status=dead", { headers: hub.adminHeaders });
    const body = (await res.json()) as {
      items: { deliveryKey: string; lastError: string; attempts: number }[];
    };
    expect(body.items).toEqual([
      expect.objectContaining({
        deliveryKey: "d-dead",
        lastError: `boom ${maxInboxAttempts}`,
        attempts: maxInboxAttempts,
      }),
    ]);

    // An admin can put it back in the queue.
    const id = hub.inbox()[0]!.id;
    const retry = await hub.request(`/api/v1/inbox/${id}/retry`, {
      method: "POST",
      headers: hub.adminHeaders,
    });
    expect(retry.status).toBe(200);
    expect(hub.inbox()[0]?.status).toBe("pending");
  });

  it("reclaims a row whose worker died once its lease has run out", async () => {
    hub = createWorld({ env: { HUB_INBOX_LEASE_MS: "1000" } });
    await deliver(hub, "d-lease");
    // A worker claims the row and dies: simulate by claiming directly and never completing.
    const { claimInbox } = await import("../../src/inbox/store");
    const claimed = await claimInbox(hub.database, hub.clock.now(), 1000, 10);
    expect(claimed).toHaveLength(1);
    expect(await hub.processor.drain()).toBe(0); // still leased
    hub.clock.advance(1001);
    expect(await hub.processor.drain()).toBe(1);
    expect(hub.inbox()[0]).toMatchObject({ status: "done", attempts: 2 });
  });

  it("drops raw payloads after the retention period but keeps the dedupe key", async () => {
    hub = createWorld({ env: { HUB_INBOX_RETENTION_DAYS: "1" } });
    await deliver(hub, "d-old");
    await hub.processor.drain();
    hub.clock.advance(2 * 86_400_000);
    expect(await hub.processor.sweep()).toEqual({ payloadsDropped: 1, rowsDeleted: 0 });
    expect(hub.inbox()[0]?.payload).toBeNull();
    const again = await deliver(hub, "d-old");
    expect(await again.json()).toMatchObject({ status: "duplicate" });
    hub.clock.advance(7 * 86_400_000);
    expect(await hub.processor.sweep()).toEqual({ payloadsDropped: 0, rowsDeleted: 1 });
  });
});
