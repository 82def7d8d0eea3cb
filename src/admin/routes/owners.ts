import { listMembers } from "../../workspace/members";
import { setOwner } from "../../workspace/owners";
import { type AdminApp, actorOf, adminRoute, idParams, listOf, okJson, workspaceParams } from "../route-kit";
import { memberSchema } from "../schemas";

const tags = ["Owners"];
const memberParams = workspaceParams.extend(idParams("memberId").shape);

/** Workspace owners hold every permission and manage RBAC. */
export function ownersApi(app: AdminApp) {
  app.openapi(
    adminRoute({
      method: "get",
      operationId: "listOwners",
      path: "/workspaces/{workspaceId}/owners",
      tags,
      summary: "List workspace owners",
      request: { params: workspaceParams },
      responses: okJson(listOf(memberSchema), "Owners"),
    }),
    async (c) => {
      const all = await listMembers(c.var.deps, c.req.valid("param").workspaceId);
      return c.json({ items: all.filter((m) => m.isOwner) }, 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "put",
      operationId: "addOwner",
      path: "/workspaces/{workspaceId}/owners/{memberId}",
      tags,
      summary: "Make a member a workspace owner",
      request: { params: memberParams },
      responses: okJson(memberSchema, "The member after the change"),
    }),
    async (c) => {
      const { workspaceId, memberId } = c.req.valid("param");
      return c.json(await setOwner(c.var.deps, workspaceId, memberId, true, actorOf(c)), 200);
    },
  );
  app.openapi(
    adminRoute({
      method: "delete",
      operationId: "removeOwner",
      path: "/workspaces/{workspaceId}/owners/{memberId}",
      tags,
      summary: "Take away a member's ownership (the last active owner stays)",
      request: { params: memberParams },
      responses: okJson(memberSchema, "The member after the change"),
    }),
    async (c) => {
      const { workspaceId, memberId } = c.req.valid("param");
      return c.json(await setOwner(c.var.deps, workspaceId, memberId, false, actorOf(c)), 200);
    },
  );
}
