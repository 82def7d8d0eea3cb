import { z } from "@hono/zod-openapi";
import {
  changeGroup,
  createGroup,
  deleteGroup,
  listGroups,
  requireGroup,
  setGroupMembership,
} from "../../workspace/groups";
import {
  type AdminApp,
  actorOf,
  adminRoute,
  idParams,
  itemParams,
  nameSchema,
  nonEmptyPatch,
  okJson,
} from "../route-kit";
import { resourceRoutes } from "../route-resource";
import { groupSchema } from "../schemas";

const tags = ["Groups"];
const membershipParams = itemParams("groupId").extend(idParams("memberId").shape);

const createBody = z
  .object({
    name: nameSchema,
    externalId: z.string().trim().min(1).max(200).nullable().optional(),
    memberIds: z.array(z.string().min(1)).optional(),
  })
  .strict();
const patchBody = nonEmptyPatch(
  z
    .object({
      name: nameSchema.optional(),
      externalId: z.string().trim().min(1).max(200).nullable().optional(),
      memberIds: z.array(z.string().min(1)).optional().describe("Replaces the member list"),
    })
    .strict(),
);

export function groupsApi(app: AdminApp) {
  resourceRoutes(app, {
    tags,
    path: "/workspaces/{workspaceId}/groups",
    idParam: "groupId",
    noun: "group",
    schema: groupSchema,
    list: { summary: "List groups with their members and roles", description: "Groups", run: listGroups },
    create: { summary: "Create a group", body: createBody, run: createGroup },
    get: { summary: "A group", run: requireGroup },
    update: { summary: "Rename a group or replace its members", body: patchBody, run: changeGroup },
    remove: {
      summary: "Delete a group (its memberships, role assignments and policy rules go with it)",
      run: deleteGroup,
    },
  });
  for (const add of [true, false]) {
    app.openapi(
      adminRoute({
        method: add ? "put" : "delete",
        operationId: add ? "addGroupMember" : "removeGroupMember",
        path: "/workspaces/{workspaceId}/groups/{groupId}/members/{memberId}",
        tags,
        summary: add ? "Add a member to a group" : "Remove a member from a group",
        request: { params: membershipParams },
        responses: okJson(groupSchema, "The group after the change"),
      }),
      async (c) => {
        const params = c.req.valid("param");
        return c.json(await setGroupMembership(c.var.deps, { ...params, member: add }, actorOf(c)), 200);
      },
    );
  }
}
