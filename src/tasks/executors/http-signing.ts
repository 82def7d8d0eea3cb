import { hmacSha256Hex, verifyHmacSha256Hex } from "../../lib/crypto";
import { callbackWindowMs } from "../callback-nonces";

// Requests between the hub and a remote task runner (the task it is given, the progress and result it sends
// back on POST /callbacks/tasks/:id) are signed the same way in both directions: like GitHub webhooks
// (`X-Hub-Signature-256: sha256=<hex>`, HMAC-SHA256 with HUB_EXECUTOR_SECRET), but over a signed material that
// also holds a timestamp, a delivery id, the method and the path, so a captured request can neither be
// replayed nor sent to another URL (a result signed for task A is no result for task B):
//
//   X-Hub-Timestamp:      Unix time in seconds when the request was signed
//   X-Hub-Delivery:       a unique id per request (the nonce), 8-200 characters of [A-Za-z0-9._:-]
//   X-Hub-Signature-256:  sha256=hex(HMAC-SHA256(secret, "<timestamp>.<delivery>.<METHOD>.<path>.<raw body>"))
//
// <path> is the path of the URL the request is sent to, as `new URL(url).pathname` gives it (no query string):
// HUB_EXECUTOR_URL's path for a task, and for a callback the path of the `callbackUrl` the task carried
// (PUBLIC_URL's path followed by /callbacks/tasks/<id>). Each side builds it from the URL it knows, never
// from what a proxy in between may have rewritten.
//
// The receiver rejects a bad signature, a timestamp more than 5 minutes away from its clock, and a delivery id
// it has already accepted. A runner retrying a callback signs it again (new timestamp, new delivery id).

export const executorHeaderNames = {
  signature: "x-hub-signature-256",
  timestamp: "x-hub-timestamp",
  delivery: "x-hub-delivery",
} as const;

const deliveryPattern = /^[A-Za-z0-9._:-]{8,200}$/;

/** What a request is sent to: both are part of the signed material. */
export interface SignedTarget {
  method: string;
  path: string;
}

function material(timestamp: string, delivery: string, target: SignedTarget, body: string): string {
  return `${timestamp}.${delivery}.${target.method.toUpperCase()}.${target.path}.${body}`;
}

/** The URL a runner sends a task's callbacks to; its path is what a callback's signature covers. */
export function callbackUrl(publicUrl: string, taskId: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/callbacks/tasks/${encodeURIComponent(taskId)}`;
}

export async function signExecutorRequest(
  secret: string,
  body: string,
  options: { timestampSeconds: number; delivery: string; target: SignedTarget },
): Promise<Record<string, string>> {
  const timestamp = String(Math.floor(options.timestampSeconds));
  const signature = await hmacSha256Hex(secret, material(timestamp, options.delivery, options.target, body));
  return {
    [executorHeaderNames.timestamp]: timestamp,
    [executorHeaderNames.delivery]: options.delivery,
    [executorHeaderNames.signature]: `sha256=${signature}`,
  };
}

export type VerifyResult =
  | { ok: true; delivery: string }
  | { ok: false; code: "invalid_signature" | "stale_timestamp"; message: string };

/** Checks signature and freshness; the caller still has to consume the delivery id (see consumeNonce). */
export async function verifyExecutorRequest(
  secrets: readonly string[],
  target: SignedTarget,
  body: string,
  header: (name: string) => string | undefined | null,
  nowMs: number,
): Promise<VerifyResult> {
  const timestamp = header(executorHeaderNames.timestamp) ?? "";
  const delivery = header(executorHeaderNames.delivery) ?? "";
  const signature = header(executorHeaderNames.signature) ?? "";
  if (!/^\d{1,12}$/.test(timestamp) || !deliveryPattern.test(delivery) || !signature.startsWith("sha256=")) {
    return {
      ok: false,
      code: "invalid_signature",
      message: "Send X-Hub-Timestamp, X-Hub-Delivery and X-Hub-Signature-256 (sha256=<hex>).",
    };
  }
  const valid = await verifyHmacSha256Hex(
    secrets.filter(Boolean),
    material(timestamp, delivery, target, body),
    signature.slice("sha256=".length),
  );
  if (!valid) return { ok: false, code: "invalid_signature", message: "The signature does not match." };
  if (Math.abs(nowMs - Number(timestamp) * 1000) > callbackWindowMs) {
    return {
      ok: false,
      code: "stale_timestamp",
      message: "The timestamp is more than 5 minutes away from now.",
    };
  }
  return { ok: true, delivery };
}
