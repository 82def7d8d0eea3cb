import { verifyWithFallback } from "@octokit/webhooks-methods";
import { AppError } from "../../errors";
import type { IngressPort } from "../port";
import { normalizeGitHub } from "./normalize";
import { githubSchemas } from "./schema";

/** GitHub allows payloads up to 25 MB (https://docs.github.com/webhooks/webhook-events-and-payloads#payload-cap). */
const maxBodyBytes = 25 * 1024 * 1024;

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
    // GitHub always sends a JSON payload, and @octokit/webhooks-methods throws (a 500) on an empty one.
    if (delivery.text === "") throw new AppError("invalid_body", "The body is empty.");
    const [secret, ...previous] = secrets;
    // @octokit/webhooks' `verifyWithFallback` compares in constant time and tries rotated secrets after
    // the current one (`Webhooks.verify` alone ignores `additionalSecrets`).
    if (!secret || !(await verifyWithFallback(secret, delivery.text, signature, previous))) {
      throw new AppError(
        "invalid_signature",
        "X-Hub-Signature-256 does not match the payload and the configured webhook secret.",
      );
    }
  },

  parse(delivery) {
    const name = delivery.headers.get("x-github-event");
    const deliveryId = delivery.headers.get("x-github-delivery");
    if (!name || !deliveryId) {
      throw new AppError("bad_request", "Missing X-GitHub-Event or X-GitHub-Delivery header.");
    }
    let body: unknown;
    try {
      body = JSON.parse(delivery.text);
    } catch {
      throw new AppError("invalid_body", "The body is not valid JSON.");
    }
    const action = (body as { action?: unknown } | null)?.action;
    const eventType = typeof action === "string" ? `${name}.${action}` : name;
    const schema = githubSchemas[name as keyof typeof githubSchemas];
    if (schema) {
      const result = schema.safeParse(body);
      if (!result.success) {
        throw new AppError("invalid_body", `The ${name} payload does not have the expected shape.`, {
          issues: result.error.issues
            .slice(0, 5)
            .map((i) => ({ path: i.path.join("."), message: i.message })),
        });
      }
    }
    return { deliveryKey: deliveryId, eventType, known: Boolean(schema) };
  },

  normalize(stored) {
    const name = stored.eventType.split(".")[0] ?? "";
    return normalizeGitHub(name, stored.deliveryKey, JSON.parse(stored.payload));
  },
};
