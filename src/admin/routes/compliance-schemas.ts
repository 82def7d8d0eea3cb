import { z } from "@hono/zod-openapi";
import { complianceEventTypes } from "../../db/schema/compliance";

// The Compliance API's request and response shapes: snake_case and RFC 3339 times as the product's
// Compliance API has them, with examples for the reference page.

const WS = "ws_01j9zq3v8k2m4n6p8r0t2v4x6y";

export const complianceParams = z.object({
  workspace_id: z.string().min(1).openapi({ example: WS, description: "The workspace (console: Settings)" }),
});

export const logFileParams = complianceParams.extend({
  log_file_id: z.string().min(1).openapi({ example: "clf_1042" }),
});

export const taskParams = complianceParams.extend({
  task_id: z.string().min(1).openapi({ example: "tsk_0192f3a4b5c67d8e9f0a1b2c3d4e5f60" }),
});

const TIME = /^(?:\d{1,11}|\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2}))$/;
const time = (description: string) =>
  z
    .string()
    .trim()
    .regex(TIME, { message: "must be an RFC 3339 time (2026-03-01T00:00:00Z) or Unix seconds" })
    .optional()
    .openapi({ example: "2026-03-01T00:00:00Z", description });

const limit = z.coerce
  .number()
  .int()
  .min(1)
  .max(1000)
  .default(100)
  .openapi({ example: 100, description: "Rows per page (1 to 1000, default 100)" });

const pageParam = z
  .string()
  .max(500)
  .optional()
  .openapi({ description: "The `next_page` of the previous page", example: "eyJzIjoxMDQyfQ" });

export const logsQuery = z.object({
  event_type: z
    .enum(complianceEventTypes)
    .default("CODEX_LOG")
    .openapi({ example: "CODEX_LOG", description: "`CODEX_SECURITY_LOG` is reserved: it has no files yet" }),
  after: time("Only files with an event later than this (RFC 3339 or Unix seconds)"),
  limit,
  page: pageParam,
});

export const rangeQuery = z.object({
  start_time: time("Created at or after this time (RFC 3339 or Unix seconds)"),
  end_time: time("Created before this time (RFC 3339 or Unix seconds)"),
  limit,
  page: pageParam,
});

const listEnvelope = <T extends z.ZodType>(item: T, name: string) =>
  z
    .object({
      object: z.literal("list"),
      data: z.array(item),
      has_more: z.boolean(),
      next_page: z
        .string()
        .nullable()
        .openapi({ description: "Pass as `page` for the next page; null at the end" }),
    })
    .openapi(name);

const iso = (example: string) => z.string().openapi({ example, description: "RFC 3339, UTC" });

export const logFileSchema = z
  .object({
    id: z.string().openapi({ example: "clf_1042" }),
    object: z.literal("compliance.log_file"),
    event_type: z.enum(complianceEventTypes),
    start_time: iso("2026-03-01T10:00:04.120Z"),
    end_time: iso("2026-03-01T10:59:58.003Z"),
    event_count: z.number().int().openapi({ example: 214 }),
    size: z
      .number()
      .int()
      .openapi({ example: 183_402, description: "Bytes of the JSON Lines file, uncompressed" }),
    sha256: z.string().openapi({
      example: "9f2c0e6b1d7a4c3e8b5f0a9d2e7c4b1a6f3e8d0c5b2a7f4e1d8c3b0a5f2e7d4c",
      description: "Hex SHA-256 of the uncompressed file: a closed file's never changes",
    }),
    open: z.boolean().openapi({
      description:
        "The current file: still taking events, downloadable as it stands. It closes at the end of its hour or when full",
    }),
    closed_at: iso("2026-03-01T11:00:00.000Z").nullable(),
  })
  .openapi("ComplianceLogFile");

export const logFileList = listEnvelope(logFileSchema, "ComplianceLogFileList");

