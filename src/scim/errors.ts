import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError } from "../errors";

// SCIM answers in its own error format (RFC 7644 §3.12) and media type, which identity providers parse.

export const SCIM_CONTENT_TYPE = "application/scim+json";
export const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

export type ScimType =
  | "invalidFilter"
  | "invalidSyntax"
  | "invalidPath"
  | "invalidValue"
  | "uniqueness"
  | "mutability"
  | "noTarget";

export class ScimError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    detail: string,
    readonly scimType?: ScimType,
  ) {
    super(detail);
    this.name = "ScimError";
  }
}

export function scimJson(c: Context, body: unknown, status: ContentfulStatusCode = 200): Response {
  return c.body(JSON.stringify(body), status, { "content-type": SCIM_CONTENT_TYPE });
}

/** Maps anything thrown while serving SCIM to a SCIM error; internal failures say nothing about internals. */
export function toScimError(error: unknown): ScimError {
  if (error instanceof ScimError) return error;
  if (error instanceof AppError) {
    const scimType: ScimType | undefined =
      error.code === "conflict" ? "uniqueness" : error.code === "invalid_body" ? "invalidValue" : undefined;
    return new ScimError(error.status, error.message, scimType);
  }
  if (error instanceof HTTPException && error.status < 500) {
    return new ScimError(error.status as ContentfulStatusCode, error.message || "Bad request.");
  }
  return new ScimError(500, "The hub failed to handle this request; it has been logged.");
}

export function scimErrorResponse(c: Context, error: ScimError): Response {
  const body = {
    schemas: [ERROR_SCHEMA],
    status: String(error.status),
    detail: error.message,
    ...(error.scimType ? { scimType: error.scimType } : {}),
  };
  return scimJson(c, body, error.status);
}
