import type { Context } from "hono";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { storedOutcome } from "../inbox/store";
import { declaredLength, readCappedBody } from "../lib/capped-body";
import type { IngressPort, RawDelivery } from "./port";

// `ignoreBOM` keeps a leading byte-order mark in the text: GitHub's signature is checked over the text, so
// dropping the mark would let the same signature cover two different byte strings (and two body digests).
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * What a delivery key may hold. It keys the inbox row and is echoed in the `x-hub-delivery` header, so it
 * must be a valid header value whatever the (signed) body says: visible ASCII only, no spaces or control
 * characters. Every platform's ids fit (UUIDs, `Ev…`, trigger ids such as `8123456789012.61234.0f1e…`).
 */
const deliveryKeyPattern = /^[\x21-\x7e]{1,128}$/;

/**
 * The one ingress path every platform shares: limits → content type → raw body → signature → delivery key →
 * inbox (durable, deduplicated) → 2xx. Nothing is acknowledged before the inbox write has committed, and
 * nothing else happens before it: the bytes are verified as they arrived and handed to the inbox as they are
 * (the Node runtime moves them to its inbox thread without a copy, which also hashes and compresses them).
 */
export function handleDelivery(port: IngressPort, secrets: () => readonly string[]) {
  return async (c: Context<{ Variables: { deps: Deps; requestId: string } }>) => {
    const deps = c.var.deps;
    const started = performance.now();
    const context = { requestId: c.var.requestId, platform: port.platform, route: port.name };
    let outcome: "accepted" | "duplicate" | "rejected" | "ignored" = "rejected";
    try {
      const delivery = await readDelivery(c.req.raw, port, deps.clock.now());
      await port.verify(delivery, secrets());
      const parsed = port.parse(delivery);
      if ("immediate" in parsed) {
        outcome = "accepted";
        return parsed.immediate;
      }
      if (!deliveryKeyPattern.test(parsed.deliveryKey)) {
        throw new AppError(
          "bad_request",
          `The delivery id of this ${port.name} request must be 1 to 128 visible ASCII characters (no spaces or control characters).`,
        );
      }
      const stored = await deps.inbox.add({
        platform: port.platform,
        deliveryKey: parsed.deliveryKey,
        replayDigest: port.replayDigest,
        eventType: parsed.eventType,
        // Not read again here: the Node runtime transfers these bytes to its inbox thread.
        payload: delivery.body,
        known: parsed.known,
        receivedAt: delivery.now,
        request: { requestId: context.requestId, route: context.route },
      });
      outcome = storedOutcome(parsed.known, stored);
      if (outcome === "accepted" && !deps.inbox.wakesProcessor) deps.wakeProcessor();
      if (!deps.inbox.logsDeliveries) {
        deps.logger.info(
          { ...context, deliveryId: parsed.deliveryKey, eventType: parsed.eventType, outcome },
          "delivery",
        );
      }
      const result = { deliveryKey: parsed.deliveryKey, status: outcome };
      const response = port.acknowledge
        ? port.acknowledge(result)
        : c.json({ ok: true, delivery: parsed.deliveryKey, status: outcome });
      // The same facts in headers, for answers whose body must stay empty (Slack commands, interactions).
      response.headers.set("x-hub-delivery", parsed.deliveryKey);
      response.headers.set("x-hub-delivery-status", outcome);
      return response;
    } catch (error) {
      if (error instanceof AppError)
        deps.logger.warn({ ...context, code: error.code, reason: error.message }, "delivery rejected");
      throw error;
    } finally {
      deps.metrics.deliveries.inc({ platform: port.platform, outcome });
      deps.metrics.ackLatency.observe({ platform: port.platform }, (performance.now() - started) / 1000);
    }
  };
}

async function readDelivery(request: Request, port: IngressPort, now: number): Promise<RawDelivery> {
  // The declared length is checked before the content type, so an oversized body is a 413 whatever it claims.
  if (declaredLength(request) > port.maxBodyBytes) throw tooLarge(port);
  const mediaType = (request.headers.get("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (mediaType !== port.contentType) {
    throw new AppError(
      "unsupported_media_type",
      `This endpoint accepts ${port.contentType}; the request was ${mediaType || "sent without a content type"}.`,
    );
  }
  const body = await readCappedBody(request, port.maxBodyBytes, () => tooLarge(port));
  let text: string | undefined;
  return {
    headers: request.headers,
    body,
    now,
    get text() {
      if (text !== undefined) return text;
      try {
        text = decoder.decode(body);
      } catch {
        throw new AppError("invalid_body", "The body is not valid UTF-8.");
      }
      return text;
    },
  };
}

function tooLarge(port: IngressPort): AppError {
  return new AppError(
    "payload_too_large",
    `The body exceeds the ${port.maxBodyBytes}-byte limit of ${port.name}.`,
  );
}
