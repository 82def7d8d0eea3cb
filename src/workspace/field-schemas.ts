import { z } from "@hono/zod-openapi";

// Input fields that the admin API, the console and the domain services validate alike, so a name the API
// accepts is one the console accepts too.

/** A trimmed, non-empty name. */
export const nameSchema = z.string().trim().min(1).max(200);

/** A PATCH body must name at least one field: an empty one is refused rather than recorded as a change. */
export const nonEmptyPatch = <T extends z.ZodObject>(schema: T) =>
  schema.refine((p) => Object.keys(p).length > 0, { message: "name at least one field to change" });
