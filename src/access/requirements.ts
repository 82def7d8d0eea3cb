import { parse as parseToml, TomlError } from "smol-toml";
import { type ZodIssue, z } from "zod";

// Managed `requirements.toml` documents: admin-enforced constraints on local Codex (approval policy, sandbox
// mode, web search, MCP allowlist, feature pins, command rules). Key names and values follow the Codex
// configuration reference (https://developers.openai.com/codex/config-reference#requirementstoml).
// Unknown keys are reported as warnings rather than dropped silently: a typo such as `allowed_sandbox_mode`
// would otherwise leave a group unconstrained while the admin believes it is locked down.

export const APPROVAL_POLICIES = ["untrusted", "on-failure", "on-request", "never", "reject"] as const;
export const SANDBOX_MODES = [
  "read-only",
  "workspace-write",
  "danger-full-access",
  "external-sandbox",
] as const;
export const WEB_SEARCH_MODES = ["disabled", "cached", "live"] as const;
export const APPROVALS_REVIEWERS = ["user", "auto_review", "guardian_subagent"] as const;

const listOf = <T extends readonly [string, ...string[]]>(values: T, key: string) =>
  z.array(
    z.enum(values, {
      error: (issue) =>
        `${JSON.stringify(issue.input)} is not a valid ${key}; use one of ${values.join(", ")}`,
    }),
  );

const patternToken = z
  .strictObject({ token: z.string().min(1).optional(), any_of: z.array(z.string().min(1)).min(1).optional() })
  .refine((t) => (t.token === undefined) !== (t.any_of === undefined), {
    message: "a pattern element needs exactly one of `token` or `any_of`",
  });

const prefixRule = z.strictObject({
  pattern: z.array(patternToken).min(1, "a prefix rule needs a non-empty `pattern`"),
  // Requirements may only tighten: an `allow` rule would let a managed policy widen what users can run.
  decision: z
    .enum(["prompt", "forbidden"], {
      error: (issue) =>
        `${JSON.stringify(issue.input)} is not allowed here; rules in requirements.toml may only "prompt" or "forbidden"`,
    })
    .optional(),
  justification: z.string().trim().min(1, "`justification` must not be empty").optional(),
});

const mcpServer = z.strictObject({
  identity: z
    .strictObject({ command: z.string().min(1).optional(), url: z.string().min(1).optional() })
    .refine((i) => (i.command === undefined) !== (i.url === undefined), {
      message: "an MCP server identity needs exactly one of `command` or `url`",
    }),
});

const table = z.record(z.string(), z.unknown());

export const requirementsSchema = z.strictObject({
  allowed_approval_policies: listOf(APPROVAL_POLICIES, "approval policy").optional(),
  allowed_approvals_reviewers: listOf(APPROVALS_REVIEWERS, "approvals reviewer").optional(),
  allowed_sandbox_modes: listOf(SANDBOX_MODES, "sandbox mode").optional(),
  // `disabled` is always allowed by Codex; an empty list therefore means "web search off".
  allowed_web_search_modes: listOf(WEB_SEARCH_MODES, "web search mode").optional(),
  features: z.record(z.string(), z.boolean({ error: "feature pins must be true or false" })).optional(),
  mcp_servers: z.record(z.string(), mcpServer).optional(),
  rules: z.strictObject({ prefix_rules: z.array(prefixRule) }).optional(),
  enforce_residency: z.enum(["us"], { error: 'enforce_residency accepts only "us"' }).optional(),
  allow_managed_hooks_only: z.boolean().optional(),
  // Tables the hub stores and forwards to Codex as written; their inner keys are Codex's to validate.
  experimental_network: table.optional(),
  apps: table.optional(),
  hooks: table.optional(),
});

export type Requirements = z.infer<typeof requirementsSchema>;

export type RequirementsParseResult =
  | { ok: true; requirements: Requirements; warnings: string[] }
  | { ok: false; errors: string[]; warnings: string[] };

const pathText = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((acc, part) => {
    if (typeof part === "number") return `${acc}[${part}]`;
    return acc ? `${acc}.${String(part)}` : String(part);
  }, "");

/** Removes the unknown keys zod reported so the rest of the document can still be validated and kept. */
function dropKeys(input: unknown, path: readonly PropertyKey[], keys: readonly string[]): void {
  let node: unknown = input;
  for (const part of path) {
    if (node === null || typeof node !== "object") return;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  if (node === null || typeof node !== "object") return;
  for (const key of keys) delete (node as Record<string, unknown>)[key];
}

const unknownKeyWarnings = (issues: readonly ZodIssue[]): string[] =>
  issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map(
          (key) => `unknown key \`${pathText([...issue.path, key])}\` was ignored; check its spelling`,
        )
      : [],
  );

/** Validates an already-parsed TOML value (e.g. from the admin API as JSON). */
export function validateRequirements(value: unknown): RequirementsParseResult {
  // structuredClone keeps the caller's object intact while unknown keys are removed for the second pass.
  const input = structuredClone(value);
  const warnings: string[] = [];
  for (let pass = 0; pass < 8; pass++) {
    const result = requirementsSchema.safeParse(input);
    if (result.success) return { ok: true, requirements: result.data, warnings };
    const unknown = result.error.issues.filter((i) => i.code === "unrecognized_keys");
    const other = result.error.issues.filter((i) => i.code !== "unrecognized_keys");
    warnings.push(...unknownKeyWarnings(unknown));
    if (other.length > 0) {
      const errors = other.map((i) => (i.path.length ? `${pathText(i.path)}: ${i.message}` : i.message));
      return { ok: false, errors, warnings };
    }
    for (const issue of unknown)
      if (issue.code === "unrecognized_keys") dropKeys(input, issue.path, issue.keys);
  }
  return { ok: false, errors: ["requirements.toml could not be validated"], warnings };
}

/** Parses a `requirements.toml` document with a maintained TOML parser, then validates it. */
export function parseRequirements(text: string): RequirementsParseResult {
  let value: unknown;
  try {
    value = parseToml(text);
  } catch (error) {
    // smol-toml appends a code frame to its message; the admin gets the first line and the position.
    const detail =
      error instanceof TomlError
        ? `line ${error.line}, column ${error.column}: ${error.message.split("\n")[0]}`
        : String(error);
    return { ok: false, errors: [`requirements.toml is not valid TOML at ${detail}`], warnings: [] };
  }
  return validateRequirements(value);
}
