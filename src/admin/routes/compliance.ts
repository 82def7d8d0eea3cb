import { z } from "@hono/zod-openapi";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import {
  type ExportPage,
  getComplianceTask,
  type Keyset,
  listComplianceEnvironments,
  listComplianceTasks,
} from "../../governance/compliance-export";
import { type LogFileView, listLogFiles, readLogFile } from "../../governance/compliance-logs";
import { deleteTaskContent } from "../../governance/erasure";
import { requireWorkspaceRow } from "../../workspace/workspaces";
import { type AdminApp, type AdminContext, actorOf, adminRoute, okJson } from "../route-kit";
import {
  complianceEnvironmentList,
  complianceParams,
  complianceTaskList,
  deletionSchema,
  LOG_LINE_EXAMPLE,
  logFileList,
  logFileParams,
  logsQuery,
  rangeQuery,
  taskParams,
} from "./compliance-schemas";

// The Compliance API (the product's /v1/compliance, served under /api/v1/compliance): log files of what
// happened in a workspace (every task, access decision and admin change), and its tasks and environments,
// for audit and investigation. Reading needs a key with `compliance.read`; erasing a task's text needs
// `compliance.delete`. No other scope opens it, and these open nothing else.

const tags = ["Compliance"];
const base = "/compliance/workspaces/{workspace_id}";

/** An opaque `page` cursor: what the previous page said to continue from. */
const encodePage = (value: unknown) =>
  btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

function decodePage<T>(text: string | undefined, valid: (v: unknown) => v is T): T | undefined {
  if (text === undefined || text === "") return undefined;
  try {
    const value = JSON.parse(atob(text.replaceAll("-", "+").replaceAll("_", "/"))) as unknown;
    if (valid(value)) return value;
  } catch {
    // Reported below.
  }
  throw new AppError("bad_request", "`page` is not a cursor this API gave out: pass `next_page` as it came.");
}

const isKeyset = (v: unknown): v is { t: number; i: string } =>
  typeof v === "object" &&
  v !== null &&
  Number.isSafeInteger((v as { t: unknown }).t) &&
  typeof (v as { i: unknown }).i === "string";

const isSeq = (v: unknown): v is { s: number } =>
  typeof v === "object" && v !== null && Number.isSafeInteger((v as { s: unknown }).s);

/** RFC 3339 or Unix seconds (the schema checked the form) → ms; a date that does not exist is a 400. */
function toMs(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  if (Number.isNaN(ms)) throw new AppError("bad_request", `\`${name}\` is not a real time: ${value}.`);
  return ms;
}

function range(query: { start_time?: string; end_time?: string; limit: number; page?: string }) {
  const start = toMs("start_time", query.start_time);
  const end = toMs("end_time", query.end_time);
  if (start !== undefined && end !== undefined && start > end) {
    throw new AppError("bad_request", "`start_time` is after `end_time`.");
  }
  const page = decodePage(query.page, isKeyset);
  const after: Keyset | undefined = page ? { at: page.t, id: page.i } : undefined;
  return { start, end, after, limit: query.limit };
}

const listOf = <T>(page: ExportPage<T>) => ({
  object: "list" as const,
  data: page.rows,
  has_more: page.hasMore,
  next_page: page.next ? encodePage({ t: page.next.at, i: page.next.id }) : null,
});

const iso = (ms: number) => new Date(ms).toISOString();

const fileView = (file: LogFileView) => ({
  id: file.id,
  object: "compliance.log_file" as const,
  event_type: file.eventType,
  start_time: iso(file.startAt),
  end_time: iso(file.endAt),
  event_count: file.eventCount,
  size: file.size,
  sha256: file.sha256,
  open: file.open,
  closed_at: file.closedAt === null ? null : iso(file.closedAt),
});

/** The workspace id of the path, once it is known to exist (404 otherwise). */
async function workspaceOf(c: AdminContext, deps: Deps): Promise<string> {
  const id = c.req.param("workspace_id")!;
  await requireWorkspaceRow(deps, id);
  return id;
}

/** Whether the client takes gzip (`Accept-Encoding: gzip`, not refused with q=0). */
const acceptsGzip = (header: string | undefined) =>
  (header ?? "")
    .split(",")
    .map((part) => part.trim().toLowerCase().split(";"))
    .some(([coding, ...params]) => coding === "gzip" && !params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p)));

async function gzip(text: string): Promise<ArrayBuffer> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Response(stream).arrayBuffer();
}

const listLogsRoute = adminRoute({
  method: "get",
  operationId: "listComplianceLogs",
  tags,
  scope: "compliance.read",
  path: `${base}/logs`,
  summary: "List compliance log files (CODEX_LOG), oldest first, the open one last",
  description:
    "One JSON Lines file per hour, or per `HUB_COMPLIANCE_LOG_MAX_EVENTS` events (default 1000), whichever comes first. The current file is listed with `open: true` while it takes events; once closed, a file and its `sha256` never change.",
  request: { params: complianceParams, query: logsQuery },
  responses: okJson(logFileList, "Log files"),
});

