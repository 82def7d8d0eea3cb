import { z } from "@hono/zod-openapi";
import { decide } from "../../access/decide";
import { allowlistOf } from "../../access/internet";
import { ACTIONS, DECISION_CODES, type Decision, PERMISSIONS, SURFACES } from "../../access/types";
import { AppError } from "../../errors";
import { getAudit, listAudit } from "../../governance/audit";
import { TASK_MODES } from "../../tasks/types";
import { getSnapshot } from "../../workspace/snapshot";
import { type AdminApp, adminRoute, idParams, jsonBody, listOf, okJson, workspaceParams } from "../route-kit";

const tags = ["Access decisions"];
const repoPermission = z.enum(["admin", "maintain", "write", "triage", "read", "none"]);

export const accessRequestSchema = z
  .object({
    actor: z.object({
      memberId: z.string().min(1).nullable(),
      platform: z.enum(["slack", "github", "linear", "api", "web"]),
      platformUserId: z.string().min(1).optional(),
    }),
    surface: z.enum(SURFACES),
    action: z.enum(ACTIONS),
    environmentId: z.string().min(1).optional(),
    repoPermission: repoPermission.nullable().optional().describe("What GitHub says; omitted means unknown"),
    githubLinked: z.boolean().optional(),
    confirmed: z.boolean().optional(),
    pluginId: z.string().min(1).optional(),
  })
  .openapi("AccessRequest");

const internet = z.union([
  z.object({ mode: z.literal("off") }),
  z.object({
    mode: z.literal("allowlist"),
    domains: z.array(z.string()),
    methods: z.array(z.string()),
    presets: z.array(z.string()).optional().describe("Named host lists added to the domains"),
    hosts: z
      .array(z.string())
      .optional()
      .describe("Every entry the agent's traffic is matched against: the domains, then each preset's hosts"),
  }),
]);

export const decisionSchema = z
  .object({
    allowed: z.boolean(),
    code: z.enum(DECISION_CODES),
    message: z.string().describe("What is wrong and what to do next"),
    trace: z.array(
      z.object({ check: z.string(), outcome: z.enum(["pass", "fail", "skip"]), found: z.string() }),
    ),
    effective: z
      .object({
        permissions: z.array(z.enum(PERMISSIONS)).readonly(),
        roleIds: z.array(z.string()).readonly(),
        policyId: z.string().optional(),
        internet: internet.optional(),
      })
      .optional(),
  })
  .openapi("Decision");

/** The explanation of a request in an environment also says which mode a request there runs in by default. */
const explanationSchema = decisionSchema
  .extend({
    defaultMode: z
      .enum(TASK_MODES)
      .optional()
      .describe(
        "The environment's default mode, for requests that start with neither `ask:` nor `code:` (ask: read-only, never pushed)",
      ),
  })
  .openapi("Explanation");

const auditSchema = z
  .object({
    id: z.string(),
    workspaceId: z.string().nullable(),
    actor: z.string(),
    action: z.string(),
    target: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    decision: decisionSchema.nullable(),
    request: z.unknown(),
    createdAt: z.number(),
  })
  .openapi("AuditRecord");

/** The explanation also lists every host the allowlist opens (presets expanded); stored decisions do not. */
function withHosts(decision: Decision) {
  const internet = decision.effective?.internet;
  if (!decision.effective || internet?.mode !== "allowlist") return decision;
  const hosts = (allowlistOf(internet)?.entries ?? []).map((e) =>
    e.wildcard ? `*.${e.pattern}` : e.pattern,
  );
  return { ...decision, effective: { ...decision.effective, internet: { ...internet, hosts } } };
}

export function explainApi(app: AdminApp) {
  app.openapi(
    adminRoute({
      method: "post",
      operationId: "explainAccess",
      path: "/access/explain",
      tags,
      summary:
        "Decide a request against the workspace's current data and show every check (nothing is stored)",
      request: { body: jsonBody(accessRequestSchema.extend({ workspaceId: z.string().min(1) })) },
      responses: okJson(explanationSchema, "The decision with its ordered trace"),
    }),
    async (c) => {
      const { workspaceId, ...request } = c.req.valid("json");
      const snapshot = await getSnapshot(c.var.deps, workspaceId);
      const env = request.environmentId ? snapshot.environments.get(request.environmentId)?.env : undefined;
      const mode = env ? { defaultMode: env.defaultMode ?? "code" } : {};
      return c.json({ ...withHosts(decide(request, snapshot)), ...mode }, 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "get",
      operationId: "getDecision",
      path: "/decisions/{decisionId}",
      tags,
      summary: "A decision the hub made on live traffic, with its request and trace",
      request: { params: idParams("decisionId") },
      responses: okJson(auditSchema, "The stored decision"),
    }),
    async (c) => {
      const { decisionId } = c.req.valid("param");
      const record = await getAudit(c.var.deps, decisionId);
      if (!record?.decision) throw new AppError("not_found", `No decision ${decisionId}.`);
      return c.json(record, 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "get",
      operationId: "listAuditRecords",
      path: "/workspaces/{workspaceId}/audit",
      tags,
      summary: "The workspace's audit log, newest first: admin changes (before → after) and decisions",
      request: {
        params: workspaceParams,
        query: z.object({
          limit: z.coerce.number().int().min(1).max(500).default(100),
          before: z.coerce.number().int().optional().describe("Only records older than this time (ms)"),
          decisions: z.enum(["true", "false"]).optional().describe("true: decisions only"),
        }),
      },
      responses: okJson(listOf(auditSchema), "Audit records"),
    }),
    async (c) => {
      const { workspaceId } = c.req.valid("param");
      const { limit, before, decisions } = c.req.valid("query");
      const items = await listAudit(c.var.deps, {
        workspaceId,
        limit,
        before,
        decisionsOnly: decisions === "true",
      });
      return c.json({ items }, 200);
    },
  );
}
