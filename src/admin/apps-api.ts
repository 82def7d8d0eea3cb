import { z } from "@hono/zod-openapi";
import { and, asc, eq } from "drizzle-orm";
import type { AppAccess } from "../access/types";
import { type AppRow, apps } from "../db/schema/access";
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

const tags = ["Apps"];
const appParams = workspaceParams.extend(idParams("appId").shape);

const accessSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("all") }),
  z.object({
    type: z.literal("assigned"),
    memberIds: z.array(z.string()).default([]),
    groupIds: z.array(z.string()).default([]),
    roleIds: z.array(z.string()).default([]),
  }),
]);

const fields = {
  name: nameSchema,
  enabled: z.boolean(),
  status: z.enum(["draft", "published"]),
  access: accessSchema,
  mode: z.enum(["read_only", "read_write"]),
  confirmWrites: z.boolean().describe("Ask the person to confirm each write"),
};

const appSchema = z
  .object({
    id: z.string(),
    kind: z.enum(["slack", "github", "linear", "custom"]),
    ...fields,
    createdAt: z.number(),
  })
  .openapi("App");

// New apps start as least-privileged drafts: an admin publishes and opens them up deliberately.
const createBody = z
  .object({
    kind: z.enum(["slack", "github", "linear", "custom"]),
    name: fields.name,
    enabled: fields.enabled.default(true),
    status: fields.status.default("draft"),
    access: accessSchema.default({ type: "all" }),
    mode: fields.mode.default("read_only"),
    confirmWrites: fields.confirmWrites.default(false),
  })
  .strict();
const patchBody = z
  .object(fields)
  .partial()
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: "name at least one field to change" });

const toView = ({ workspaceId: _w, ...row }: AppRow) => row;

async function requireApp(deps: Pick<Deps, "database">, workspaceId: string, appId: string) {
  const [row] = await deps.database.db
    .select()
    .from(apps)
    .where(and(eq(apps.workspaceId, workspaceId), eq(apps.id, appId)))
    .limit(1);
  if (!row) throw new AppError("not_found", `No app ${appId} in workspace ${workspaceId}.`);
  return toView(row);
}

async function assertAudience(
  deps: Pick<Deps, "database">,
  workspaceId: string,
  access: AppAccess | undefined,
) {
  if (access?.type !== "assigned") return;
  await assertRefs(deps, workspaceId, "member", access.memberIds);
  await assertRefs(deps, workspaceId, "group", access.groupIds);
  await assertRefs(deps, workspaceId, "role", access.roleIds);
}

export function appsApi(app: AdminApp) {
  app.openapi(
    adminRoute({
      method: "get",
      path: "/workspaces/{workspaceId}/apps",
      tags,
      summary: "List apps (the Slack, GitHub and Linear integrations and custom apps)",
      request: { params: workspaceParams },
      responses: okJson(listOf(appSchema), "Apps; the first of each kind carries that platform's events"),
    }),
    async (c) => {
      const { workspaceId } = c.req.valid("param");
      await requireWorkspaceRow(c.var.deps, workspaceId);
      const rows = await c.var.deps.database.db
        .select()
        .from(apps)
        .where(eq(apps.workspaceId, workspaceId))
        .orderBy(asc(apps.createdAt), asc(apps.id));
      return c.json({ items: rows.map(toView) }, 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "post",
      path: "/workspaces/{workspaceId}/apps",
      tags,
      summary: "Add an app",
      request: { params: workspaceParams, body: jsonBody(createBody) },
      responses: createdJson(appSchema, "The new app"),
    }),
    async (c) => {
      const deps = c.var.deps;
      const { workspaceId } = c.req.valid("param");
      const input = c.req.valid("json");
      await requireWorkspaceRow(deps, workspaceId);
      await assertAudience(deps, workspaceId, input.access);
      const row: AppRow = { id: newId("app"), workspaceId, ...input, createdAt: deps.clock.now() };
      const after = toView(row);
      await commitChange(deps, {
        workspaceId,
        actor: actorOf(c),
        action: "app.create",
        target: row.id,
        after,
        writes: [deps.database.db.insert(apps).values(row)],
      });
      return c.json(after, 201);
    },
  );
  app.openapi(
    adminRoute({
      method: "get",
      path: "/workspaces/{workspaceId}/apps/{appId}",
      tags,
      summary: "An app",
      request: { params: appParams },
      responses: okJson(appSchema, "The app"),
    }),
    async (c) => {
      const { workspaceId, appId } = c.req.valid("param");
      return c.json(await requireApp(c.var.deps, workspaceId, appId), 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "patch",
      path: "/workspaces/{workspaceId}/apps/{appId}",
      tags,
      summary: "Enable, publish, assign or restrict an app",
      request: { params: appParams, body: jsonBody(patchBody) },
      responses: okJson(appSchema, "The app after the change"),
    }),
    async (c) => {
      const deps = c.var.deps;
      const { workspaceId, appId } = c.req.valid("param");
      const patch = c.req.valid("json");
      const before = await requireApp(deps, workspaceId, appId);
      await assertAudience(deps, workspaceId, patch.access);
      const after = { ...before, ...patch };
      await commitChange(deps, {
        workspaceId,
        actor: actorOf(c),
        action: "app.update",
        target: appId,
        before,
        after,
        writes: [deps.database.db.update(apps).set(patch).where(eq(apps.id, appId))],
      });
      return c.json(after, 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "delete",
      path: "/workspaces/{workspaceId}/apps/{appId}",
      tags,
      summary: "Remove an app (nothing can act through it afterwards)",
      request: { params: appParams },
      responses: okJson(appSchema, "The app as it was"),
    }),
    async (c) => {
      const deps = c.var.deps;
      const { workspaceId, appId } = c.req.valid("param");
      const before = await requireApp(deps, workspaceId, appId);
      await commitChange(deps, {
        workspaceId,
        actor: actorOf(c),
        action: "app.delete",
        target: appId,
        before,
        writes: [deps.database.db.delete(apps).where(eq(apps.id, appId))],
      });
      return c.json(before, 200);
    },
  );
}
