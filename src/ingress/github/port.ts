import { AppError } from "../../errors";
import { verifyHmacSha256Hex } from "../../lib/crypto";
import type { IngressPort } from "../port";
import { normalizeGitHub } from "./normalize";
import { githubSchemas } from "./schema";

/** GitHub allows payloads up to 25 MB (https://docs.github.com/webhooks/webhook-events-and-payloads#payload-cap). */
const maxBodyBytes = 25 * 1024 * 1024;

const signaturePrefix = "sha256=";

export const githubPort: IngressPort = {
  platform: "github",
  name: "github",
  maxBodyBytes,
  contentType: "application/json",
  // X-GitHub-Delivery is not signed: without the digest, a captured body replays under any new id.
  replayDigest: true,

  async verify(delivery, secrets) {
    const signature = delivery.headers.get("x-hub-signature-256");
    if (!signature)
      throw new AppError(
        "invalid_signature",
        "Missing X-Hub-Signature-256: set the webhook secret on the GitHub App.",
      );
    // GitHub always sends a JSON payload; an empty one is nothing to store.
    if (delivery.body.byteLength === 0) throw new AppError("invalid_body", "The body is empty.");
    // Over the bytes as they arrived (a byte-order mark included), current secret first, then rotated
    // ones; Web Crypto's verify compares in constant time.
    const valid =
      signature.startsWith(signaturePrefix) &&
      (await verifyHmacSha256Hex(secrets, delivery.body, signature.slice(signaturePrefix.length)));
    if (!valid) {
      throw new AppError(
        "invalid_signature",
        "X-Hub-Signature-256 does not match the payload and the configured webhook secret.",
      );
    }
  },

  // The key and the event name are headers, so the body is not parsed before the acknowledgement: GitHub
  // signed it, and a 400 for a body it sent helps nobody. The processor parses and validates it; a body that
  // fails becomes a dead inbox row with the reason (DESIGN.md §5).
  parse(delivery) {
    const name = delivery.headers.get("x-github-event");
    const deliveryId = delivery.headers.get("x-github-delivery");
    if (!name || !deliveryId) {
      throw new AppError("bad_request", "Missing X-GitHub-Event or X-GitHub-Delivery header.");
    }
    const action = leadingAction(delivery.body);
    return {
      deliveryKey: deliveryId,
      eventType: action ? `${name}.${action}` : name,
      known: Object.hasOwn(githubSchemas, name),
    };
  },

  normalize(stored) {
    const name = stored.eventType.split(".")[0] ?? "";
    let body: unknown;
    try {
      body = JSON.parse(stored.payload);
    } catch {
      throw new Error("The body is not valid JSON.");
    }
    return { event: normalizeGitHub(name, stored.deliveryKey, body), body };
  },
};

/**
 * GitHub writes `action` first (`{"action":"opened",…`): read from the first bytes, it labels the stored
 * event type (`pull_request.opened`) without parsing 25 KB. Only a label: the processor reads the action
 * from the parsed body. Null when the body starts otherwise (the label is then the event name alone).
 */
const actionPattern = /^\s*\{\s*"action"\s*:\s*"([a-z_]{1,64})"/;
const sniffBytes = 96;

function leadingAction(body: Uint8Array): string | null {
  const head = body.subarray(0, sniffBytes);
  let text = "";
  // ASCII only matters here; any other byte ends the match anyway.
  for (const byte of head) text += String.fromCharCode(byte);
  return actionPattern.exec(text)?.[1] ?? null;
}
