import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSlackClient } from "../../src/clients/slack/client";
import { outbox } from "../../src/db/schema/outbox";
import { enqueueOutbound } from "../../src/outbox/enqueue";
import { laneOf, rateLimitScope } from "../../src/outbox/lanes";
import { claimOutbox, maxOutboxAttempts, nextDueAt } from "../../src/outbox/store";
import { deliverClaimed, deliverDue, type RateLimits } from "../../src/outbox/worker";
import { createWorld, type World } from "../helpers/world";
import { heldSlack, SLACK_API, slackFake } from "./slack-fake";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

let hub: World;
afterEach(() => hub?.close());

/** Jitter pinned to the middle of its range, so the waits are known: floor(0.5 · 1000 · 2^(n-1)) ms. */
const half = () => 0.5;

function setup() {
  hub = createWorld({
    clients: { slack: createSlackClient({ botToken: "xoxb-test", apiUrl: SLACK_API, timeoutMs: 100 }) },
  });
  const fake = slackFake(() => hub.clock.now());
  server.use(fake.handler);
  return fake;
}

const post = (text: string, channel = "C1") => ({
  request: { platform: "slack" as const, operation: "chat.postMessage", args: { channel, text } },
  dedupeKey: `test:${text}`,
});

/** Runs the worker, moving the manual clock to the next due retry each time, until nothing is left to do. */
async function deliverAll(h: World, rounds = 60) {
  for (let i = 0; i < rounds; i++) {
    await deliverDue(h.deps, { random: half });
    const next = await nextDueAt(h.database);
    if (next === null) return;
    if (next > h.clock.now()) h.clock.set(next);
  }
  throw new Error("outbox did not drain");
}

const rows = async (h: World) => await h.database.db.select().from(outbox);
const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);

