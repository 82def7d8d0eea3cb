import { z } from "zod";
import { ScimError } from "./errors";

// PATCH bodies (RFC 7644 §3.5.2). Identity providers differ in spelling: Entra capitalises ops ("Replace"),
// Okta sends `replace` without a path and the attributes in `value`. Both are accepted.

export const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

export interface PatchOperation {
  op: "add" | "remove" | "replace";
  path?: string;
  value?: unknown;
}

const body = z.object({
  Operations: z
    .array(z.object({ op: z.string(), path: z.string().optional(), value: z.unknown().optional() }))
    .min(1),
});

export function parsePatch(input: unknown): PatchOperation[] {
  const parsed = body.safeParse(input);
  if (!parsed.success) throw new ScimError(400, "A PATCH body needs an Operations array.", "invalidSyntax");
  return parsed.data.Operations.map((operation) => {
    const op = operation.op.toLowerCase();
    if (op !== "add" && op !== "remove" && op !== "replace") {
      throw new ScimError(
        400,
        `Unknown PATCH op "${operation.op}"; use add, remove or replace.`,
        "invalidSyntax",
      );
    }
    return { op, path: operation.path?.trim() || undefined, value: operation.value };
  });
}

/** Reads a JSON body (application/scim+json or application/json); malformed JSON is invalidSyntax. */
export async function readJson(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw new ScimError(400, "The body is not valid JSON.", "invalidSyntax");
  }
}

/** Parses a body against a schema, naming the first problem in SCIM terms. */
export function parseBody<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
  throw new ScimError(400, `${where}${issue.message}`, "invalidValue");
}
