import { AppError } from "../../errors";
import { verifyHmacSha256Hex } from "../../lib/crypto";
import type { RawDelivery } from "../port";

/** Linear's replay window: `webhookTimestamp` within a minute of now (https://linear.app/developers/webhooks). */
export const linearReplayWindowMs = 60 * 1000;

/** Parsed bodies of verified deliveries, so parse() does not decode the same JSON twice. */
const parsedBodies = new WeakMap<RawDelivery, unknown>();

export function verifiedBody(delivery: RawDelivery): unknown {
  return parsedBodies.has(delivery) ? parsedBodies.get(delivery) : parseBody(delivery.text);
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("invalid_body", "The body is not valid JSON.");
  }
}

// Kept over @linear/sdk's LinearWebhookClient.verify: it times the window by Date.now(), not deps.clock, and tells stale from forged only by message text.
/**
 * `Linear-Signature` is the hex HMAC-SHA256 of the raw body. Freshness comes from `webhookTimestamp` in
 * the signed body (the SDK trusts nothing else), so it is read only once the signature holds.
 */
export async function verifyLinearSignature(
  delivery: RawDelivery,
  secrets: readonly string[],
): Promise<void> {
  const signature = delivery.headers.get("linear-signature");
  if (!signature) {
    throw new AppError(
      "invalid_signature",
      "Missing Linear-Signature: set the webhook's signing secret in Linear.",
    );
  }
  if (secrets.length === 0 || !(await verifyHmacSha256Hex(secrets, delivery.body, signature.trim()))) {
    throw new AppError(
      "invalid_signature",
      "Linear-Signature does not match the payload and the configured webhook secret.",
    );
  }
  const body = parseBody(delivery.text);
  parsedBodies.set(delivery, body);
  const timestamp = (body as { webhookTimestamp?: unknown } | null)?.webhookTimestamp;
  if (typeof timestamp !== "number" || !Number.isFinite(timestamp)) {
    throw new AppError(
      "invalid_body",
      "The payload has no numeric webhookTimestamp (milliseconds since the epoch).",
    );
  }
  const skewMs = Math.abs(delivery.now - timestamp);
  if (skewMs > linearReplayWindowMs) {
    throw new AppError(
      "stale_timestamp",
      `webhookTimestamp is ${Math.round(skewMs / 1000)} s away from the hub's clock (at most 60 s allowed).`,
    );
  }
}
