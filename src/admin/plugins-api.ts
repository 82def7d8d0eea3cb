import { z } from "@hono/zod-openapi";
import { and, asc, eq } from "drizzle-orm";
import { type PluginRow, plugins } from "../db/schema/access";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { newId } from "../lib/ids";
import { commitChange } from "./change";
import { assertRefs } from "./refs";
import {
  type AdminApp,
  actorOf,
  adminRoute,
  createdJson,
  idParams,
  jsonBody,
  listOf,
  nameSchema,
  okJson,
  workspaceParams,
} from "./route-kit";
import { requireWorkspaceRow } from "./workspaces";

const tags = ["Plugins"];
const pluginParams = workspaceParams.extend(idParams("pluginId").shape);
const policy = z.enum(["none", "available", "installed"]);

const fields = {
  name: nameSchema,
  enabled: z.boolean(),
  skills: z.array(z.string().trim().min(1)),
  requiredAppIds: z.array(z.string().min(1)).describe("Every one must be usable by the member"),
  optionalAppIds: z.array(z.string().min(1)),
  policyByRole: z.record(z.string(), policy).describe("Installation policy per role id"),
  defaultPolicy: policy.describe("Policy for roles not listed"),
};

const pluginSchema = z.object({ id: z.string(), ...fields, createdAt: z.number() }).openapi("Plugin");
const createBody = z
  .object({
    name: fields.name,
    enabled: fields.enabled.default(true),
    skills: fields.skills.default([]),
    requiredAppIds: fields.requiredAppIds.default([]),
    optionalAppIds: fields.optionalAppIds.default([]),
    policyByRole: fields.policyByRole.default({}),
    defaultPolicy: fields.defaultPolicy.default("available"),
  })
  .strict();
const patchBody = z
  .object(fields)
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: "name at least one field to change" });

const toView = ({ workspaceId: _w, ...row }: PluginRow) => row;

async function requirePlugin(deps: Pick<Deps, "database">, workspaceId: string, pluginId: string) {
  const [row] = await deps.database.db
    .select()
    .from(plugins)
    .where(and(eq(plugins.workspaceId, workspaceId), eq(plugins.id, pluginId)))
    .limit(1);
  if (!row) throw new AppError("not_found", `No plugin ${pluginId} in workspace ${workspaceId}.`);
  return toView(row);
}

async function assertPluginRefs(
  deps: Pick<Deps, "database">,
  workspaceId: string,
  p: { requiredAppIds?: string[]; optionalAppIds?: string[]; policyByRole?: Record<string, string> },
) {
  await assertRefs(deps, workspaceId, "app", [...(p.requiredAppIds ?? []), ...(p.optionalAppIds ?? [])]);
  await assertRefs(deps, workspaceId, "role", Object.keys(p.policyByRole ?? {}));
}

export function pluginsApi(app: AdminApp) {
  app.openapi(
    adminRoute({
      method: "get",
      path: "/workspaces/{workspaceId}/plugins",
      tags,
      summary: "List plugins",
      request: { params: workspaceParams },
      responses: okJson(listOf(pluginSchema), "Plugins"),
    }),
    async (c) => {
      const { workspaceId } = c.req.valid("param");
      await requireWorkspaceRow(c.var.deps, workspaceId);
      const rows = await c.var.deps.database.db
        .select()
        .from(plugins)
        .where(eq(plugins.workspaceId, workspaceId))
        .orderBy(asc(plugins.createdAt), asc(plugins.id));
      return c.json({ items: rows.map(toView) }, 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "post",
      path: "/workspaces/{workspaceId}/plugins",
      tags,
      summary: "Add a plugin",
      request: { params: workspaceParams, body: jsonBody(createBody) },
      responses: createdJson(pluginSchema, "The new plugin"),
    }),
    async (c) => {
      const deps = c.var.deps;
      const { workspaceId } = c.req.valid("param");
      const input = c.req.valid("json");
      await requireWorkspaceRow(deps, workspaceId);
      await assertPluginRefs(deps, workspaceId, input);
      const row: PluginRow = { id: newId("plg"), workspaceId, ...input, createdAt: deps.clock.now() };
      const after = toView(row);
      await commitChange(deps, {
        workspaceId,
        actor: actorOf(c),
        action: "plugin.create",
        target: row.id,
        after,
        writes: [deps.database.db.insert(plugins).values(row)],
      });
      return c.json(after, 201);
    },
  );
  app.openapi(
    adminRoute({
      method: "get",
      path: "/workspaces/{workspaceId}/plugins/{pluginId}",
      tags,
      summary: "A plugin",
      request: { params: pluginParams },
      responses: okJson(pluginSchema, "The plugin"),
    }),
    async (c) => {
      const { workspaceId, pluginId } = c.req.valid("param");
      return c.json(await requirePlugin(c.var.deps, workspaceId, pluginId), 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "patch",
      path: "/workspaces/{workspaceId}/plugins/{pluginId}",
      tags,
      summary: "Change a plugin's apps, skills or installation policy",
      request: { params: pluginParams, body: jsonBody(patchBody) },
      responses: okJson(pluginSchema, "The plugin after the change"),
    }),
    async (c) => {
      const deps = c.var.deps;
      const { workspaceId, pluginId } = c.req.valid("param");
      const patch = c.req.valid("json");
      const before = await requirePlugin(deps, workspaceId, pluginId);
      await assertPluginRefs(deps, workspaceId, patch);
      const after = { ...before, ...patch };
      await commitChange(deps, {
        workspaceId,
        actor: actorOf(c),
        action: "plugin.update",
        target: pluginId,
        before,
        after,
        writes: [deps.database.db.update(plugins).set(patch).where(eq(plugins.id, pluginId))],
      });
      return c.json(after, 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "delete",
      path: "/workspaces/{workspaceId}/plugins/{pluginId}",
      tags,
      summary: "Remove a plugin",
      request: { params: pluginParams },
      responses: okJson(pluginSchema, "The plugin as it was"),
    }),
    async (c) => {
      const deps = c.var.deps;
      const { workspaceId, pluginId } = c.req.valid("param");
      const before = await requirePlugin(deps, workspaceId, pluginId);
      await commitChange(deps, {
        workspaceId,
        actor: actorOf(c),
        action: "plugin.delete",
        target: pluginId,
        before,
        writes: [deps.database.db.delete(plugins).where(eq(plugins.id, pluginId))],
      });
      return c.json(before, 200);
    },
  );
}
