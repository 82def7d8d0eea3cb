import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { workspaceLinks, workspaces } from "../../db/schema/workspaces";
import { AppError } from "../../errors";
import { commitChange } from "../../workspace/change";
import {
  createWorkspace,
  findWorkspaceByLink,
  getWorkspaceView,
  listWorkspaceIds,
} from "../../workspace/workspaces";
import {
  type AdminApp,
  actorOf,
  adminRoute,
  createdJson,
  jsonBody,
  listOf,
  nameSchema,
  okJson,
  workspaceParams,
} from "../route-kit";
import { linkSchema, workspaceSchema } from "../schemas";

const tags = ["Workspaces"];

export function workspacesApi(app: AdminApp) {
  app.openapi(
    adminRoute({
      method: "get",
      operationId: "listWorkspaces",
      path: "/workspaces",
      tags,
      summary: "List workspaces",
      responses: okJson(listOf(workspaceSchema), "Workspaces, oldest first"),
    }),
    async (c) => {
      const deps = c.var.deps;
      const ids = await listWorkspaceIds(deps);
      return c.json({ items: await Promise.all(ids.map((id) => getWorkspaceView(deps, id))) }, 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "post",
      operationId: "createWorkspace",
      path: "/workspaces",
      tags,
      summary: "Create a workspace with its first owner",
      request: { body: jsonBody(z.object({ name: nameSchema, ownerEmail: z.email() })) },
      responses: createdJson(workspaceSchema, "The new workspace"),
    }),
    async (c) => c.json(await createWorkspace(c.var.deps, c.req.valid("json"), actorOf(c)), 201),
  );
  app.openapi(
    adminRoute({
      method: "get",
      operationId: "getWorkspace",
      path: "/workspaces/{workspaceId}",
      tags,
      summary: "A workspace with its switches and platform links",
      request: { params: workspaceParams },
      responses: okJson(workspaceSchema, "The workspace"),
    }),
    async (c) => c.json(await getWorkspaceView(c.var.deps, c.req.valid("param").workspaceId), 200),
  );
  app.openapi(
    adminRoute({
      method: "patch",
      operationId: "updateWorkspace",
      path: "/workspaces/{workspaceId}",
      tags,
      summary: "Rename a workspace",
      request: { params: workspaceParams, body: jsonBody(z.object({ name: nameSchema })) },
      responses: okJson(workspaceSchema, "The workspace after the change"),
    }),
    async (c) => {
      const deps = c.var.deps;
      const { workspaceId } = c.req.valid("param");
      const before = await getWorkspaceView(deps, workspaceId);
      const { name } = c.req.valid("json");
      await commitChange(deps, {
        workspaceId,
        actor: actorOf(c),
        action: "workspace.update",
        target: workspaceId,
        before: { name: before.name },
        after: { name },
        writes: [deps.database.db.update(workspaces).set({ name }).where(eq(workspaces.id, workspaceId))],
      });
      return c.json(await getWorkspaceView(deps, workspaceId), 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "post",
      operationId: "linkPlatform",
      path: "/workspaces/{workspaceId}/links",
      tags,
      summary: "Link a Slack team/enterprise, GitHub installation or Linear organization to the workspace",
      request: { params: workspaceParams, body: jsonBody(linkSchema) },
      responses: okJson(workspaceSchema, "The workspace after the change"),
    }),
    async (c) => {
      const deps = c.var.deps;
      const { workspaceId } = c.req.valid("param");
      const link = c.req.valid("json");
      const before = await getWorkspaceView(deps, workspaceId);
      const owner = await findWorkspaceByLink(deps, link.kind, link.externalId);
      if (owner && owner.id !== workspaceId) {
        throw new AppError(
          "conflict",
          `${link.kind} ${link.externalId} is already linked to workspace ${owner.id}.`,
        );
      }
      if (!owner) {
        await commitChange(deps, {
          workspaceId,
          actor: actorOf(c),
          action: "workspace.link",
          target: `${link.kind}:${link.externalId}`,
          before: before.links,
          after: [...before.links, link],
          writes: [
            deps.database.db
              .insert(workspaceLinks)
              .values({ workspaceId, ...link, createdAt: deps.clock.now() }),
          ],
          conflict: `${link.kind} ${link.externalId} is already linked to another workspace.`,
        });
      }
      return c.json(await getWorkspaceView(deps, workspaceId), 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "delete",
      operationId: "unlinkPlatform",
      path: "/workspaces/{workspaceId}/links/{kind}/{externalId}",
      tags,
      summary: "Remove a platform link",
      request: { params: workspaceParams.extend(linkSchema.shape) },
      responses: okJson(workspaceSchema, "The workspace after the change"),
    }),
    async (c) => {
      const deps = c.var.deps;
      const { workspaceId, kind, externalId } = c.req.valid("param");
      const before = await getWorkspaceView(deps, workspaceId);
      if (!before.links.some((l) => l.kind === kind && l.externalId === externalId)) {
        throw new AppError("not_found", `Workspace ${workspaceId} has no ${kind} link ${externalId}.`);
      }
      await commitChange(deps, {
        workspaceId,
        actor: actorOf(c),
        action: "workspace.unlink",
        target: `${kind}:${externalId}`,
        before: before.links,
        after: before.links.filter((l) => !(l.kind === kind && l.externalId === externalId)),
        writes: [
          deps.database.db
            .delete(workspaceLinks)
            .where(
              and(
                eq(workspaceLinks.workspaceId, workspaceId),
                eq(workspaceLinks.kind, kind),
                eq(workspaceLinks.externalId, externalId),
              ),
            ),
        ],
      });
      return c.json(await getWorkspaceView(deps, workspaceId), 200);
    },
  );
}
