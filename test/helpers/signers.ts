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

/** Linear: hex HMAC-SHA256 of the raw body (https://linear.app/developers/webhooks#securing-webhooks). */
export function linearSignature(secret: string, body: string): string {
  return createHmac("sha256", secret).update(body).digest("hex");
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
