import { createHmac } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { githubExample } from "../helpers/github-examples";
import { githubRequest } from "../helpers/signers";
import { createWorld, type World } from "../helpers/world";
import { ackOf, expectError, storedRows } from "./deliveries";

/**
 * GitHub bodies are verified as bytes and acknowledged once stored; they are parsed by the processor. A body
 * GitHub signed but the hub cannot read is not refused (GitHub would only redeliver the same bytes): it is
 * kept as a dead delivery with the reason, counted, and an admin can retry it.
 */
let hub: World;
beforeEach(() => {
  hub = createWorld();
});
afterEach(() => hub.close());

async function sendGitHub(body: string, delivery: string, event = "pull_request") {
  const init = await githubRequest(null, { event, delivery, secret: hub.secrets.github.current, body });
  return hub.request("/webhooks/github", init);
}

async function deadItems() {
  const res = await hub.admin("/inbox?status=dead");
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: { id: string; deliveryKey: string; lastError: string }[] }).items;
}

async function invalidCount(): Promise<number> {
  const { body } = await hub.deps.metrics.scrape({
    inboxDepth: {},
    tasks: { queued: 0, running: 0 },
    outbox: { pending: 0, dead: 0 },
  });
  const line = body
    .split("\n")
    .find((l) => l.startsWith("hub_inbox_processed_total{") && l.includes('result="invalid"'));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

describe("GitHub bodies the hub cannot read", () => {
  it("acknowledges a signed body that is not JSON, then keeps it dead with the reason", async () => {
    const res = await sendGitHub('{"action":"opened",', "d-not-json");
    expect(res.status).toBe(200);
    expect(await ackOf(res)).toMatchObject({ status: "accepted", delivery: "d-not-json" });
    expect(storedRows(hub)).toHaveLength(1);

    await hub.process();
    const [row] = storedRows(hub);
    expect(row).toMatchObject({ status: "dead", eventType: "pull_request.opened", attempts: 1 });
    expect(await deadItems()).toEqual([
      expect.objectContaining({ deliveryKey: "d-not-json", lastError: "The body is not valid JSON." }),
    ]);
    expect(await invalidCount()).toBe(1);
    expect(hub.tasks()).toHaveLength(0);
  });

  it("keeps a body that fails the schema dead with the fields at fault, and an admin can retry it", async () => {
    const payload = githubExample("pull_request", "opened");
    delete payload.pull_request.head;
    const res = await sendGitHub(JSON.stringify(payload), "d-bad-shape");
    expect(res.status).toBe(200);

    await hub.process();
    const [item] = await deadItems();
    expect(item?.deliveryKey).toBe("d-bad-shape");
    expect(item?.lastError).toMatch(/^The pull_request payload does not have the expected shape: /);
    expect(item?.lastError).toContain("pull_request.head");
    expect(await invalidCount()).toBe(1);

    const retry = await hub.admin(`/inbox/${item!.id}/retry`, { method: "POST" });
    expect(retry.status).toBe(200);
    expect(storedRows(hub)[0]?.status).toBe("pending");
    expect(hub.audit("inbox.retry")).toHaveLength(1);
    // The same bytes fail the same way: dead again, counted again, never retried on its own.
    await hub.process();
    expect(storedRows(hub)[0]).toMatchObject({ status: "dead", attempts: 1 });
    expect(await invalidCount()).toBe(2);
  });

  it("keeps a signed body that is not UTF-8 dead, not refused", async () => {
    const bytes = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0xff, 0xfe, 0x7d]);
    const signature = `sha256=${createHmac("sha256", hub.secrets.github.current).update(bytes).digest("hex")}`;
    const res = await hub.request("/webhooks/github", {
      method: "POST",
      body: bytes,
      headers: {
        "content-type": "application/json",
        "x-github-event": "pull_request",
        "x-github-delivery": "d-latin1",
        "x-hub-signature-256": signature,
      },
    });
    expect(res.status).toBe(200);
    await hub.process();
    expect(storedRows(hub)[0]).toMatchObject({ status: "dead", lastError: "The body is not valid UTF-8." });
  });

  it("still refuses a body whose signature does not match, and stores nothing", async () => {
    const init = await githubRequest(null, {
      event: "pull_request",
      delivery: "d-forged",
      secret: "another-secret",
      body: "not json",
    });
    await expectError(await hub.request("/webhooks/github", init), 401, "invalid_signature");
    expect(storedRows(hub)).toHaveLength(0);
  });
});

describe("GitHub signatures over the bytes", () => {
  it("accepts GitHub's signature over a body with non-ASCII text and processes it", async () => {
    const payload = githubExample("pull_request", "opened");
    payload.pull_request.title = "Überprüfung der Länge: 日本語のタイトル 🚀 — «ok»";
    const res = await sendGitHub(JSON.stringify(payload), "d-unicode");
    expect(res.status).toBe(200);
    await hub.process();
    const [row] = storedRows(hub);
    expect(row?.status).toBe("done");
    expect(JSON.parse(row!.normalized!).pullRequest.title).toBe(payload.pull_request.title);
  });

  it("covers a byte-order mark: signed with it, the body verifies; the same signature without it does not", async () => {
    const body = `\uFEFF${JSON.stringify(githubExample("pull_request", "opened"))}`;
    const init = await githubRequest(null, {
      event: "pull_request",
      delivery: "d-bom",
      secret: hub.secrets.github.current,
      body,
    });
    expect((await hub.request("/webhooks/github", init)).status).toBe(200);
    const stripped = {
      ...init,
      body: body.slice(1),
      headers: { ...(init.headers as object), "x-github-delivery": "d-bom-2" },
    };
    await expectError(await hub.request("/webhooks/github", stripped), 401, "invalid_signature");
    // Stored byte for byte: GitHub sends no mark, so the processor says so rather than guessing.
    await hub.process();
    expect(storedRows(hub)).toEqual([
      expect.objectContaining({
        deliveryKey: "d-bom",
        status: "dead",
        lastError: "The body is not valid JSON.",
      }),
    ]);
  });
});
