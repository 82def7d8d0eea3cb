import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { maxInboxAttempts } from "../../src/inbox/store";
import { useMockServer } from "../helpers/mock-server";
import { createWorld, type World } from "../helpers/world";
import { contentType, type Endpoint, endpoints, headerText, mutate, mutations } from "./fuzz-inputs";

/**
 * Fuzzing every webhook endpoint with what the internet may send: random bytes, random JSON and mutated
 * real payloads, signed and unsigned, with hostile header values and odd content types. Whatever arrives,
 * the hub answers below 500, stores exactly the deliveries it acknowledges (and nothing it refuses), and
 * the processor leaves every stored row finished: done, ignored, or dead with the reason.
 */
useMockServer();

const encoder = new TextEncoder();

/**
 * Each property gets a share of time (the suite runs on slow shared machines); runs past it return at once.
 * Not fast-check's `interruptAfterTimeLimit`: that abandons the request in flight, whose late commit would
 * then be counted against the next request.
 */
function budget(ms: number) {
  const deadline = performance.now() + ms;
  return () => performance.now() > deadline;
}

interface Probe {
  hub: World;
  endpoint: Endpoint;
  body: Uint8Array<ArrayBuffer>;
  headers: Headers;
  signed: boolean;
}

const count = (hub: World) =>
  (hub.database.sqlite.prepare("SELECT count(*) AS n FROM inbox").get() as { n: number }).n;

function rowStatus(hub: World, platform: string, key: string) {
  const row = hub.database.sqlite
    .prepare("SELECT status FROM inbox WHERE platform = ? AND delivery_key = ?")
    .get(platform, key) as { status: string } | undefined;
  return row?.status;
}

/** Sends one request and checks what the hub did with it. */
async function probe({ hub, endpoint, body, headers, signed }: Probe) {
  const before = count(hub);
  const res = await hub.request(endpoint.path, { method: "POST", body, headers });
  expect(res.status).toBeLessThan(500);
  const key = res.headers.get("x-hub-delivery");
  const status = res.headers.get("x-hub-delivery-status");
  const text = await res.text();
  if (res.status >= 300) {
    // Refused: the one error envelope, and nothing stored.
    expect(JSON.parse(text).error.code).toEqual(expect.any(String));
    expect(count(hub)).toBe(before);
    return;
  }
  if (!key || !signed) {
    // A handshake answered at once (url_verification, ssl_check) is not a delivery: nothing is stored.
    expect(key).toBeNull();
    expect(count(hub)).toBe(before);
    return;
  }
  if (status === "duplicate") {
    expect(count(hub)).toBe(before);
    return;
  }
  expect(count(hub)).toBe(before + 1);
  expect(rowStatus(hub, endpoint.platform, key)).toBe(status === "accepted" ? "pending" : "ignored");
}

/** Runs the processor until every row had all its attempts, then checks none is left unfinished. */
async function settle(hub: World) {
  for (let round = 0; round <= maxInboxAttempts; round++) {
    await hub.processor.drain();
    // Past the longest backoff (15 min), so every failed row is due again.
    hub.clock.advance(16 * 60_000);
  }
  const rows = hub.database.sqlite
    .prepare("SELECT status, outcome, last_error AS lastError FROM inbox")
    .all() as { status: string; outcome: string | null; lastError: string | null }[];
  for (const row of rows) {
    expect(["done", "ignored", "dead"]).toContain(row.status);
    expect(row.status === "dead" ? row.lastError : row.outcome).toBeTruthy();
  }
  return rows.length;
}

const deliveryId = fc.oneof(
  { weight: 6, arbitrary: fc.uuid() },
  { weight: 1, arbitrary: headerText(200) },
  { weight: 1, arbitrary: fc.constant(null) },
);

/** A body that is no real payload: random bytes, random JSON, or a random form. */
const junk = (endpoint: Endpoint) =>
  fc.oneof(
    fc.uint8Array({ maxLength: 1024 }).map((b) => new Uint8Array(b)),
    fc.jsonValue({ maxDepth: 3 }).map((v) => encoder.encode(endpoint.encode(v))),
    fc
      .dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 40 }), { maxKeys: 6 })
      .map((d) => encoder.encode(new URLSearchParams(d).toString())),
  );

const eventName = (endpoint: Endpoint) =>
  fc.oneof(fc.constantFrom(...endpoint.seeds.map((s) => s.event), "star"), headerText(20));

function withContentType(headers: Headers, type: string): Headers {
  headers.set("content-type", type);
  return headers;
}

describe.each(endpoints)("fuzzing $path", (endpoint) => {
  let hub: World;
  beforeEach(async () => {
    hub = createWorld();
    await hub.ready;
  });
  afterEach(() => hub.close());

  it("answers below 500, stores what it acknowledges, and leaves no row stuck", async () => {
    const secret = hub.secrets[endpoint.platform].current;
    const now = () => hub.clock.now();

    // Unsigned, or signed with a wrong secret, or with a signature header of random text.
    let spent = budget(800);
    await fc.assert(
      fc.asyncProperty(
        junk(endpoint),
        contentType(endpoint.contentType),
        eventName(endpoint),
        deliveryId,
        fc.option(headerText(120)),
        async (body, type, event, id, forged) => {
          if (spent()) return;
          const headers = endpoint.sign(body, { secret: "not-the-secret", now: now(), event, id });
          for (const name of ["x-hub-signature-256", "x-slack-signature", "linear-signature"]) {
            if (forged !== null && headers.has(name)) headers.set(name, forged);
          }
          await probe({ hub, endpoint, body, headers: withContentType(headers, type), signed: false });
        },
      ),
      { numRuns: 150 },
    );

    // Correctly signed bodies that are not real payloads.
    spent = budget(800);
    await fc.assert(
      fc.asyncProperty(
        junk(endpoint),
        contentType(endpoint.contentType),
        eventName(endpoint),
        deliveryId,
        async (body, type, event, id) => {
          if (spent()) return;
          const headers = endpoint.sign(body, { secret, now: now(), event, id });
          await probe({ hub, endpoint, body, headers: withContentType(headers, type), signed: true });
        },
      ),
      { numRuns: 150 },
    );

    // Real payloads, mutated anywhere (their key fields included), then correctly signed.
    let n = 0;
    spent = budget(1_800);
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: endpoint.seeds.length - 1 }),
        mutations,
        contentType(endpoint.contentType),
        deliveryId,
        fc.boolean(),
        async (seed, ops, type, id, tamper) => {
          if (spent()) return;
          const { event, payload } = structuredClone(endpoint.seeds[seed]!);
          endpoint.freshen(payload, n++, now());
          const body = encoder.encode(endpoint.encode(mutate(payload, ops, endpoint.keyPaths)));
          // Now and then one byte changes after encoding: signed, but no longer well-formed.
          if (tamper && body.length > 0) body[n % body.length]! ^= 0x20;
          const headers = endpoint.sign(body, { secret, now: now(), event, id });
          await probe({ hub, endpoint, body, headers: withContentType(headers, type), signed: true });
        },
      ),
      { numRuns: 300 },
    );

    // The mutated real payloads reach the inbox, and everything stored gets finished.
    expect(await settle(hub)).toBeGreaterThan(0);
  });
});
