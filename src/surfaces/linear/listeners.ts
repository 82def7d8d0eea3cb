import type { LinearWebhookEventTypeMap } from "@linear/sdk/webhooks";
import type { InboxRow } from "../../db/schema/inbox";
import type { Deps } from "../../deps";
import type { Delivery, StepResult } from "../../inbox/types";
import type { LinearEvent } from "../../ingress/events";

// Listeners by Linear webhook type, in the shape of @linear/sdk's `LinearWebhookClient` handler
// (`on("AgentSessionEvent", listener)`) and typed with its payload types. The SDK's client is not used to
// dispatch: its handler takes a live HTTP request (Fetch or Node) and verifies the signature itself before
// calling listeners, while the hub verifies and stores a delivery at ingress (src/ingress/linear) and
// processes it later from the inbox, when there is no request any more.

/** The webhook types the hub acts on, with the normalized event each becomes (ingress/linear/normalize.ts). */
export interface LinearListened {
  AgentSessionEvent: Extract<LinearEvent, { kind: "agent_session" }>;
  Issue: Extract<LinearEvent, { kind: "issue_delegated" }>;
  Comment: Extract<LinearEvent, { kind: "comment" }>;
}

export type LinearListenedType = keyof LinearListened;
export type SessionEvent = LinearListened["AgentSessionEvent"];
export type DelegationEvent = LinearListened["Issue"];
export type CommentEvent = LinearListened["Comment"];

/** What a listener gets: Linear's payload as the SDK types it, the hub's view of it, and the inbox row. */
export interface LinearDelivery<T extends LinearListenedType> {
  payload: LinearWebhookEventTypeMap[T];
  event: LinearListened[T];
  row: InboxRow;
}

export type LinearListener<T extends LinearListenedType> = (
  deps: Deps,
  delivery: LinearDelivery<T>,
) => Promise<StepResult>;

const KIND: { [T in LinearListenedType]: LinearListened[T]["kind"] } = {
  AgentSessionEvent: "agent_session",
  Issue: "issue_delegated",
  Comment: "comment",
};

const isListened = (type: unknown): type is LinearListenedType =>
  typeof type === "string" && Object.hasOwn(KIND, type);

/** What the processor records for a delivery no listener takes (as for one normalize has nothing for). */
const NOTHING = { outcome: "ignored: nothing for the hub to do" };

export interface LinearListeners {
  on<T extends LinearListenedType>(type: T, listener: LinearListener<T>): LinearListeners;
  /** Hands a stored delivery to the listener of its payload's `type`. */
  dispatch(deps: Deps, delivery: Delivery): Promise<StepResult>;
}

export function createLinearListeners(): LinearListeners {
  // Keyed by type; `on` and `call` keep each entry's listener and type together.
  const listeners = new Map<LinearListenedType, unknown>();
  const call = <T extends LinearListenedType>(
    deps: Deps,
    type: T,
    delivery: { payload: unknown; event: LinearEvent; row: InboxRow },
  ): Promise<StepResult> => {
    const listener = listeners.get(type) as LinearListener<T> | undefined;
    if (!listener || delivery.event.kind !== KIND[type]) return Promise.resolve(NOTHING);
    // The payload passed the zod schema of its type at ingress and normalized into an event of the
    // matching kind (checked just above), so it is the SDK's payload of that type.
    return listener(deps, delivery as LinearDelivery<T>);
  };
  const registry: LinearListeners = {
    on(type, listener) {
      listeners.set(type, listener);
      return registry;
    },
    async dispatch(deps, { row, payload, event }) {
      if (event.platform !== "linear") return NOTHING;
      const body = typeof payload === "string" ? (JSON.parse(payload) as unknown) : payload;
      const type = (body as { type?: unknown } | null)?.type;
      return isListened(type) ? call(deps, type, { payload: body, event, row }) : NOTHING;
    },
  };
  return registry;
}
