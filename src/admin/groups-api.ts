import { z } from "@hono/zod-openapi";
import { AppError } from "../errors";
import { changeGroup, createGroup, deleteGroup, listGroups, requireGroup } from "./groups";
import { requireMember } from "./members";
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
import { groupSchema } from "./schemas";

const tags = ["Groups"];
const groupParams = workspaceParams.extend(idParams("groupId").shape);
const membershipParams = groupParams.extend(idParams("memberId").shape);

const createBody = z
  .object({
    name: nameSchema,
    externalId: z.string().trim().min(1).max(200).nullable().optional(),
    memberIds: z.array(z.string().min(1)).optional(),
  })
  .strict();
const patchBody = z
  .object({
    name: nameSchema.optional(),
    externalId: z.string().trim().min(1).max(200).nullable().optional(),
    memberIds: z.array(z.string().min(1)).optional().describe("Replaces the member list"),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, { message: "name at least one field to change" });

export function groupsApi(app: AdminApp) {
  app.openapi(
    adminRoute({
      method: "get",
      path: "/workspaces/{workspaceId}/groups",
      tags,
      summary: "List groups with their members and roles",
      request: { params: workspaceParams },
      responses: okJson(listOf(groupSchema), "Groups"),
    }),
    async (c) => c.json({ items: await listGroups(c.var.deps, c.req.valid("param").workspaceId) }, 200),
  );
  app.openapi(
    adminRoute({
      method: "post",
      path: "/workspaces/{workspaceId}/groups",
      tags,
      summary: "Create a group",
      request: { params: workspaceParams, body: jsonBody(createBody) },
      responses: createdJson(groupSchema, "The new group"),
    }),
    async (c) =>
      c.json(
        await createGroup(c.var.deps, c.req.valid("param").workspaceId, c.req.valid("json"), actorOf(c)),
        201,
      ),
  );
  app.openapi(
    adminRoute({
      method: "get",
      path: "/workspaces/{workspaceId}/groups/{groupId}",
      tags,
      summary: "A group",
      request: { params: groupParams },
      responses: okJson(groupSchema, "The group"),
    }),
    async (c) => {
      const { workspaceId, groupId } = c.req.valid("param");
      return c.json(await requireGroup(c.var.deps, workspaceId, groupId), 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "patch",
      path: "/workspaces/{workspaceId}/groups/{groupId}",
      tags,
      summary: "Rename a group or replace its members",
      request: { params: groupParams, body: jsonBody(patchBody) },
      responses: okJson(groupSchema, "The group after the change"),
    }),
    async (c) => {
      const { workspaceId, groupId } = c.req.valid("param");
      return c.json(
        await changeGroup(c.var.deps, workspaceId, groupId, c.req.valid("json"), actorOf(c)),
        200,
      );
    },
  );
  app.openapi(
    adminRoute({
      method: "delete",
      path: "/workspaces/{workspaceId}/groups/{groupId}",
      tags,
      summary: "Delete a group (its memberships, role assignments and policy rules go with it)",
      request: { params: groupParams },
      responses: okJson(groupSchema, "The group as it was"),
    }),
    async (c) => {
      const { workspaceId, groupId } = c.req.valid("param");
      return c.json(await deleteGroup(c.var.deps, workspaceId, groupId, actorOf(c)), 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "put",
      path: "/workspaces/{workspaceId}/groups/{groupId}/members/{memberId}",
      tags,
      summary: "Add a member to a group",
      request: { params: membershipParams },
      responses: okJson(groupSchema, "The group after the change"),
    }),
    async (c) => {
      const deps = c.var.deps;
      const { workspaceId, groupId, memberId } = c.req.valid("param");
      await requireMember(deps, workspaceId, memberId);
      return c.json(
        await changeGroup(deps, workspaceId, groupId, { addMemberIds: [memberId] }, actorOf(c)),
        200,
      );
    },
  );
  app.openapi(
    adminRoute({
      method: "delete",
      path: "/workspaces/{workspaceId}/groups/{groupId}/members/{memberId}",
      tags,
      summary: "Remove a member from a group",
      request: { params: membershipParams },
      responses: okJson(groupSchema, "The group after the change"),
    }),
    async (c) => {
      const deps = c.var.deps;
      const { workspaceId, groupId, memberId } = c.req.valid("param");
      const group = await requireGroup(deps, workspaceId, groupId);
      if (!group.memberIds.includes(memberId)) {
        throw new AppError("not_found", `Member ${memberId} is not in group ${groupId}.`);
      }
      return c.json(
        await changeGroup(deps, workspaceId, groupId, { removeMemberIds: [memberId] }, actorOf(c)),
        200,
      );
    },
  );
}
