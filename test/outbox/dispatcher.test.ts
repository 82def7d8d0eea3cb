import { afterEach, describe, expect, it } from "vitest";
import { createSlackClient } from "../../src/clients/slack/client";
import { outbox } from "../../src/db/schema/outbox";
import { outboxDispatcher } from "../../src/outbox/dispatcher";
import { enqueueOutbound } from "../../src/outbox/enqueue";
import { useMockServer } from "../helpers/mock-server";
import { createWorld, type World } from "../helpers/world";
import { heldSlack, SLACK_API } from "./slack-fake";

const server = useMockServer();

let hub: World;
afterEach(() => hub?.close());

function setup(hold: string[], options: { beforeCall?: () => Promise<void> } = {}) {
  hub = createWorld({
    clients: { slack: createSlackClient({ botToken: "xoxb-test", apiUrl: SLACK_API, timeoutMs: 60_000 }) },
  });
  const slack = heldSlack(hold);
  server.use(slack.handler);
  let rooms = 0;
  const dispatcher = outboxDispatcher(hub.deps, { onRoom: () => rooms++, limit: 4, ...options });
  return { slack, dispatcher, rooms: () => rooms };
}

const post = (text: string, channel: string) =>
  enqueueOutbound(hub.deps, {
    request: { platform: "slack", operation: "chat.postMessage", args: { channel, text } },
    dedupeKey: `test:${text}`,
  });

/** Waits until `done` holds (the calls under way answer on later turns of the event loop), at most 5 s. */
async function until(done: () => boolean | Promise<boolean>) {
  for (let waited = 0; !(await done()); waited += 10) {
    if (waited > 5_000) throw new Error("the calls under way never got there");
    await new Promise((r) => setTimeout(r, 10));
  }
}
/** Gives the calls under way a moment, where a test checks that something did not happen. */
const moment = () => new Promise((r) => setTimeout(r, 50));

const statuses = async () =>
  Object.fromEntries(
    (await hub.database.db.select().from(outbox)).map((r) => [r.dedupeKey, [r.status, r.attempts]]),
  );

describe("the outbox dispatcher", () => {
  it("sends a call queued for another channel while an earlier call still waits for Slack", async () => {
    const { slack, dispatcher } = setup(["slow in C1"]);
    await post("slow in C1", "C1");
    expect(await dispatcher.round()).toEqual({ claimed: 1, full: false });
    await until(() => slack.events.length === 1);
    await post("fast in C2", "C2");
    expect(await dispatcher.round()).toEqual({ claimed: 1, full: false });
    await until(async () => (await statuses())["test:fast in C2"]?.[0] === "sent");
    expect(slack.events).toEqual(["arrived slow in C1", "arrived fast in C2", "answered fast in C2"]);
    expect(await statuses()).toEqual({ "test:slow in C1": ["sending", 1], "test:fast in C2": ["sent", 1] });

    slack.release("slow in C1");
    await dispatcher.idle();
    expect(await statuses()).toEqual({ "test:slow in C1": ["sent", 1], "test:fast in C2": ["sent", 1] });
  });

  it("puts a call for a busy channel behind the calls already under way there", async () => {
    const { slack, dispatcher } = setup(["first in C1"]);
    await post("first in C1", "C1");
    await dispatcher.round();
    await until(() => slack.events.length === 1);
    await post("second in C1", "C1");
    expect(await dispatcher.round()).toEqual({ claimed: 1, full: false });
    await moment();
    expect(slack.events).toEqual(["arrived first in C1"]);

    slack.release("first in C1");
    await dispatcher.idle();
    expect(slack.events).toEqual([
      "arrived first in C1",
      "answered first in C1",
      "arrived second in C1",
      "answered second in C1",
    ]);
  });

  it("claims no more than its room, and says when room came free", async () => {
    const { slack, dispatcher, rooms } = setup(["a", "b", "c", "d"]);
    for (const [i, text] of ["a", "b", "c", "d", "e"].entries()) await post(text, `C${i}`);
    expect(await dispatcher.round()).toEqual({ claimed: 4, full: true });
    expect(await dispatcher.round()).toEqual({ claimed: 0, full: true });
    expect((await statuses())["test:e"]).toEqual(["pending", 0]);

    slack.release("a");
    await until(async () => (await statuses())["test:a"]?.[0] === "sent");
    expect(rooms()).toBe(0);
    slack.release("b");
    await until(() => rooms() > 0);
    // Half the room is free: the loop is told to claim again.
    expect(rooms()).toBe(1);
    expect(await dispatcher.round()).toEqual({ claimed: 1, full: false });
    slack.release("c");
    slack.release("d");
    await dispatcher.idle();
    expect(Object.values(await statuses())).toEqual(Array(5).fill(["sent", 1]));
  });

  it("sends no call before the work that goes first lets it, and asks again before each call", async () => {
    let open = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    let asked = 0;
    const beforeCall = () => {
      asked++;
      return gate;
    };
    const { slack, dispatcher } = setup([], { beforeCall });
    await post("first in C1", "C1");
    await post("second in C1", "C1");
    await post("first in C2", "C2");
    expect(await dispatcher.round()).toEqual({ claimed: 3, full: false });
    await moment();
    expect(slack.events).toEqual([]);
    expect(asked).toBe(2);

    open();
    await dispatcher.idle();
    expect(asked).toBe(3);
    expect(Object.values(await statuses())).toEqual(Array(3).fill(["sent", 1]));
  });

  it("gives back the calls that waited so long behind a slow one that their lease is half gone, and sends them once, in order", async () => {
    const { slack, dispatcher } = setup(["first in C1"]);
    await post("first in C1", "C1");
    await post("second in C1", "C1");
    await post("third in C1", "C1");
    await dispatcher.round();
    await until(() => slack.events.length === 1);
    // The default lease is 120 s: more than half of it passes while the first call hangs.
    hub.clock.advance(61_000);
    slack.release("first in C1");
    await dispatcher.idle();
    expect(await statuses()).toEqual({
      "test:first in C1": ["sent", 1],
      "test:second in C1": ["pending", 0],
      "test:third in C1": ["pending", 0],
    });

    expect(await dispatcher.round()).toEqual({ claimed: 2, full: false });
    await dispatcher.idle();
    expect(slack.events.filter((e) => e.startsWith("arrived"))).toEqual([
      "arrived first in C1",
      "arrived second in C1",
      "arrived third in C1",
    ]);
    expect(Object.values(await statuses())).toEqual(Array(3).fill(["sent", 1]));
  });
});

describe("stopping the outbox dispatcher", () => {
  it("lets the call under way finish and gives the calls not started back to the queue", async () => {
    const { slack, dispatcher } = setup(["first in C1"]);
    await post("first in C1", "C1");
    await post("second in C1", "C1");
    await dispatcher.round();
    await until(() => slack.events.length === 1);

    const stopped = dispatcher.stop();
    slack.release("first in C1");
    await stopped;
    expect(await statuses()).toEqual({
      "test:first in C1": ["sent", 1],
      "test:second in C1": ["pending", 0],
    });
    expect(slack.events).toEqual(["arrived first in C1", "answered first in C1"]);
    expect(await dispatcher.round()).toEqual({ claimed: 0, full: false });
  });
});
