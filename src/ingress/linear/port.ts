import { AppError } from "../../errors";
import type { IngressPort } from "../port";
import { normalizeLinear } from "./normalize";
import { agentSessionEvent, commentCreate, envelope, isKnownLinearEvent, issueUpdate } from "./schema";
import { verifiedBody, verifyLinearSignature } from "./verify";

/** Linear webhooks are small JSON documents; 1 MB leaves ample room. */
const maxBodyBytes = 1024 * 1024;

/** The schema an acted-on event must satisfy, by `<type>.<action>`. */
const schemas = {
  "AgentSessionEvent.created": agentSessionEvent,
  "AgentSessionEvent.prompted": agentSessionEvent,
  "Issue.update": issueUpdate,
  "Comment.create": commentCreate,
} as const;

/**
 * Linear webhooks, including Linear for Agents' `AgentSessionEvent`
 * (https://linear.app/developers/webhooks, https://linear.app/developers/agent-interaction).
 * Linear retries a failed delivery with the same `Linear-Delivery` id, which keys the inbox row.
 */
export const linearPort: IngressPort = {
  platform: "linear",
  name: "linear",
  maxBodyBytes,
  contentType: "application/json",
  // Linear-Delivery is not signed: within the 60 s window a body could replay under any new id.
  replayDigest: true,

  verify: verifyLinearSignature,

  parse(delivery) {
    const body = verifiedBody(delivery);
    const head = envelope.safeParse(body);
    if (!head.success) {
      throw new AppError("invalid_body", "The Linear payload lacks type, action or webhookTimestamp.", {
        issues: head.error.issues.slice(0, 5).map((i) => ({ path: i.path.join("."), message: i.message })),
      });
    }
    const { type, action, webhookId, webhookTimestamp } = head.data;
    const eventType = `${type}.${action}`;
    const header = delivery.headers.get("linear-delivery")?.trim();
    if (!header && !webhookId) {
      throw new AppError(
        "bad_request",
        "Missing Linear-Delivery header and the payload has no webhookId to key it by.",
      );
    }
    const deliveryKey = header || `${webhookId}:${webhookTimestamp}`;

    const updatedFrom = (body as { updatedFrom?: unknown }).updatedFrom;
    const known = isKnownLinearEvent(type, action, updatedFrom);
    const schema = schemas[eventType as keyof typeof schemas];
    if (known && schema) {
      const result = schema.safeParse(body);
      if (!result.success) {
        throw new AppError("invalid_body", `The ${eventType} payload does not have the expected shape.`, {
          issues: result.error.issues
            .slice(0, 5)
            .map((i) => ({ path: i.path.join("."), message: i.message })),
        });
      }
    }
    return { deliveryKey, eventType, known };
  },

  normalize(stored) {
    const body: unknown = JSON.parse(stored.payload);
    return { event: normalizeLinear(stored.eventType, stored.deliveryKey, body), body };
  },
};
