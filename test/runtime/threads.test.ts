import { once } from "node:events";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { decodePayload } from "../../src/inbox/payload-codec";
import type { NewDelivery } from "../../src/inbox/store";
import { silentLogger } from "../../src/lib/logger";
import { startInboxThread } from "../../src/runtime/inbox-thread";
import { INGRESS_BURST, ingressPressure, whenIngressQuiet } from "../../src/runtime/ingress-pressure";
import { startThread } from "../../src/runtime/threads";
import { writeLockBuffer } from "../../src/runtime/write-lock";
import { removeTempDir } from "../helpers/temp-dir";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) removeTempDir(dir);
});

function delivery(key: string, payload = `{"delivery":"${key}"}`): NewDelivery {
  return {
    platform: "github",
    deliveryKey: key,
    replayDigest: false,
    eventType: "pull_request.opened",
    payload,
    known: true,
    receivedAt: 1,
  };
}

describe("the inbox thread", () => {
  it("says each time a batch has committed, with its rows there to be read, before it answers", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hub-inbox-thread-"));
    dirs.push(dir);
    const dbPath = join(dir, "hub.sqlite");
    const events: string[] = [];
    const thread = await startInboxThread(
      { HUB_DB_PATH: dbPath },
      undefined,
      writeLockBuffer(),
      silentLogger,
      {
        onCommitted: () => {
          const db = new Database(dbPath, { readonly: true });
          const { n } = db.prepare("SELECT count(*) AS n FROM inbox").get() as { n: number };
          db.close();
          events.push(`committed with ${n} rows`);
        },
      },
    );
    try {
      expect(thread.inbox.wakesProcessor).toBe(true);
      const added = Promise.all([thread.inbox.add(delivery("c1")), thread.inbox.add(delivery("c2"))]).then(
        (results) => events.push(`answered ${results.join(", ")}`),
      );
      await added;
      expect(events).toEqual(["committed with 2 rows", "answered accepted, accepted"]);
    } finally {
      await thread.stop();
    }
  });

  it("stores what the HTTP thread hands over, answering each delivery once its commit is durable", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hub-inbox-thread-"));
    dirs.push(dir);
    const dbPath = join(dir, "hub.sqlite");
    const thread = await startInboxThread(
      { HUB_DB_PATH: dbPath },
      undefined,
      writeLockBuffer(),
      silentLogger,
    );
    try {
      const body = JSON.stringify({ action: "opened", text: "x".repeat(5000) });
      // Sent in one turn of the event loop: one message to the thread, one commit, an answer for each.
      const results = await Promise.all([
        thread.inbox.add(delivery("a", body)),
        thread.inbox.add(delivery("b")),
        thread.inbox.add(delivery("a", body)),
      ]);
      expect(results).toEqual(["accepted", "accepted", "duplicate"]);
      expect(await thread.inbox.add(delivery("b"))).toBe("duplicate");

      const db = new Database(dbPath, { readonly: true });
      const rows = db
        .prepare(
          "SELECT delivery_key AS key, payload, payload_encoding AS encoding FROM inbox ORDER BY delivery_key",
        )
        .all() as { key: string; payload: Buffer; encoding: "br" | "utf-8" }[];
      db.close();
      // A body of a few KB is compressed; a small one is kept as it came.
      expect(rows.map((r) => [r.key, r.encoding])).toEqual([
        ["a", "br"],
        ["b", "utf-8"],
      ]);
      expect(decodePayload(rows[0]!.payload, rows[0]!.encoding)).toBe(body);
      expect(decodePayload(rows[1]!.payload, rows[1]!.encoding)).toBe(delivery("b").payload);
    } finally {
      await thread.stop();
    }
  });

  it("stores and answers everything handed over before it was asked to stop", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hub-inbox-thread-"));
    dirs.push(dir);
    const dbPath = join(dir, "hub.sqlite");
    const thread = await startInboxThread(
      { HUB_DB_PATH: dbPath },
      undefined,
      writeLockBuffer(),
      silentLogger,
    );
    // Four batches in flight (one per turn of the event loop, each big enough to take a while), then the stop:
    // answers to the first batches come back while the last ones are still being written.
    const body = JSON.stringify({ text: "webhook ".repeat(3_000) });
    const answers: Promise<string>[] = [];
    for (let batch = 0; batch < 4; batch++) {
      for (let i = 0; i < 100; i++) answers.push(thread.inbox.add(delivery(`s-${batch}-${i}`, body)));
      await new Promise((r) => setImmediate(r));
    }
    await thread.stop();
    const settled = await Promise.race([
      Promise.all(answers),
      new Promise((r) => setTimeout(() => r("some deliveries were never answered"), 5_000)),
    ]);
    expect(settled).toEqual(answers.map(() => "accepted"));
    const db = new Database(dbPath, { readonly: true });
    const stored = db.prepare("SELECT count(*) AS n FROM inbox").get() as { n: number };
    db.close();
    expect(stored.n).toBe(400);
  });

  it("answers every waiting delivery with an error when the write fails, instead of leaving it hanging", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hub-inbox-thread-"));
    dirs.push(dir);
    const thread = await startInboxThread(
      { HUB_DB_PATH: join(dir, "hub.sqlite") },
      undefined,
      writeLockBuffer(),
      silentLogger,
    );
    try {
      const broken = { ...delivery("c"), eventType: null } as unknown as NewDelivery;
      const outcomes = await Promise.allSettled([thread.inbox.add(delivery("d")), thread.inbox.add(broken)]);
      expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected"]);
      expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/inbox write failed.*NOT NULL/);
      // The thread is still serving: the next delivery is stored.
      expect(await thread.inbox.add(delivery("d"))).toBe("accepted");
    } finally {
      await thread.stop();
    }
  });
});

