import type {
  App,
  AuthorizeResult,
  AuthorizeSourceData,
  Context,
  Logger,
  LogLevel,
  Receiver,
} from "@slack/bolt";
import type { Deps } from "../../deps";
import type { Delivery, StepResult } from "../../inbox/types";
import type { SlackEvent } from "../../ingress/events";
import { SealedValueError } from "../../lib/secret-box";
import { findInstallation, openBotToken } from "./installations";

// Slack's own dispatch (Bolt, https://docs.slack.dev/tools/bolt-js/) routes each stored delivery to the
// listener named after what it handles. Bolt never touches the network here: the request was verified and
// acknowledged at ingress and the delivery is durable in the inbox, so the receiver does nothing, and every
// call to Slack goes through the outbox (listeners never use Bolt's `client`, `say` or `respond`).

/** One delivery on its way through Bolt: what the listener needs, and where it leaves its result. */
export interface SlackCall {
  deps: Deps;
  delivery: Delivery<SlackEvent>;
  result?: StepResult;
}

/** The context key of the call (any name but Bolt's own context keys). */
const CALL = "hubCall";

export function callOf(context: Context): SlackCall {
  const call = context[CALL] as SlackCall | undefined;
  if (!call) throw new Error("a Slack listener ran outside a delivery of this hub");
  return call;
}

/** The delivery's normalized event, which must be of the kind the listener handles. */
export function eventOf<K extends SlackEvent["kind"]>(
  call: SlackCall,
  kind: K,
): Extract<SlackEvent, { kind: K }> {
  const event = call.delivery.event;
  if (event.kind !== kind) throw new Error(`a Slack ${event.kind} reached the listener of ${kind}s`);
  return event as Extract<SlackEvent, { kind: K }>;
}

/**
 * The stored payload as Bolt reads a request body: the Events API envelope, the slash command's form fields,
 * or an interaction's `payload` JSON (see src/ingress/slack/*-port.ts for how each is stored).
 */
export function boltBody(delivery: Delivery<SlackEvent>): Record<string, unknown> {
  return delivery.payload as Record<string, unknown>;
}

/** Nothing to start, stop or listen on: deliveries are handed to `processEvent` one by one. */
const storedDeliveries: Receiver = {
  init: () => {},
  start: async () => {},
  stop: async () => {},
};

/**
 * Bolt's logger stays quiet: whatever goes wrong in a listener (or in authorizing) is thrown out of
 * `dispatch`, and the inbox records it and retries the delivery.
 */
const quiet: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => "error" as LogLevel,
  setName: () => {},
};

/** The app's own user in an Events API envelope (`authorizations[0]`), whose mention is not a request. */
function authorizedUser(body: unknown): string | undefined {
  const authorizations = (body as { authorizations?: { user_id?: unknown }[] } | undefined)?.authorizations;
  const id = Array.isArray(authorizations) ? authorizations[0]?.user_id : undefined;
  return typeof id === "string" && id !== "" ? id : undefined;
}

/**
 * A Bolt App for one hub. `dispatch` runs one delivery through Bolt's middleware and the listeners that
 * `register` adds; it returns what the listener left (undefined: no listener took it) and throws what a
 * listener threw.
 */
export function createBoltApp(register: (app: App) => void) {
  // Authorization runs before the context exists; Bolt hands it the very body object given to processEvent.
  const calls = new WeakMap<object, SlackCall>();

  /**
   * The team's OAuth installation (its bot token and bot user), else SLACK_BOT_TOKEN; in sandbox mode (no token
   * at all) an authorization without a token, so listeners still run.
   */
  async function authorize(source: AuthorizeSourceData<boolean>, body?: object): Promise<AuthorizeResult> {
    const call = body ? calls.get(body) : undefined;
    if (!call) throw new Error("Slack authorization outside a delivery of this hub");
    const { deps } = call;
    const target = {
      ...(source.teamId ? { teamId: source.teamId } : {}),
      ...(source.enterpriseId ? { enterpriseId: source.enterpriseId } : {}),
    };
    const row = target.teamId || target.enterpriseId ? await findInstallation(deps, target) : null;
    const botToken = row
      ? await openBotToken(deps, row).catch((error: unknown) => {
          // Not this step's concern: the calls that need the token fail with the reason, as they always did.
          if (error instanceof SealedValueError) return undefined;
          throw error;
        })
      : deps.config.slack.botToken;
    const botUserId = authorizedUser(body) ?? row?.botUserId ?? undefined;
    return {
      ...target,
      ...(botToken ? { botToken } : {}),
      ...(botUserId ? { botUserId } : {}),
    };
  }

  // Bolt (with the HTTP stack it brings) is loaded at the first Slack delivery, not when the hub starts: it
  // costs each thread that loads it about 40 MB of memory, and only the thread that processes the inbox needs it.
  let loading: Promise<App> | undefined;
  const loaded = () =>
    (loading ??= import("@slack/bolt").then(({ App, ErrorCode }) => {
      const app = new App({
        receiver: storedDeliveries,
        authorize,
        logger: quiet,
        // Conversation state would live in the App's memory; the hub keeps its state in the database.
        convoStore: false,
      });
      // Bolt would wrap a listener's error (UnknownError) and only log it by default; the inbox needs the
      // error itself, to record it and try the delivery again.
      app.error(async (error) => {
        const original = (error as { original?: unknown }).original;
        throw error.code === ErrorCode.UnknownError && original !== undefined ? original : error;
      });
      register(app);
      return app;
    }));

  return {
    async dispatch(deps: Deps, delivery: Delivery<SlackEvent>): Promise<StepResult | undefined> {
      const app = await loaded();
      const call: SlackCall = { deps, delivery };
      const body = boltBody(delivery);
      calls.set(body, call);
      await app.processEvent({ body, ack: async () => {}, customProperties: { [CALL]: call } });
      return call.result;
    },
  };
}
