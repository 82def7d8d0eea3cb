import { type OpenAPIHono, type RouteConfig, z } from "@hono/zod-openapi";
import type { Env, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { AppError } from "../errors";

// The error side of the admin API's OpenAPI document: every 4xx is the one JSON envelope of src/errors.ts,
// described once under components/responses and referenced by each operation that can give it
// (OpenAPI 3.1 §4.8.17, Responses Object: https://spec.openapis.org/oas/v3.1.0#responses-object).

export const errorEnvelopeSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ description: "A stable machine code, e.g. `not_found`" }),
      message: z.string(),
      requestId: z.string().openapi({ description: "Quote it when reporting a problem: it is in the logs" }),
      details: z.unknown().optional(),
    }),
  })
  .openapi("Error");

const responses = {
  400: ["BadRequest", "The request does not match the schema (the issues are in `error.details`)"],
  401: ["Unauthorized", "Missing or unknown API key"],
  403: ["Forbidden", "The API key lacks the required scope"],
  404: ["NotFound", "No such resource"],
  409: ["Conflict", "The change conflicts with the current state"],
  413: ["PayloadTooLarge", "The body is larger than 1 MiB"],
  415: ["UnsupportedMediaType", "The body is not sent as application/json"],
} as const;

type ErrorStatus = keyof typeof responses;

/** Registers the envelope and one response component per error status; routes reference them. */
export function registerErrorComponents(registry: OpenAPIHono<Env>["openAPIRegistry"]): void {
  registry.register("Error", errorEnvelopeSchema);
  for (const [name, description] of Object.values(responses)) {
    registry.registerComponent("responses", name, {
      description,
      content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
    });
  }
}

const ref = (status: ErrorStatus) => ({ $ref: `#/components/responses/${responses[status][0]}` });

/**
 * The errors a route can give, from its shape: every route is authenticated (401, 403); what it reads
 * from the request can be invalid (400) or name what does not exist (404); changes can conflict (409);
 * a JSON body can be too large (413) or not JSON at all (415).
 */
export function errorResponsesFor(route: Pick<RouteConfig, "method" | "request">) {
  const request = route.request ?? {};
  const statuses: ErrorStatus[] = [401, 403];
  if (request.params || request.query || request.body) statuses.push(400, 404);
  if (route.method !== "get") statuses.push(409);
  if (request.body) statuses.push(413, 415);
  return Object.fromEntries(statuses.sort().map((s) => [s, ref(s)]));
}

const MAX_BODY = 1024 * 1024;
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

/** What makes 413 and 415 true for a route with a JSON body: checked before the body is parsed. */
export const jsonBodyGuards: MiddlewareHandler[] = [
  async (c, next) => {
    if (!JSON_TYPE.test(c.req.header("content-type") ?? "")) {
      throw new AppError("unsupported_media_type", "Send the body as application/json.");
    }
    await next();
  },
  bodyLimit({
    maxSize: MAX_BODY,
    onError: () => {
      throw new AppError("payload_too_large", "The body is larger than 1 MiB.");
    },
  }),
];