describe("outbox delivery against the real Slack client", () => {
  it("delivers every message exactly once through 429s, 500s and timeouts, waiting as told", async () => {
    const fake = setup();
    fake.script("flaky", [
      { kind: "http", status: 500 },
      { kind: "http", status: 503 },
    ]);
    fake.script("slow", [{ kind: "hang", ms: 1000 }]);
    fake.script("limited", [{ kind: "rate_limited", retryAfter: 7 }]);
    for (const text of ["flaky", "slow", "limited"]) await enqueueOutbound(hub.deps, post(text));

    await deliverAll(hub);

    // Each message landed once, whatever it went through.
    expect(
      fake
        .delivered()
        .map((c) => c.args.text)
        .sort(),
    ).toEqual(["flaky", "limited", "slow"]);
    expect(fake.callsFor("flaky").map((c) => c.outcome)).toEqual(["http", "http", "ok"]);
    expect(fake.callsFor("slow").map((c) => c.outcome)).toEqual(["hang", "ok"]);
    expect(fake.callsFor("limited").map((c) => c.outcome)).toEqual(["rate_limited", "ok"]);
    // Retry-After: 7 is honoured exactly; 5xx and timeouts back off exponentially (jitter pinned at 0.5).
    expect(gaps(fake.callsFor("limited").map((c) => c.at))).toEqual([7000]);
    expect(gaps(fake.callsFor("flaky").map((c) => c.at))).toEqual([500, 1000]);
    expect(gaps(fake.callsFor("slow").map((c) => c.at))).toEqual([500]);
    expect((await rows(hub)).map((r) => r.status)).toEqual(["sent", "sent", "sent"]);
    const limited = (await rows(hub)).find((r) => r.dedupeKey === "test:limited")!;
    expect(limited).toMatchObject({ attempts: 2, rateLimited: 1 });
    expect(JSON.parse(limited.response!)).toMatchObject({ ok: true, channel: "C1" });

    // Nothing more is sent however often the worker runs again.
    hub.clock.advance(3_600_000);
    expect(await deliverDue(hub.deps)).toMatchObject({ claimed: 0 });
    expect(fake.delivered()).toHaveLength(3);
  });

  it("holds back the other calls of the same method while Slack rate-limits it", async () => {
    const fake = setup();
    fake.script("first", [{ kind: "rate_limited", retryAfter: 3 }]);
    await enqueueOutbound(hub.deps, post("first"));
    await enqueueOutbound(hub.deps, post("second"));

    const pass = await deliverDue(hub.deps, { random: half });
    expect(pass).toMatchObject({ claimed: 2, sent: 0, retrying: 2 });
    // The second call was not fired into the rate limit.
    expect(fake.seen.map((c) => c.args.text)).toEqual(["first"]);
    const start = hub.clock.now();
    expect((await rows(hub)).map((r) => [r.dedupeKey, r.availableAt - start, r.attempts])).toEqual([
      ["test:first", 3000, 1],
      ["test:second", 3000, 0],
    ]);

    hub.clock.advance(2999);
    expect(await deliverDue(hub.deps)).toMatchObject({ claimed: 0 });
    hub.clock.advance(1);
    expect(await deliverDue(hub.deps)).toMatchObject({ claimed: 2, sent: 2 });
    expect(fake.delivered().map((c) => c.args.text)).toEqual(["first", "second"]);
  });

  it("holds back only the rate-limited team's calls: another team's go out in the same pass", async () => {
    hub = createWorld({
      clients: {
        slack: createSlackClient({
          apiUrl: SLACK_API,
          timeoutMs: 100,
          tokenFor: async (target) => `xoxb-${target.teamId}`,
        }),
      },
    });
    const fake = slackFake(() => hub.clock.now());
    server.use(fake.handler);
    const postAs = (teamId: string, text: string) => ({
      request: {
        platform: "slack" as const,
        operation: "chat.postMessage",
        target: { teamId },
        args: { channel: "C1", text },
      },
      dedupeKey: `test:${text}`,
    });
    fake.script("team one, first", [{ kind: "rate_limited", retryAfter: 3 }]);
    await enqueueOutbound(hub.deps, postAs("T1", "team one, first"));
    await enqueueOutbound(hub.deps, postAs("T1", "team one, second"));
    await enqueueOutbound(hub.deps, postAs("T2", "team two"));

    // One lane at a time, so team two's call comes after team one ran into Slack's limit.
    const pass = await deliverDue(hub.deps, { random: half, lanes: 1 });
    expect(pass).toMatchObject({ claimed: 3, sent: 1, retrying: 2 });
    expect(fake.seen.map((c) => c.args.text)).toEqual(["team one, first", "team two"]);
    hub.clock.advance(3000);
    expect(await deliverDue(hub.deps)).toMatchObject({ claimed: 2, sent: 2 });
    expect(fake.delivered().map((c) => c.args.text)).toEqual([
      "team two",
      "team one, first",
      "team one, second",
    ]);
  });

  it("forgets the limits that are over when a new one comes in", async () => {
    const fake = setup();
    fake.script("limited", [{ kind: "rate_limited", retryAfter: 3 }]);
    await enqueueOutbound(hub.deps, post("limited"));
    const now = hub.clock.now();
    // What a dispatcher running for days holds: a limit another team ran into long ago, and one still in force.
    const limits: RateLimits = new Map([
      ["slack :T_OLD chat.postMessage", now - 1],
      ["slack :T_BUSY chat.postMessage", now + 60_000],
    ]);
    const [row] = await claimOutbox(hub.database, now, 60_000, 1);
    const settings = { leaseMs: 60_000, maxAttempts: maxOutboxAttempts, random: half };
    expect(await deliverClaimed(hub.deps, row!, limits, settings)).toBe("retrying");
    expect(Object.fromEntries(limits)).toEqual({
      "slack :T_BUSY chat.postMessage": now + 60_000,
      [rateLimitScope(row!)]: now + 3000,
    });
  });

  it("makes a call dead at once when Slack refuses it, with Slack's error", async () => {
    const fake = setup();
    fake.script("nowhere", [{ kind: "error", error: "channel_not_found" }]);
    const { id } = await enqueueOutbound(hub.deps, post("nowhere", "C404"));

    expect(await deliverDue(hub.deps)).toMatchObject({ claimed: 1, dead: 1 });
    expect(fake.seen).toHaveLength(1);
    expect((await rows(hub))[0]).toMatchObject({
      id,
      status: "dead",
      attempts: 1,
      lastError: "slack: channel_not_found",
    });
    hub.clock.advance(86_400_000);
    expect(await deliverDue(hub.deps)).toMatchObject({ claimed: 0 });
  });

  it("treats already_reacted as done", async () => {
    const fake = setup();
    await enqueueOutbound(hub.deps, {
      request: {
        platform: "slack",
        operation: "reactions.add",
        args: { channel: "C1", timestamp: "1.2", name: "eyes" },
      },
      dedupeKey: "eyes",
    });
    fake.script("eyes", [{ kind: "error", error: "already_reacted" }]);
    expect(await deliverDue(hub.deps)).toMatchObject({ sent: 1 });
    expect((await rows(hub))[0]).toMatchObject({ status: "sent" });
  });

  it("gives up after the retry budget and keeps the last error", async () => {
    const fake = setup();
    fake.script(
      "down",
      Array.from({ length: 20 }, () => ({ kind: "http" as const, status: 502 })),
    );
    await enqueueOutbound(hub.deps, post("down"));

    await deliverAll(hub);

    expect(fake.callsFor("down")).toHaveLength(maxOutboxAttempts);
    expect(fake.delivered()).toHaveLength(0);
    const [row] = await rows(hub);
    expect(row).toMatchObject({ status: "dead", attempts: maxOutboxAttempts });
    expect(row!.lastError).toBe(`gave up after ${maxOutboxAttempts} attempts: slack: HTTP 502`);
    // Full jitter never waits longer than the exponential ceiling: 0.5 · 1000 · 2^(n-1) here, each time.
    expect(gaps(fake.callsFor("down").map((c) => c.at))).toEqual([500, 1000, 2000, 4000, 8000, 16000, 32000]);
  });

  it("takes a row back from a worker that died mid-call once its lease runs out, and sends it once", async () => {
    const fake = setup();
    await enqueueOutbound(hub.deps, post("orphan"));
    const { claimOutbox } = await import("../../src/outbox/store");
    expect(await claimOutbox(hub.database, hub.clock.now(), 10_000, 10)).toHaveLength(1);
    expect(await deliverDue(hub.deps)).toMatchObject({ claimed: 0 });
    hub.clock.advance(10_000);
    expect(await deliverDue(hub.deps)).toMatchObject({ claimed: 1, sent: 1 });
    expect(fake.delivered()).toHaveLength(1);
  });
});