describe.runIf(process.platform === "linux")("thread priority", () => {
  it("lowers only the calling thread, ten steps below the process", async () => {
    const entry = pathToFileURL(join(import.meta.dirname, "fixtures", "priority-thread.ts")).href;
    const thread = await startThread("priority", entry, {}, silentLogger);
    const [report] = (await once(thread.worker, "message")) as [{ nice: number }];
    const processNice = Number(readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ")[16]);
    expect(report.nice).toBe(Math.min(19, processNice + 10));
    // The thread that asked is unchanged.
    expect(Number(readFileSync("/proc/thread-self/stat", "utf8").split(") ")[1]!.split(" ")[16])).toBe(
      processNice,
    );
    await thread.stop();
  });
});

describe("ingress pressure", () => {
  it("lets processing go at once when no webhook is being handled", async () => {
    const pressure = ingressPressure();
    const started = performance.now();
    await whenIngressQuiet(pressure, 5_000);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("keeps pace with a steady stream: a webhook or two in flight hold nothing", async () => {
    const pressure = ingressPressure();
    pressure.enter();
    pressure.enter();
    const started = performance.now();
    await whenIngressQuiet(pressure, 5_000);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("holds processing during a burst of webhooks, on any thread sharing the counter", async () => {
    const pressure = ingressPressure();
    const seenElsewhere = ingressPressure(pressure.buffer);
    for (let i = 0; i < INGRESS_BURST + 1; i++) pressure.enter();
    expect(seenElsewhere.inFlight()).toBe(INGRESS_BURST + 1);
    let released = false;
    const waiting = whenIngressQuiet(seenElsewhere, 5_000).then(() => {
      released = true;
    });
    await new Promise((r) => setTimeout(r, 20));
    pressure.leave();
    await new Promise((r) => setTimeout(r, 20));
    expect(released).toBe(false);
    pressure.leave();
    await waiting;
    expect(seenElsewhere.inFlight()).toBe(INGRESS_BURST - 1);
  });

  it("does not take the moment a group commit answers part of a burst for a lull", async () => {
    const pressure = ingressPressure();
    for (let i = 0; i < INGRESS_BURST; i++) pressure.enter();
    let released = false;
    const waiting = whenIngressQuiet(pressure, 5_000).then(() => {
      released = true;
    });
    // A dip below the burst that lasts a few milliseconds, then the next requests arrive.
    pressure.leave();
    await new Promise((r) => setTimeout(r, 4));
    pressure.enter();
    await new Promise((r) => setTimeout(r, 40));
    expect(released).toBe(false);
    pressure.leave();
    await waiting;
    expect(released).toBe(true);
  });

  it("gives up waiting after the longest pause, so processing still moves under a flood", async () => {
    const pressure = ingressPressure();
    for (let i = 0; i < INGRESS_BURST; i++) pressure.enter();
    const started = performance.now();
    await whenIngressQuiet(pressure, 30);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(pressure.inFlight()).toBe(INGRESS_BURST);
  });
});
