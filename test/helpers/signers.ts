import { createHmac } from "node:crypto";
import { sign as signGitHub } from "@octokit/webhooks-methods";

/**
 * Request signers built from each platform's documented algorithm, independent of the hub's own code.
 * GitHub uses the official @octokit/webhooks-methods `sign`.
 */
export async function githubRequest(
  payload: unknown,
  options: { event: string; delivery: string; secret: string; body?: string },
): Promise<RequestInit> {
  const body = options.body ?? JSON.stringify(payload);
  return {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-github-event": options.event,
      "x-github-delivery": options.delivery,
      "x-hub-signature-256": await signGitHub(options.secret, body),
    },
  };
}

/** Slack v0: hex HMAC-SHA256 of `v0:{timestamp}:{body}` (https://api.slack.com/authentication/verifying-requests-from-slack). */
export function slackSignature(secret: string, timestampSeconds: number, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestampSeconds}:${body}`).digest("hex")}`;
}

/** The headers Slack sends with a request signed at `at` (ms): its timestamp and v0 signature. */
export function slackHeaders(
  body: string,
  o: { secret: string; at: number },
  contentType: string,
): Record<string, string> {
  const seconds = Math.floor(o.at / 1000);
  return {
    "content-type": contentType,
    "x-slack-request-timestamp": String(seconds),
    "x-slack-signature": slackSignature(o.secret, seconds, body),
  };
}

/** Linear: hex HMAC-SHA256 of the raw body (https://linear.app/developers/webhooks#securing-webhooks). */
export function linearSignature(secret: string, body: string): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

/**
 * A Linear webhook as Linear sends it: stamped `at` (ms) inside the signed body, with a delivery id unless
 * `delivery` is null (older webhooks carry none).
 */
export function linearRequest(
  payload: Record<string, unknown>,
  o: { secret: string; at: number; delivery?: string | null },
): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify({ ...payload, webhookTimestamp: o.at });
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "linear-signature": linearSignature(o.secret, body),
    "linear-event": String(payload.type),
  };
  if (o.delivery !== null) headers["linear-delivery"] = o.delivery ?? crypto.randomUUID();
  return { body, headers };
}

/**
 * A remote task runner's headers (README, "Executors"): hex HMAC-SHA256 of
 * `<timestamp>.<delivery>.<METHOD>.<path>.<raw body>` with HUB_EXECUTOR_SECRET.
 */
export function executorHeaders(
  secret: string,
  body: string,
  options: { path: string; method?: string; timestamp?: number; delivery?: string },
): Record<string, string> {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const delivery = options.delivery ?? `cb-${crypto.randomUUID()}`;
  const mac = createHmac("sha256", secret)
    .update(`${timestamp}.${delivery}.${options.method ?? "POST"}.${options.path}.${body}`)
    .digest("hex");
  return {
    "content-type": "application/json",
    "x-hub-timestamp": timestamp,
    "x-hub-delivery": delivery,
    "x-hub-signature-256": `sha256=${mac}`,
  };
}