describe("outbox lanes", () => {
  it("sends calls to different channels at once, and one channel's calls in the order they were queued", async () => {
    hub = createWorld({
      clients: { slack: createSlackClient({ botToken: "xoxb-test", apiUrl: SLACK_API, timeoutMs: 5_000 }) },
    });
    const slack = heldSlack(["first in C1"]);
    server.use(slack.handler);
    await enqueueOutbound(hub.deps, post("first in C1", "C1"));
    await enqueueOutbound(hub.deps, post("second in C1", "C1"));
    await enqueueOutbound(hub.deps, post("only in C2", "C2"));
    await enqueueOutbound(hub.deps, post("only in C3", "C3"));

    const pass = deliverDue(hub.deps);
    for (let waited = 0; slack.events.length < 5 && waited < 5_000; waited += 10)
      await new Promise((r) => setTimeout(r, 10));
    // C2 and C3 were not kept waiting behind C1's slow answer; C1's second message waits for its first.
    expect([...slack.events].sort()).toEqual([
      "answered only in C2",
      "answered only in C3",
      "arrived first in C1",
      "arrived only in C2",
      "arrived only in C3",
    ]);
    slack.release("first in C1");
    expect(await pass).toMatchObject({ claimed: 4, sent: 4, dead: 0 });
    expect(slack.events.slice(5)).toEqual([
      "answered first in C1",
      "arrived second in C1",
      "answered second in C1",
    ]);
  });

  it("keeps the calls of one Slack channel in one lane, and those of other channels, teams and platforms apart", () => {
    const slack = (channel: string, teamId = "T1") => ({
      platform: "slack" as const,
      target: JSON.stringify({ teamId }),
      args: JSON.stringify({ channel, text: "x" }),
    });
    expect(laneOf(slack("C1"))).toBe(
      laneOf({ ...slack("C1"), args: JSON.stringify({ channel: "C1", ts: "1" }) }),
    );
    expect(laneOf(slack("C1"))).not.toBe(laneOf(slack("C2")));
    expect(laneOf(slack("C1"))).not.toBe(laneOf(slack("C1", "T2")));
    const github = (pull: number) => ({
      platform: "github" as const,
      target: JSON.stringify({ installationId: 1, repository: "acme/web" }),
      args: JSON.stringify({ pull_number: pull }),
    });
    expect(laneOf(github(1))).not.toBe(laneOf(github(2)));
    const linear = (args: Record<string, unknown>) => ({
      platform: "linear" as const,
      target: JSON.stringify({ organizationId: "org" }),
      args: JSON.stringify(args),
    });
    // A session's activities and the update of that session keep their order.
    expect(laneOf(linear({ agentSessionId: "s1" }))).toBe(laneOf(linear({ id: "s1" })));
    expect(laneOf(linear({ agentSessionId: "s1" }))).not.toBe(laneOf(linear({ agentSessionId: "s2" })));
  });
});

describe("enqueueOutbound", () => {
  it("stores a call once per dedupe key and wakes the worker only for a new one", async () => {
    hub = createWorld();
    let wakes = 0;
    hub.onOutboxWake(() => wakes++);
    const first = await enqueueOutbound(hub.deps, { ...post("hello"), taskId: "tsk_1" });
    const again = await enqueueOutbound(hub.deps, { ...post("hello"), taskId: "tsk_1" });
    expect(first.created).toBe(true);
    expect(again).toEqual({ id: first.id, created: false });
    expect(wakes).toBe(1);
    expect(await rows(hub)).toEqual([
      expect.objectContaining({
        id: first.id,
        status: "pending",
        taskId: "tsk_1",
        operation: "chat.postMessage",
      }),
    ]);
  });
});
