import type { InboundEvent, Platform } from "./events";

/** A request as ingress sees it: headers and the raw bytes, before anything trusts them. */
export interface RawDelivery {
  headers: Headers;
  /** The bytes as they arrived; signatures are checked over these, never over a decoded copy. */
  body: Uint8Array<ArrayBuffer>;
  /**
   * The body decoded as UTF-8, byte for byte (a byte-order mark is kept, not dropped), decoded on first
   * read: GitHub's port never reads it, so a GitHub body is not decoded before it is acknowledged.
   * Throws AppError `invalid_body` when the bytes are not UTF-8.
   */
  readonly text: string;
  /** Milliseconds since the epoch, from the injected clock. */
  now: number;
}

/** What a port learned from a verified, well-formed delivery. */
export interface ParsedDelivery {
  /** Unique per platform delivery: the inbox dedupe key. */
  deliveryKey: string;
  /** e.g. `pull_request.opened`, `event_callback.app_mention`, `AgentSessionEvent.created`. */
  eventType: string;
  /** False for genuine deliveries of a type the hub does not act on: stored as `ignored`, answered 2xx. */
  known: boolean;
}

export type Immediate = { immediate: Response };

/** A stored delivery as the processor reads it. */
export interface StoredEvent {
  /** The hub's normalized view (what access and routing read); null when the hub ignores the delivery. */
  event: InboundEvent | null;
  /** The platform's own body, parsed (what the platform's dispatch and typed listeners read). */
  body: unknown;
}

/**
 * One per platform. The shared core (core.ts) owns limits, content types, the inbox, metrics and errors;
 * a port only knows its platform's signature scheme, envelope and dedupe key.
 */
export interface IngressPort {
  platform: Platform;
  /** Metric and log label, e.g. `slack_commands`. */
  name: string;
  maxBodyBytes: number;
  /** Accepted media type (parameters such as charset are ignored). */
  contentType: "application/json" | "application/x-www-form-urlencoded";
  /**
   * True where the delivery key is not covered by the signature (a header): the inbox then also dedupes on
   * a SHA-256 of the signed body, so the same signed body under a new id is a duplicate, not a new event.
   */
  replayDigest: boolean;
  /** Throws AppError `invalid_signature` / `stale_timestamp` (401) or `bad_request` (400). */
  verify(delivery: RawDelivery, secrets: readonly string[]): Promise<void>;
  /**
   * Reads what must be known before the acknowledgement: the delivery key, the event type and whether the
   * hub acts on it. Throws AppError `invalid_body` (400) for unparseable or schema-invalid bodies where the
   * key lives in the body (Slack, Linear); GitHub's key and event name are headers, so its body is parsed
   * only by `normalize`, in the processor. May instead return an
   * immediate answer for handshakes that are not events (Slack `url_verification`, `ssl_check`).
   */
  parse(delivery: RawDelivery): ParsedDelivery | Immediate;
  /**
   * How to acknowledge a stored delivery; default: the JSON `{ ok, delivery, status }`. Slack shows a slash
   * command's or an interaction's response body to the person, so those ports answer with an empty 200 and
   * reply through `response_url` once the event is processed.
   */
  acknowledge?: (result: { deliveryKey: string; status: "accepted" | "duplicate" | "ignored" }) => Response;
  /**
   * Reads the stored payload (processor side): the platform's body, parsed once for the surface, and the
   * InboundEvent rebuilt from it (null when the hub ignores it). Throws when the payload cannot be read as its
   * event (not JSON, or not the expected shape): the processor then marks the row dead at once with the
   * reason, as retrying the same bytes would fail the same way.
   */
  normalize(stored: { eventType: string; deliveryKey: string; payload: string }): StoredEvent;
}
