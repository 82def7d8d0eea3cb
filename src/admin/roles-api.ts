import { z } from "@hono/zod-openapi";
import {
  assignRole,
  createRole,
  deleteRole,
  listRoles,
  requireRole,
  setDefaultRole,
  updateRole,
} from "./roles";
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
import { permissionSchema } from "./schemas";

const tags = ["Roles"];
const roleParams = workspaceParams.extend(idParams("roleId").shape);
const assignmentParams = roleParams.extend(idParams("groupId").shape);

const roleSchema = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    name: z.string(),
    permissions: z.array(permissionSchema),
    groupIds: z.array(z.string()).describe("Groups whose members hold the role"),
    isDefault: z.boolean().describe("Given to members no group gives a custom role"),
    createdAt: z.number(),
    updatedAt: z.number(),
  })
  .openapi("Role");

const createBody = z.object({ name: nameSchema, permissions: z.array(permissionSchema) }).strict();
const patchBody = z
  .object({ name: nameSchema.optional(), permissions: z.array(permissionSchema).optional() })
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: "name at least one field to change" });
const defaultRole = z.object({ defaultRoleId: z.string().min(1).nullable() }).openapi("DefaultRole");

export function rolesApi(app: AdminApp) {
  app.openapi(
    adminRoute({
      method: "get",
      path: "/workspaces/{workspaceId}/roles",
      tags,
      summary: "List roles with their permissions and groups",
      request: { params: workspaceParams },
      responses: okJson(listOf(roleSchema), "Roles"),
    }),
    async (c) => c.json({ items: await listRoles(c.var.deps, c.req.valid("param").workspaceId) }, 200),
  );
  app.openapi(
    adminRoute({
      method: "post",
      path: "/workspaces/{workspaceId}/roles",
      tags,
      summary: "Create a custom role",
      request: { params: workspaceParams, body: jsonBody(createBody) },
      responses: createdJson(roleSchema, "The new role"),
    }),
    async (c) =>
      c.json(
        await createRole(c.var.deps, c.req.valid("param").workspaceId, c.req.valid("json"), actorOf(c)),
        201,
      ),
  );
  app.openapi(
    adminRoute({
      method: "get",
      path: "/workspaces/{workspaceId}/roles/{roleId}",
      tags,
      summary: "A role",
      request: { params: roleParams },
      responses: okJson(roleSchema, "The role"),
    }),
    async (c) => {
      const { workspaceId, roleId } = c.req.valid("param");
      return c.json(await requireRole(c.var.deps, workspaceId, roleId), 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "patch",
      path: "/workspaces/{workspaceId}/roles/{roleId}",
      tags,
      summary: "Rename a role or replace its permissions",
      request: { params: roleParams, body: jsonBody(patchBody) },
      responses: okJson(roleSchema, "The role after the change"),
    }),
    async (c) => {
      const { workspaceId, roleId } = c.req.valid("param");
      return c.json(await updateRole(c.var.deps, workspaceId, roleId, c.req.valid("json"), actorOf(c)), 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "delete",
      path: "/workspaces/{workspaceId}/roles/{roleId}",
      tags,
      summary: "Delete a role (its group assignments go with it)",
      request: { params: roleParams },
      responses: okJson(roleSchema, "The role as it was"),
    }),
    async (c) => {
      const { workspaceId, roleId } = c.req.valid("param");
      return c.json(await deleteRole(c.var.deps, workspaceId, roleId, actorOf(c)), 200);
    },
  );
  for (const assigned of [true, false]) {
    app.openapi(
      adminRoute({
        method: assigned ? "put" : "delete",
        path: "/workspaces/{workspaceId}/roles/{roleId}/groups/{groupId}",
        tags,
        summary: assigned ? "Assign a role to a group" : "Take a role away from a group",
        request: { params: assignmentParams },
        responses: okJson(roleSchema, "The role after the change"),
      }),
      async (c) => {
        const params = c.req.valid("param");
        return c.json(await assignRole(c.var.deps, { ...params, assigned }, actorOf(c)), 200);
      },
    );
  }
  app.openapi(
    adminRoute({
      method: "put",
      path: "/workspaces/{workspaceId}/default-role",
      tags,
      summary: "Set (or clear with null) the role of members without a custom role",
      request: { params: workspaceParams, body: jsonBody(defaultRole) },
      responses: okJson(defaultRole, "The default role after the change"),
    }),
    async (c) => {
      const { workspaceId } = c.req.valid("param");
      return c.json(
        await setDefaultRole(c.var.deps, workspaceId, c.req.valid("json").defaultRoleId, actorOf(c)),
        200,
      );
    },
  );
}
