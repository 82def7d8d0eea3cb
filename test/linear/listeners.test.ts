import { describe, expect, it } from "vitest";
import type { InboxRow } from "../../src/db/schema/inbox";
import type { Deps } from "../../src/deps";
import type { InboundEvent } from "../../src/ingress/events";
import { normalizeLinear } from "../../src/ingress/linear/normalize";
import { createLinearListeners, type LinearDelivery } from "../../src/surfaces/linear/listeners";
import { fixture } from "../ingress/deliveries";

// The Linear surface's dispatch: a stored delivery goes to the listener registered for its payload's `type`,
// with Linear's payload, the hub's normalized event and the inbox row; anything else is left alone, as the
// processor leaves a delivery it has nothing for.

const NOTHING = { outcome: "ignored: nothing for the hub to do" };
const deps = {} as Deps;
const row = { id: "inb_1", eventType: "Comment.create", deliveryKey: "d-1" } as InboxRow;

function stored(name: string) {
  const payload = fixture("linear", name);
  const eventType = `${payload.type}.${payload.action}`;
  return { payload, event: normalizeLinear(eventType, "d-1", payload) as InboundEvent };
}

describe("Linear listeners", () => {
  it("hands a delivery to the listener of its type, stored text or parsed alike", async () => {
    const seen: LinearDelivery<"Comment">[] = [];
    const listeners = createLinearListeners()
      .on("Comment", async (_deps, delivery) => {
        seen.push(delivery);
        return { outcome: `comment ${delivery.payload.data.id} by ${delivery.event.userId}` };
      })
      .on("AgentSessionEvent", async () => ({ outcome: "session" }));
    const { payload, event } = stored("comment-create");

    const fromText = await listeners.dispatch(deps, { row, payload: JSON.stringify(payload), event });
    const fromObject = await listeners.dispatch(deps, { row, payload, event });
    const outcome = `comment ${payload.data.id} by ${payload.data.userId}`;
    expect(fromText).toEqual({ outcome });
    expect(fromObject).toEqual({ outcome });
    expect(seen).toEqual([
      { row, payload, event },
      { row, payload, event },
    ]);
    expect(await listeners.dispatch(deps, { row, ...stored("agent-session-created") })).toEqual({
      outcome: "session",
    });
  });

  it("leaves alone a type no listener takes, and a payload that does not match its event", async () => {
    const listeners = createLinearListeners().on("Comment", async () => ({ outcome: "comment" }));
    const comment = stored("comment-create");
    const session = stored("agent-session-created");
    // A type the hub does not listen to at all.
    const project = fixture("linear", "project-create");
    expect(await listeners.dispatch(deps, { row, payload: project, event: comment.event })).toEqual(NOTHING);
    // A type it listens to elsewhere, with no listener here.
    expect(await listeners.dispatch(deps, { row, ...session })).toEqual(NOTHING);
    // A Comment payload with another kind of event.
    expect(await listeners.dispatch(deps, { row, payload: comment.payload, event: session.event })).toEqual(
      NOTHING,
    );
    // No type at all.
    expect(await listeners.dispatch(deps, { row, payload: {}, event: comment.event })).toEqual(NOTHING);
  });
});