const getLogRoute = adminRoute({
  method: "get",
  operationId: "downloadComplianceLog",
  tags,
  scope: "compliance.read",
  path: `${base}/logs/{log_file_id}`,
  summary: "Download one log file as JSON Lines (gzip-compressed when asked with Accept-Encoding: gzip)",
  request: { params: logFileParams },
  responses: {
    200: {
      description:
        "One event per line. `ETag` is the file's sha256; with `Accept-Encoding: gzip` the body is gzip (`Content-Encoding: gzip`) and decompresses to the same bytes",
      content: { "application/jsonl": { schema: z.string().openapi({ example: LOG_LINE_EXAMPLE }) } },
    },
  },
});

const listTasksRoute = adminRoute({
  method: "get",
  operationId: "listComplianceCodexTasks",
  tags,
  scope: "compliance.read",
  path: `${base}/codex_tasks`,
  summary: "List the workspace's Codex tasks, oldest first",
  request: { params: complianceParams, query: rangeQuery },
  responses: okJson(complianceTaskList, "Tasks"),
});

const listEnvironmentsRoute = adminRoute({
  method: "get",
  operationId: "listComplianceCodexEnvironments",
  tags,
  scope: "compliance.read",
  path: `${base}/codex_environments`,
  summary: "List the workspace's Codex cloud environments, oldest first",
  request: { params: complianceParams, query: rangeQuery },
  responses: okJson(complianceEnvironmentList, "Environments"),
});

const deleteTaskRoute = adminRoute({
  method: "delete",
  operationId: "deleteComplianceCodexTaskContent",
  tags,
  scope: "compliance.delete",
  path: `${base}/codex_tasks/{task_id}`,
  summary: "Erase a finished task's text (prompt, thread context, answer, progress), keeping its record",
  description:
    "The task keeps who asked, where, when, its decisions and outcome; the webhook payload that started it and the bodies of its replies are erased too. The request is audited with who made it. Log files already closed are immutable and keep what they recorded.",
  request: { params: taskParams },
  responses: okJson(deletionSchema, "The text is erased"),
});

async function taskView(deps: Deps, taskId: string) {
  const task = await getComplianceTask(deps, taskId);
  if (!task) throw new AppError("not_found", `No task ${taskId}.`);
  return task;
}

export function complianceApi(app: AdminApp) {
  app.openapi(listLogsRoute, async (c) => {
    const deps = c.var.deps;
    const workspaceId = await workspaceOf(c, deps);
    const query = c.req.valid("query");
    const page = decodePage(query.page, isSeq);
    const { files, hasMore } = await listLogFiles(deps, workspaceId, {
      eventType: query.event_type,
      after: toMs("after", query.after),
      afterSeq: page?.s,
      limit: query.limit,
    });
    const last = files.at(-1);
    return c.json(
      {
        object: "list" as const,
        data: files.map(fileView),
        has_more: hasMore,
        next_page: hasMore && last ? encodePage({ s: last.firstSeq }) : null,
      },
      200,
    );
  });

  app.openapi(getLogRoute, async (c) => {
    const deps = c.var.deps;
    const workspaceId = await workspaceOf(c, deps);
    const { log_file_id: fileId } = c.req.valid("param");
    const file = await readLogFile(deps, workspaceId, fileId);
    if (!file) throw new AppError("not_found", `No log file ${fileId} in workspace ${workspaceId}.`);
    const headers: Record<string, string> = {
      "content-type": "application/jsonl; charset=utf-8",
      etag: `"${file.view.sha256}"`,
      vary: "Accept-Encoding",
      // The open file changes with every event; a closed one never does.
      "cache-control": file.view.open ? "no-store" : "private, max-age=31536000, immutable",
      "content-disposition": `attachment; filename="${file.view.id}.jsonl"`,
    };
    const body = acceptsGzip(c.req.header("accept-encoding")) ? await gzip(file.content) : file.content;
    if (typeof body !== "string") headers["content-encoding"] = "gzip";
    // The document calls the body application/jsonl; zod-openapi's typing would have it sent with c.json.
    return c.body(body, 200, headers) as never;
  });

  app.openapi(listTasksRoute, async (c) => {
    const deps = c.var.deps;
    const workspaceId = await workspaceOf(c, deps);
    return c.json(listOf(await listComplianceTasks(deps, workspaceId, range(c.req.valid("query")))), 200);
  });

  app.openapi(listEnvironmentsRoute, async (c) => {
    const deps = c.var.deps;
    const workspaceId = await workspaceOf(c, deps);
    return c.json(
      listOf(await listComplianceEnvironments(deps, workspaceId, range(c.req.valid("query")))),
      200,
    );
  });

  app.openapi(deleteTaskRoute, async (c) => {
    const deps = c.var.deps;
    const workspaceId = await workspaceOf(c, deps);
    const { task_id: taskId } = c.req.valid("param");
    const { erased, auditId } = await deleteTaskContent(deps, { workspaceId, taskId, actor: actorOf(c) });
    return c.json(
      {
        id: taskId,
        object: "codex.task.content" as const,
        deleted: true as const,
        already_erased: !erased,
        audit_id: auditId,
        task: await taskView(deps, taskId),
      },
      200,
    );
  });
}
