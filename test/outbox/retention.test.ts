import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createSlackClient } from "../../src/clients/slack/client";
import { enqueueOutbound } from "../../src/outbox/enqueue";
import { listOutbox, sweepOutbox } from "../../src/outbox/store";
import { deliverDue } from "../../src/outbox/worker";
import { createWorld, type World } from "../helpers/world";
import { SLACK_API, slackFake } from "./slack-fake";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

let hub: World;
afterEach(() => hub?.close());

const day = 86_400_000;

describe("outbox retention", () => {
  it("drops sent calls after 30 days, keeps dead ones for an admin, and keeps dedupe within the window", async () => {
    hub = createWorld({
      clients: { slack: createSlackClient({ botToken: "xoxb-test", apiUrl: SLACK_API, timeoutMs: 100 }) },
    });
    const fake = slackFake(() => hub.clock.now());
    server.use(fake.handler);
    fake.script("lost", [{ kind: "error", error: "channel_not_found" }]);
    const post = (text: string, dedupeKey: string) =>
      enqueueOutbound(hub.deps, {
        request: { platform: "slack", operation: "chat.postMessage", args: { channel: "C1", text } },
        dedupeKey,
      });
    await post("done", "reply:tsk_1");
    await post("lost", "reply:tsk_2");
    await deliverDue(hub.deps);

    hub.clock.advance(29 * day);
    expect(await sweepOutbox(hub.database, hub.clock.now())).toBe(0);
    // Still within the window: asking again for the same reply sends nothing new.
    expect((await post("done", "reply:tsk_1")).created).toBe(false);

    hub.clock.advance(2 * day);
    expect(await sweepOutbox(hub.database, hub.clock.now())).toBe(1);
    const left = await listOutbox(hub.database, { limit: 10 });
    expect(left.map((r) => r.status)).toEqual(["dead"]);
  });
});
