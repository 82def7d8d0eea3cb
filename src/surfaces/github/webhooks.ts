import {
  createEventHandler,
  type EmitterWebhookEvent,
  type EmitterWebhookEventName,
  emitterEventNames,
} from "@octokit/webhooks";
import type { HandlerFunction } from "@octokit/webhooks/types";
import type { Deps } from "../../deps";
import type { Delivery, StepResult } from "../../inbox/types";

// GitHub's own dispatch (@octokit/webhooks, https://github.com/octokit/webhooks.js#webhooksreceive) routes
// each stored delivery to the listeners registered for its event and action, with the payload typed by
// them. The delivery was verified (with every configured secret) and acknowledged at ingress, so here it is
// only received: `receive({ id, name, payload })`, never `verifyAndReceive`. That is the event handler
// without the signing half, so it needs no webhook secret (a sandbox hub has none); it uses nothing but
// promises, so it runs on Workers as on Node.

/** What a listener gets besides GitHub's `{ id, name, payload }`: the hub, and where to leave its result. */
export interface HubContext {
  deps: Deps;
  /** What the hub did with the delivery, handed back to the inbox. */
  answer(result: StepResult): void;
}

export type GitHubWebhooks = ReturnType<typeof createEventHandler<HubContext>>;

/** A listener as registered: GitHub's event for `E` with the hub's context. */
export type GitHubHandler<E extends EmitterWebhookEventName> = HandlerFunction<E, HubContext>;

/** A listener that hands its result back to the adapter. */
export const answering =
  <E extends EmitterWebhookEventName>(
    listener: (deps: Deps, event: EmitterWebhookEvent<E>) => Promise<StepResult>,
  ): GitHubHandler<E> =>
  async (event) =>
    event.answer(await listener(event.deps, event));

/** The `name.action` events of `name` other than `handled`, as @octokit/webhooks knows them. */
export function otherActions<N extends string>(
  name: N,
  handled: readonly string[],
): Extract<EmitterWebhookEventName, `${N}.${string}`>[] {
  return emitterEventNames.filter(
    (e): e is Extract<EmitterWebhookEventName, `${N}.${string}`> =>
      e.startsWith(`${name}.`) && !handled.includes(e.slice(name.length + 1)),
  );
}

/** One delivery on its way through the dispatch. */
interface Dispatch {
  deps: Deps;
  result?: StepResult;
}

/**
 * The event handler of one hub. `dispatch` hands one stored delivery to the listeners `register` adds; it
 * returns the result a listener left (undefined: no listener took it) and throws what a listener threw.
 */
export function createGitHubWebhooks(register: (webhooks: GitHubWebhooks) => void) {
  // By delivery id: GitHub's `id` travels with the event to every listener.
  const dispatches = new Map<string, Dispatch>();
  const webhooks = createEventHandler<HubContext>({
    transform: (event) => {
      const dispatch = dispatches.get(event.id);
      if (!dispatch) throw new Error(`GitHub delivery ${event.id} reached a listener outside a dispatch`);
      return {
        ...event,
        deps: dispatch.deps,
        answer: (result: StepResult) => {
          dispatch.result = result;
        },
      };
    },
  });
  register(webhooks);

  return {
    webhooks,
    async dispatch(deps: Deps, delivery: Delivery): Promise<StepResult | undefined> {
      const id = delivery.row.deliveryKey;
      if (dispatches.has(id)) throw new Error(`GitHub delivery ${id} is already being processed`);
      // The stored event type is `name.action` (or the bare name); the action is the payload's own.
      const name = delivery.row.eventType.split(".")[0] ?? "";
      const dispatch: Dispatch = { deps };
      dispatches.set(id, dispatch);
      try {
        await webhooks.receive({ id, name, payload: delivery.payload } as EmitterWebhookEvent);
      } catch (error) {
        // receive() wraps what listeners threw in an AggregateError; the inbox wants the listener's own
        // error (its message, and for the outbox's errors whether it is worth retrying).
        throw error instanceof AggregateError && error.errors.length === 1 ? error.errors[0] : error;
      } finally {
        dispatches.delete(id);
      }
      return dispatch.result;
    },
  };
}
