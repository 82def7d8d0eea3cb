import { z } from "zod";

// The answer of a review task (DESIGN.md §3 "Executors"):
//   { "summary": string, "findings": [ { "title", "body", "priority": 0-3, "path", "line",
//     "start_line"?, "side"?: "RIGHT"|"LEFT" } ] }
// Anything else is a failed review, shown as such: never a half-posted one.

export type FindingPriority = 0 | 1 | 2 | 3;
export type DiffSide = "RIGHT" | "LEFT";

const lineNumber = z.number().int().positive();

export const reviewFindingSchema = z.object({
  title: z.string().trim().min(1),
  body: z.string(),
  priority: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)], {
    error: "priority must be 0, 1, 2 or 3 (P0 most severe)",
  }),
  path: z.string().trim().min(1),
  line: lineNumber,
  // Optional fields may arrive as null: strict structured outputs make every property required, so
  // "absent" is spelled null there (see reviewAnswerJsonSchema).
  start_line: lineNumber
    .nullish()
    .transform((v) => v ?? undefined)
    .optional(),
  side: z
    .enum(["RIGHT", "LEFT"])
    .nullish()
    .transform((v) => v ?? undefined)
    .optional(),
});

export const reviewAnswerSchema = z.object({
  summary: z.string(),
  findings: z.array(reviewFindingSchema),
});

export type ReviewFinding = z.output<typeof reviewFindingSchema>;
export type ReviewAnswer = z.output<typeof reviewAnswerSchema>;

export type ParseReviewResult = { ok: true; value: ReviewAnswer } | { ok: false; error: string };

/**
 * JSON Schema of the same answer, for the Codex SDK's `outputSchema`. Written for strict structured output:
 * every property listed in `required`, no additional properties, optional values nullable.
 */
export const reviewAnswerJsonSchema = {
  type: "object",
  properties: {
    summary: { type: "string", description: "Overall assessment of the change, in Markdown." },
    findings: {
      type: "array",
      items: {
        type: "object",
        properties: {
          title: { type: "string", description: "One-line statement of the problem." },
          body: { type: "string", description: "Why it is a problem and how to fix it, in Markdown." },
          priority: {
            type: "integer",
            enum: [0, 1, 2, 3],
            description: "0 = must fix before merge (P0) ... 3 = nit (P3).",
          },
          path: { type: "string", description: "File path relative to the repository root." },
          line: { type: "integer", description: "Line the finding is about (last line of a range)." },
          start_line: {
            type: ["integer", "null"],
            description: "First line of a multi-line range, or null.",
          },
          side: {
            type: ["string", "null"],
            enum: ["RIGHT", "LEFT", null],
            description: "RIGHT: line in the new version (default); LEFT: line in the old version.",
          },
        },
        required: ["title", "body", "priority", "path", "line", "start_line", "side"],
        additionalProperties: false,
      },
    },
  },
  required: ["summary", "findings"],
  additionalProperties: false,
} as const;

const FENCED = /^```[ \t]*(?:json|JSON)?[ \t]*\n([\s\S]*?)\n?```$/;

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.reduce<string>(
        (acc, key) =>
          typeof key === "number" ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key),
        "",
      );
      return `${path || "answer"}: ${issue.message}`;
    })
    .join("; ")
    .concat(error.issues.length > 5 ? `; and ${error.issues.length - 5} more` : "");
}

/**
 * Parses a review task's final answer: the JSON object itself, or the same object alone inside one
 * ```json fence. Prose around the JSON is a failure: it means the executor did not follow the contract.
 */
export function parseReviewAnswer(text: string): ParseReviewResult {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, error: "the review answer is empty" };
  let json = trimmed;
  if (trimmed.startsWith("```")) {
    const fenced = FENCED.exec(trimmed);
    if (!fenced)
      return { ok: false, error: "the review answer has a code fence that is not one ```json block" };
    json = fenced[1]!.trim();
  }
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    return { ok: false, error: `the review answer is not valid JSON (${reason})` };
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return { ok: false, error: "the review answer must be a JSON object with summary and findings" };
  }
  const parsed = reviewAnswerSchema.safeParse(data);
  if (!parsed.success) {
    return {
      ok: false,
      error: `the review answer does not match the findings format: ${describeIssues(parsed.error)}`,
    };
  }
  return { ok: true, value: parsed.data };
}
