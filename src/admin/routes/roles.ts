import { z } from "@hono/zod-openapi";
import {
  assignRole,
  createRole,
  deleteRole,
  listRoles,
  requireRole,
  setDefaultRole,
  updateRole,
} from "../../workspace/roles";
import {
  type AdminApp,
  actorOf,
  adminRoute,
  idParams,
  itemParams,
  jsonBody,
  nameSchema,
  nonEmptyPatch,
  okJson,
  workspaceParams,
} from "../route-kit";
import { resourceRoutes } from "../route-resource";
import { permissionSchema } from "../schemas";

const tags = ["Roles"];
const assignmentParams = itemParams("roleId").extend(idParams("groupId").shape);

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
const patchBody = nonEmptyPatch(
  z.object({ name: nameSchema.optional(), permissions: z.array(permissionSchema).optional() }).strict(),
);
const defaultRole = z.object({ defaultRoleId: z.string().min(1).nullable() }).openapi("DefaultRole");

export function rolesApi(app: AdminApp) {
  resourceRoutes(app, {
    tags,
    path: "/workspaces/{workspaceId}/roles",
    idParam: "roleId",
    noun: "role",
    schema: roleSchema,
    list: { summary: "List roles with their permissions and groups", description: "Roles", run: listRoles },
    create: { summary: "Create a custom role", body: createBody, run: createRole },
    get: { summary: "A role", run: requireRole },
    update: { summary: "Rename a role or replace its permissions", body: patchBody, run: updateRole },
    remove: { summary: "Delete a role (its group assignments go with it)", run: deleteRole },
  });
  for (const assigned of [true, false]) {
    app.openapi(
      adminRoute({
        method: assigned ? "put" : "delete",
        operationId: assigned ? "assignRoleToGroup" : "unassignRoleFromGroup",
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
      operationId: "setDefaultRole",
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
