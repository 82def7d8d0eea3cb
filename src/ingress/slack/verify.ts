import { AppError } from "../../errors";
import { verifyHmacSha256Hex } from "../../lib/crypto";
import type { RawDelivery } from "../port";

/**
 * Slack signs every request the same way, whichever endpoint it targets
 * (https://api.slack.com/authentication/verifying-requests-from-slack):
 * `X-Slack-Signature: v0=<hex HMAC-SHA256(signing secret, "v0:{X-Slack-Request-Timestamp}:{raw body}")>`.
 * Web Crypto only, so the same check runs on Node and on Workers.
 */

/** Slack's replay window. Bolt only rejects old timestamps; a clock far in the future is just as suspect. */
export const slackReplayWindowMs = 5 * 60 * 1000;

/** Every Slack endpoint of the hub accepts at most 1 MB: Slack's own payloads are far smaller. */
export const slackMaxBodyBytes = 1024 * 1024;

/**
 * Slack deliveries get no second dedupe key (a digest of the body). Their keys (`event_id`, `trigger_id`,
 * `action_ts`, else a fingerprint of the body) are all read from the signed body, so the same signed bytes
 * always come back under the same key and a digest could catch no replay the key does not; a new key needs
 * a new signature, and the signed timestamp refuses any replay after five minutes anyway. Slack's retries
 * are re-signed with a fresh timestamp, so a digest of what Slack signs would differ on every retry too.
 */
export const slackReplayDigest = false;

const encoder = new TextEncoder();

export async function verifySlackSignature(delivery: RawDelivery, secrets: readonly string[]): Promise<void> {
  const signature = delivery.headers.get("x-slack-signature");
  const timestamp = delivery.headers.get("x-slack-request-timestamp");
  if (!signature || !timestamp) {
    const missing = [!signature && "X-Slack-Signature", !timestamp && "X-Slack-Request-Timestamp"].filter(
      Boolean,
    );
    throw new AppError(
      "invalid_signature",
      `Missing ${missing.join(" and ")}: requests must come from Slack, signed with the app's signing secret.`,
    );
  }
  if (!/^\d{1,12}$/.test(timestamp)) {
    throw new AppError("invalid_signature", "X-Slack-Request-Timestamp is not a Unix time in seconds.");
  }
  if (!signature.startsWith("v0=")) {
    throw new AppError("invalid_signature", "X-Slack-Signature does not use the v0 scheme (v0=<hex>).");
  }
  // The raw bytes as received, not the decoded text: a byte-order mark or any re-encoding would change the hash.
  const prefix = encoder.encode(`v0:${timestamp}:`);
  const base = new Uint8Array(prefix.byteLength + delivery.body.byteLength);
  base.set(prefix, 0);
  base.set(delivery.body, prefix.byteLength);
  if (secrets.length === 0 || !(await verifyHmacSha256Hex(secrets, base, signature.slice(3)))) {
    throw new AppError(
      "invalid_signature",
      "X-Slack-Signature does not match the request and the configured signing secret.",
    );
  }
  // Checked after the signature so `stale_timestamp` is only ever said of a request Slack really signed.
  const skewMs = Math.abs(delivery.now - Number(timestamp) * 1000);
  if (skewMs > slackReplayWindowMs) {
    throw new AppError(
      "stale_timestamp",
      `X-Slack-Request-Timestamp is ${Math.round(skewMs / 1000)} s away from the hub's clock (at most 300 s allowed).`,
    );
  }
}