export const LOG_LINE_EXAMPLE = `${JSON.stringify({
  id: "cle_1042",
  event_type: "CODEX_LOG",
  type: "task.finished",
  timestamp: "2026-03-01T10:00:04.120Z",
  workspace_id: WS,
  actor: "member:mem_01j9",
  target: "tsk_0192f3a4b5c67d8e9f0a1b2c3d4e5f60",
  data: {
    task_id: "tsk_0192f3a4b5c67d8e9f0a1b2c3d4e5f60",
    kind: "task",
    status: "completed",
    surface: "slack",
    requester: { member_id: "mem_01j9", email: "ada@example.com" },
    environment: { id: "env_web", name: "web", repository: "acme/web" },
    prompt: "fix the flaky login test",
    answer: "Fixed: the login redirect now waits for the session cookie.",
    text_retained: true,
  },
})}\n`;

const requester = z.object({ member_id: z.string(), email: z.string().nullable() });

export const complianceTaskSchema = z
  .object({
    id: z.string().openapi({ example: "tsk_0192f3a4b5c67d8e9f0a1b2c3d4e5f60" }),
    object: z.literal("codex.task"),
    workspace_id: z.string().openapi({ example: WS }),
    kind: z.enum(["task", "review"]),
    status: z.string().openapi({ example: "completed" }),
    surface: z.string().openapi({ example: "slack" }),
    requester: requester.openapi({ example: { member_id: "mem_01j9", email: "ada@example.com" } }),
    environment: z
      .object({ id: z.string(), name: z.string().nullable(), repository: z.string().nullable() })
      .nullable()
      .openapi({ example: { id: "env_web", name: "web", repository: "acme/web" } }),
    text_retained: z.boolean().openapi({
      description:
        "False once the text was erased or deleted, and under zero data retention; the text fields are then null",
    }),
    content_erasure: z
      .object({ at: z.string(), reason: z.enum(["zero_data_retention", "deleted", "retention"]) })
      .nullable(),
    title: z.string().nullable().openapi({ example: "fix the flaky login test" }),
    prompt: z.string().nullable().openapi({ example: "fix the flaky login test" }),
    context: z.record(z.string(), z.unknown()).nullable(),
    answer: z
      .string()
      .nullable()
      .openapi({ example: "Fixed: the login redirect now waits for the session cookie." }),
    error: z.string().nullable(),
    pr_url: z.string().nullable().openapi({ example: "https://github.com/acme/web/pull/9" }),
    usage: z.record(z.string(), z.unknown()).nullable(),
    attempts: z.number().int(),
    cancelled_by: z.string().nullable(),
    created_at: iso("2026-03-01T10:00:04.120Z"),
    started_at: iso("2026-03-01T10:00:05.002Z").nullable(),
    finished_at: iso("2026-03-01T10:03:12.480Z").nullable(),
  })
  .openapi("ComplianceCodexTask");

export const complianceTaskList = listEnvelope(complianceTaskSchema, "ComplianceCodexTaskList");

export const complianceEnvironmentSchema = z
  .object({
    id: z.string().openapi({ example: "env_web" }),
    object: z.literal("codex.environment"),
    workspace_id: z.string().openapi({ example: WS }),
    name: z.string().openapi({ example: "web" }),
    description: z.string(),
    repository: z.string().openapi({ example: "acme/web" }),
    visibility: z.enum(["workspace", "private"]),
    creator_member_id: z.string(),
    collaborator_member_ids: z.array(z.string()),
    internet: z.discriminatedUnion("mode", [
      z.object({ mode: z.literal("off") }),
      z.object({ mode: z.literal("allowlist"), domains: z.array(z.string()), methods: z.array(z.string()) }),
    ]),
    created_at: iso("2026-02-11T09:12:40.000Z"),
    updated_at: iso("2026-02-20T16:01:02.000Z"),
  })
  .openapi("ComplianceCodexEnvironment");

export const complianceEnvironmentList = listEnvelope(
  complianceEnvironmentSchema,
  "ComplianceCodexEnvironmentList",
);

export const deletionSchema = z
  .object({
    id: z.string().openapi({ example: "tsk_0192f3a4b5c67d8e9f0a1b2c3d4e5f60" }),
    object: z.literal("codex.task.content"),
    deleted: z.literal(true),
    already_erased: z.boolean().openapi({ description: "The text was gone before this request" }),
    audit_id: z.string().openapi({ example: "aud_0192f3a4b5c67d8e9f0a1b2c3d4e5f61" }),
    task: complianceTaskSchema,
  })
  .openapi("ComplianceTaskContentDeletion");
